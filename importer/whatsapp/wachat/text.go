package wachat

import (
	"strings"
	"unicode/utf8"
)

// appendNorm appends s to dst normalised for comparison with the word
// tables: invisible marks removed, no-break and thin spaces made plain and
// runs of spaces collapsed, curly quotes made straight, ASCII letters
// lower-cased, surrounding spaces and final full stops (. 。 । ۔) dropped.
// Phones write these wordings themselves, so only this much variation
// needs absorbing.
func appendNorm(dst []byte, s string) []byte {
	start := len(dst)
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || c == '\t':
				space = true
				continue
			case c >= 'A' && c <= 'Z':
				c |= 0x20
			}
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, c)
			continue
		}
		switch c {
		case 0xC2, 0xD8, 0xE2, 0xE3, 0xEF:
			// Lead bytes of marks, special spaces and quotes.
		default:
			// Any other byte of a multi-byte character is copied as
			// it is (continuation bytes are never one of the leads
			// above).
			if space && c >= 0xC0 && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, c)
			i++
			continue
		}
		if n := markLenString(s, i); n > 0 {
			i += n
			continue
		}
		if n := spaceLenString(s, i); n > 0 {
			i += n
			space = true
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		var q byte
		switch s[i : i+n] {
		case "“", "”", "„", "«", "»", "「", "」":
			q = '"'
		case "‘", "’":
			q = '\''
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		if q != 0 {
			dst = append(dst, q)
		} else {
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	for len(dst) > start {
		switch {
		case dst[len(dst)-1] == '.' || dst[len(dst)-1] == ' ':
			dst = dst[:len(dst)-1]
		case hasSuffixBytes(dst[start:], "。"), hasSuffixBytes(dst[start:], "।"):
			dst = dst[:len(dst)-3]
		case hasSuffixBytes(dst[start:], "۔"):
			dst = dst[:len(dst)-2]
		default:
			return dst
		}
	}
	return dst
}

// norm is appendNorm into a new string (for the slow paths).
func norm(s string) string { return string(appendNorm(nil, s)) }

func hasSuffixBytes(b []byte, suf string) bool {
	return len(b) >= len(suf) && string(b[len(b)-len(suf):]) == suf
}

// stringBytes converts a short string to bytes for the byte-level helpers.
// Go does not allocate for such conversions when the result does not
// escape.
func stringBytes(s string) []byte { return []byte(s) }

// markLenString is markLen for strings.
func markLenString(s string, i int) int {
	return markLen(stringBytes(s[i:min(i+3, len(s))]), 0)
}

// startsWithMark reports whether s begins with an invisible mark.
func startsWithMark(s string) bool { return len(s) > 0 && s[0] >= 0xD8 && markLenString(s, 0) > 0 }

// startsWithDirMark reports whether s begins with a directional mark
// (LRM, RLM, ALM), possibly after other marks.
func startsWithDirMark(s string) bool {
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, "\u200e"), strings.HasPrefix(s, "\u200f"), strings.HasPrefix(s, "\u061c"):
			return true
		case strings.HasPrefix(s, "\ufeff"):
			s = s[3:]
		default:
			return false
		}
	}
	return false
}

// hasMarkString reports whether s contains an invisible mark.
func hasMarkString(s string) bool {
	for _, lead := range [...]byte{0xE2, 0xEF, 0xD8} {
		for off := 0; ; {
			j := strings.IndexByte(s[off:], lead)
			if j < 0 {
				break
			}
			if markLenString(s, off+j) > 0 {
				return true
			}
			off += j + 1
		}
	}
	return false
}

// stripMarks removes invisible marks from s; it returns s itself when
// there are none.
func stripMarks(s string) string {
	if !hasMarkString(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	start := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		if n := markLenString(s, i); n > 0 {
			b = append(b, s[start:i]...)
			i += n
			start = i
			continue
		}
		i++
	}
	b = append(b, s[start:]...)
	return string(b)
}

// cleanName is an author or header name as the archive should see it:
// marks removed, no-break spaces made plain, surrounding spaces trimmed.
// Android and iOS exports of one chat then agree ("+90 531 022 21 53" is
// written with no-break spaces on iOS).
func cleanName(s string) string {
	special := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\t', 0xC2, 0xD8, 0xE2, 0xEF:
			special = true
		}
	}
	if !special || !hasMarkString(s) && !hasSpecialSpace(s) && strings.IndexByte(s, '\t') < 0 {
		return strings.TrimSpace(s)
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			c := s[i]
			if c == '\t' {
				c = ' '
			}
			b = append(b, c)
			i++
			continue
		}
		if n := markLenString(s, i); n > 0 {
			i += n
			continue
		}
		if n := spaceLenString(s, i); n > 0 {
			b = append(b, ' ')
			i += n
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		b = append(b, s[i:i+n]...)
		i += n
	}
	return strings.TrimSpace(string(b))
}

// hasSpecialSpace reports whether s has a no-break, narrow no-break or
// thin space.
func hasSpecialSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] == 0xC2 || s[i] == 0xE2) && spaceLenString(s, i) > 0 {
			return true
		}
	}
	return false
}

func trimBlankString(s string) string {
	for len(s) > 0 {
		if n := spaceLenString(s, 0); n > 0 {
			s = s[n:]
			continue
		}
		if n := markLenString(s, 0); n > 0 {
			s = s[n:]
			continue
		}
		break
	}
	for len(s) > 0 {
		r, n := utf8.DecodeLastRuneInString(s)
		if r == ' ' || r == '\t' || r == 0xA0 || r == 0x202F || r == 0x2009 || isMark(r) {
			s = s[:len(s)-n]
			continue
		}
		break
	}
	return s
}

func spaceLenString(s string, i int) int {
	return spaceLen(stringBytes(s[i:min(i+3, len(s))]), 0)
}

// dropTrailingBlankLines removes the lines at the end of s that hold only
// spaces and marks (a message never ends with an empty line; exports
// sometimes do).
func dropTrailingBlankLines(s string) string {
	for {
		i := strings.LastIndexByte(s, '\n')
		if i < 0 || trimBlankString(s[i+1:]) != "" {
			return s
		}
		s = s[:i]
	}
}

// firstLine splits s at its first line break.
func firstLine(s string) (first, rest string, multi bool) {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}
