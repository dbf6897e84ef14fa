package html

import (
	"strconv"
	"unicode/utf8"
)

// searchEntry is one message in the search data: [seq, page, sender, unix ms, text].
type searchEntry struct {
	seq, page int
	sender    string
	ts        int64
	text      string
}

// appendSearchScript writes a piece of search data as the script the search page loads:
// cvSearchChunk(conv, piece, [[seq, page, "sender", ts, "text"], ...]). Written by hand rather
// than with encoding/json (a million messages, reflection per value adds up); strings are
// escaped by appendJSString, so no text can end the script or the string.
func appendSearchScript(b []byte, conv int64, piece int, entries []searchEntry) []byte {
	b = append(b, "cvSearchChunk("...)
	b = strconv.AppendInt(b, conv, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(piece), 10)
	b = append(b, ",["...)
	for i, e := range entries {
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(e.seq), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(e.page), 10)
		b = append(b, ',')
		b = appendJSString(b, e.sender)
		b = append(b, ',')
		b = strconv.AppendInt(b, e.ts, 10)
		b = append(b, ',')
		b = appendJSString(b, e.text)
		b = append(b, ']')
	}
	return append(b, "]);\n"...)
}

const hexDigits = "0123456789abcdef"

// appendJSString appends s as a double-quoted JavaScript (and JSON) string literal. Besides
// quotes, backslashes and control characters it escapes <, > and & (so "</script>" or "<!--"
// mean nothing even inline), U+2028 and U+2029 (line terminators in older JavaScript), and
// invalid UTF-8 becomes U+FFFD.
func appendJSString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"':
				b = append(b, '\\', '"')
			case '\\':
				b = append(b, '\\', '\\')
			case '\n':
				b = append(b, '\\', 'n')
			case '\t':
				b = append(b, '\\', 't')
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += n
			start = i
			continue
		}
		i += n
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
