package importer

import "unicode/utf8"

// MaxRawBytes bounds the raw record kept with each message (archive.Message.Raw): enough for any
// real row or JSON message, small enough that a hostile source cannot bloat the archive.
const MaxRawBytes = 64 << 10

// ClipRaw is a raw record as kept: at most MaxRawBytes, cut at a character boundary and marked.
func ClipRaw(b []byte) string {
	if len(b) <= MaxRawBytes {
		return string(b)
	}
	n := MaxRawBytes
	for n > 0 && b[n]&0xC0 == 0x80 {
		n--
	}
	return string(b[:n]) + "…(clipped)"
}

// AppendJSONString appends s quoted as a JSON string (strconv.Quote's escapes are not all JSON),
// invalid UTF-8 as U+FFFD, at most MaxRawBytes of it. Importers build raw records of database
// rows with it, once per message, without reflection.
func AppendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	if len(s) > MaxRawBytes {
		s = s[:MaxRawBytes] // a character cut in half is written as U+FFFD below
	}
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\ufffd"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
