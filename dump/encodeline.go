package dump

import (
	"bytes"
	"encoding/json"
	"github.com/chatvault/chatvault/internal/jsonstr"
	"strconv"

	"github.com/chatvault/chatvault/archive"
)

// appendMessageLine appends l as one line of a month file: exactly the bytes encoding/json
// writes for a MessageLine without HTML escaping, newline included (encodeline_test.go holds
// them to that), without reflection: a backup encodes every message of the archive. Details
// are rare and deep, and go through encoding/json.
func appendMessageLine(b []byte, l *MessageLine) []byte {
	b = append(b, `{"uid":`...)
	b = appendJSONString(b, l.UID)
	b = append(b, `,"ts":`...)
	b = strconv.AppendInt(b, l.TS, 10)
	if l.Offset != nil {
		b = append(b, `,"offset":`...)
		b = strconv.AppendInt(b, int64(*l.Offset), 10)
	}
	if l.OffsetAssumed {
		b = append(b, `,"offset_assumed":true`...)
	}
	b = appendStringField(b, "sender", l.Sender)
	if l.FromMe {
		b = append(b, `,"from_me":true`...)
	}
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(l.Kind))
	b = appendStringField(b, "text", l.Text)
	if len(l.Flags) > 0 {
		b = append(b, `,"flags":`...)
		b = appendStrings(b, l.Flags)
	}
	b = appendStringField(b, "reply_to", l.ReplyTo)
	if l.Details != nil {
		b = append(b, `,"details":`...)
		b = appendDetails(b, l.Details)
	}
	if len(l.Attachments) > 0 {
		b = append(b, `,"attachments":[`...)
		for i := range l.Attachments {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendAttachment(b, &l.Attachments[i])
		}
		b = append(b, ']')
	}
	if len(l.Reactions) > 0 {
		b = append(b, `,"reactions":[`...)
		for i, r := range l.Reactions {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"sender":`...)
			b = appendJSONString(b, r.Sender)
			b = append(b, `,"emoji":`...)
			b = appendJSONString(b, r.Emoji)
			b = appendIntField(b, "ts", r.TS)
			b = appendIntField(b, "count", int64(r.Count))
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"import":`...)
	b = appendJSONString(b, l.Import)
	if len(l.Keys) > 0 {
		b = append(b, `,"keys":`...)
		b = appendStrings(b, l.Keys)
	}
	if len(l.Revisions) > 0 {
		b = append(b, `,"revisions":[`...)
		for i, r := range l.Revisions {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if r.TS != 0 {
				b = append(b, `"ts":`...)
				b = strconv.AppendInt(b, r.TS, 10)
				b = append(b, ',')
			}
			b = append(b, `"text":`...)
			b = appendJSONString(b, r.Text)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(l.Votes) > 0 {
		b = append(b, `,"votes":[`...)
		for i, v := range l.Votes {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"voter":`...)
			b = appendJSONString(b, v.Voter)
			b = append(b, `,"option":`...)
			b = strconv.AppendInt(b, int64(v.Option), 10)
			b = appendIntField(b, "ts", v.TS)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(l.Sources) > 0 {
		b = append(b, `,"sources":[`...)
		for i, s := range l.Sources {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"import":`...)
			b = appendJSONString(b, s.Import)
			b = appendStringField(b, "src", s.Src)
			b = appendStringField(b, "raw", s.Raw)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendStringField(b, "src", l.Src)
	b = appendStringField(b, "raw", l.Raw)
	return append(b, "}\n"...)
}

func appendAttachment(b []byte, a *archive.Attachment) []byte {
	b = append(b, `{"kind":`...)
	b = appendJSONString(b, string(a.Kind))
	b = appendStringField(b, "file_name", a.FileName)
	b = appendStringField(b, "mime", a.MIME)
	b = appendIntField(b, "size", a.Size)
	b = appendStringField(b, "sha256", a.SHA256)
	if a.Details != nil {
		b = append(b, `,"details":`...)
		b = appendDetails(b, a.Details)
	}
	return append(b, '}')
}

// appendDetails encodes details the way encoding/json does inside a line.
func appendDetails(b []byte, d *archive.Details) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		panic(err) // a plain struct of strings, numbers and slices always encodes
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// appendStringField appends ,"name":"s" unless s is empty (omitempty).
func appendStringField(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendJSONString(b, s)
}

// appendIntField appends ,"name":n unless n is 0 (omitempty).
func appendIntField(b []byte, name string, n int64) []byte {
	if n == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, n, 10)
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString quotes s as encoding/json does with HTML escaping off.
func appendJSONString(b []byte, s string) []byte { return jsonstr.Append(b, s, false) }
