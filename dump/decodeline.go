package dump

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/chatvault/chatvault/archive"
)

// decodeMessageLine reads a month file's line. Decoding every line with encoding/json was a fifth
// of a restore's time, most of it spent on the plain fields every message has; those are read
// here by hand. Nested values (details, attachments, reactions, ...) still go through
// encoding/json, and a line this reader is not sure about in any way (an unknown or repeated key,
// null, a number that is not a plain integer, a string it would have to repair) is decoded whole
// by encoding/json, so the result and the errors are always encoding/json's.
func decodeMessageLine(line []byte, ml *MessageLine) error {
	*ml = MessageLine{}
	s := lineScanner{b: line}
	if s.messageLine(ml) {
		return nil
	}
	*ml = MessageLine{}
	return json.Unmarshal(line, ml)
}

type lineScanner struct {
	b []byte
	i int
}

// The keys of MessageLine, as bits: a key seen twice sends the line to encoding/json.
const (
	seenUID = 1 << iota
	seenTS
	seenOffset
	seenOffsetAssumed
	seenSender
	seenFromMe
	seenKind
	seenText
	seenFlags
	seenReplyTo
	seenDetails
	seenAttachments
	seenReactions
	seenImport
	seenKeys
	seenRevisions
	seenVotes
	seenSources
	seenSrc
	seenRaw
)

func (s *lineScanner) messageLine(ml *MessageLine) bool {
	s.space()
	if !s.byte('{') {
		return false
	}
	seen := 0
	s.space()
	if s.byte('}') {
		return s.end()
	}
	for {
		s.space()
		key, ok := s.rawKey()
		if !ok {
			return false
		}
		s.space()
		if !s.byte(':') {
			return false
		}
		s.space()
		bit, ok := s.field(key, ml)
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		s.space()
		if s.byte(',') {
			continue
		}
		if s.byte('}') {
			return s.end()
		}
		return false
	}
}

// field reads the value of key into ml and returns the key's bit.
func (s *lineScanner) field(key []byte, ml *MessageLine) (int, bool) {
	var ok bool
	switch string(key) {
	case "uid":
		ml.UID, ok = s.str()
		return seenUID, ok
	case "ts":
		ml.TS, ok = s.int()
		return seenTS, ok
	case "offset":
		var v int64
		if v, ok = s.int(); ok && int64(int(v)) == v {
			off := int(v)
			ml.Offset = &off
			return seenOffset, true
		}
		return 0, false
	case "offset_assumed":
		ml.OffsetAssumed, ok = s.bool()
		return seenOffsetAssumed, ok
	case "sender":
		ml.Sender, ok = s.str()
		return seenSender, ok
	case "from_me":
		ml.FromMe, ok = s.bool()
		return seenFromMe, ok
	case "kind":
		var k string
		k, ok = s.str()
		ml.Kind = archive.Kind(k)
		return seenKind, ok
	case "text":
		ml.Text, ok = s.str()
		return seenText, ok
	case "flags":
		ml.Flags, ok = s.strings()
		return seenFlags, ok
	case "reply_to":
		ml.ReplyTo, ok = s.str()
		return seenReplyTo, ok
	case "details":
		return seenDetails, s.nested(&ml.Details)
	case "attachments":
		return seenAttachments, s.nested(&ml.Attachments)
	case "reactions":
		return seenReactions, s.nested(&ml.Reactions)
	case "import":
		ml.Import, ok = s.str()
		return seenImport, ok
	case "keys":
		ml.Keys, ok = s.strings()
		return seenKeys, ok
	case "revisions":
		return seenRevisions, s.nested(&ml.Revisions)
	case "votes":
		return seenVotes, s.nested(&ml.Votes)
	case "sources":
		return seenSources, s.nested(&ml.Sources)
	case "src":
		ml.Src, ok = s.str()
		return seenSrc, ok
	case "raw":
		ml.Raw, ok = s.str()
		return seenRaw, ok
	}
	return 0, false
}

func (s *lineScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *lineScanner) byte(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// end reports whether only white space follows.
func (s *lineScanner) end() bool {
	s.space()
	return s.i == len(s.b)
}

// rawKey reads a key that needs no unescaping.
func (s *lineScanner) rawKey() ([]byte, bool) {
	if !s.byte('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c == '"' {
			s.i++
			return s.b[start : s.i-1], true
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			return nil, false
		}
		s.i++
	}
	return nil, false
}

// str reads a string. It unescapes what encoding/json's encoder writes; a string that needs
// repair (invalid UTF-8, a lone surrogate) or is not valid JSON is left to encoding/json.
func (s *lineScanner) str() (string, bool) {
	if !s.byte('"') {
		return "", false
	}
	start := s.i
	plain := true
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			raw := s.b[start:s.i]
			s.i++
			if plain {
				if !utf8.Valid(raw) {
					return "", false
				}
				return string(raw), true
			}
			return unescape(raw)
		case c == '\\':
			plain = false
			s.i += 2 // the escaped byte is checked by unescape; a quote there does not end the string
		case c < 0x20:
			return "", false
		default:
			s.i++
		}
	}
	return "", false
}

// unescape decodes the inside of a JSON string that holds escapes.
func unescape(raw []byte) (string, bool) {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(raw) {
			return "", false
		}
		switch raw[i+1] {
		case '"', '\\', '/':
			out = append(out, raw[i+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if i+6 > len(raw) {
				return "", false
			}
			v, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 32)
			if err != nil || v >= 0xd800 && v < 0xe000 {
				return "", false // surrogates: encoding/json pairs or replaces them
			}
			out = utf8.AppendRune(out, rune(v))
			i += 6
			continue
		default:
			return "", false
		}
		i += 2
	}
	if !utf8.Valid(out) {
		return "", false
	}
	return string(out), true
}

// int reads an integer written as one (no fraction, no exponent) that fits in an int64.
func (s *lineScanner) int() (int64, bool) {
	start := s.i
	s.byte('-')
	digits := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	if s.i == digits || s.b[digits] == '0' && s.i-digits > 1 {
		return 0, false // no digits, or a leading zero
	}
	if s.i < len(s.b) {
		switch s.b[s.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	v, err := strconv.ParseInt(string(s.b[start:s.i]), 10, 64)
	return v, err == nil
}

func (s *lineScanner) bool() (bool, bool) {
	rest := s.b[s.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		s.i += 4
		return true, true
	case len(rest) >= 5 && string(rest[:5]) == "false":
		s.i += 5
		return false, true
	}
	return false, false
}

// strings reads an array of strings.
func (s *lineScanner) strings() ([]string, bool) {
	if !s.byte('[') {
		return nil, false
	}
	out := []string{}
	s.space()
	if s.byte(']') {
		return out, true
	}
	for {
		s.space()
		v, ok := s.str()
		if !ok {
			return nil, false
		}
		out = append(out, v)
		s.space()
		if s.byte(',') {
			continue
		}
		if s.byte(']') {
			return out, true
		}
		return nil, false
	}
}

// nested decodes an object or array value with encoding/json.
func (s *lineScanner) nested(v any) bool {
	start := s.i
	if !s.skipNested() {
		return false
	}
	return json.Unmarshal(s.b[start:s.i], v) == nil
}

// skipNested moves past an object or array. It only needs to find where the value ends:
// encoding/json checks the value itself.
func (s *lineScanner) skipNested() bool {
	if s.i >= len(s.b) || s.b[s.i] != '{' && s.b[s.i] != '[' {
		return false
	}
	var stack []byte
	for s.i < len(s.b) {
		switch c := s.b[s.i]; c {
		case '{', '[':
			stack = append(stack, c)
		case '}', ']':
			if len(stack) == 0 || stack[len(stack)-1] != c-2 { // '{'+2 == '}', '['+2 == ']'
				return false
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				s.i++
				return true
			}
		case '"':
			s.i++
			for s.i < len(s.b) && s.b[s.i] != '"' {
				if s.b[s.i] == '\\' {
					s.i++
				}
				s.i++
			}
			if s.i >= len(s.b) {
				return false
			}
		}
		s.i++
	}
	return false
}
