package wadb

import (
	"encoding/base64"
	"strconv"
	"unicode/utf8"
)

// maxRaw bounds a message's raw record: the row as JSON, large blobs (thumbnails) summarised.
const (
	maxRaw  = 64 << 10
	maxBlob = 256
)

// rawJSON writes a row as a JSON object of its non-NULL columns, in select order.
func rawJSON(r *row) string {
	b := make([]byte, 0, 256)
	b = append(b, '{')
	first := true
	for i, v := range r.vals {
		if v == nil {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = strconv.AppendQuote(b, r.c.names[i])
		b = append(b, ':')
		switch x := v.(type) {
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case float64:
			b = strconv.AppendFloat(b, x, 'g', -1, 64)
		case string:
			b = appendJSONString(b, x)
		case []byte:
			if len(x) > maxBlob {
				b = append(b, `"<`...)
				b = strconv.AppendInt(b, int64(len(x)), 10)
				b = append(b, ` bytes>"`...)
			} else {
				b = append(b, '"')
				b = base64.StdEncoding.AppendEncode(b, x)
				b = append(b, '"')
			}
		case bool:
			b = strconv.AppendBool(b, x)
		default:
			b = append(b, `null`...)
		}
		if len(b) > maxRaw {
			break
		}
	}
	b = append(b, '}')
	if len(b) > maxRaw {
		return string(b[:maxRaw])
	}
	return string(b)
}

// appendJSONString quotes s as JSON (strconv.Quote's escapes are not all JSON).
func appendJSONString(b []byte, s string) []byte {
	if len(s) > maxRaw {
		s = s[:maxRaw] // a rune cut in half is written as U+FFFD below
	}
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
