package wechat

import (
	"strconv"
	"unicode/utf8"
)

// rawRow builds a row's raw record as a JSON object of integer and string columns, in order,
// without reflection (this runs once per message).
type rawRow []byte

func newRaw() rawRow { return rawRow(make([]byte, 0, 256)).open() }

func (r rawRow) open() rawRow { return append(r, '{') }

func (r rawRow) key(k string) rawRow {
	if len(r) > 1 {
		r = append(r, ',')
	}
	r = append(r, '"')
	r = append(r, k...)
	return append(r, '"', ':')
}

func (r rawRow) Int(k string, v int64) rawRow { return strconv.AppendInt(r.key(k), v, 10) }

func (r rawRow) Str(k, v string) rawRow { return appendJSONString(r.key(k), v) }

func (r rawRow) String() string { return string(append(r, '}')) }

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
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
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
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
