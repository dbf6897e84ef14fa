package wachat

// WhatsApp sprinkles invisible formatting characters through exports:
//
//   - U+200E LEFT-TO-RIGHT MARK before system messages, placeholders and
//     attachment tags, at line starts and inside "<attached: >" on iOS;
//   - U+200F RIGHT-TO-LEFT MARK and U+061C ARABIC LETTER MARK inside
//     dates and before text in Arabic, Persian and Hebrew locales;
//   - U+FEFF (a byte-order mark) at the start of the file and, in some
//     exports, at line starts, inside brackets and in the middle of text;
//   - U+202A..U+202E embeddings and U+2066..U+2069 isolates around phone
//     numbers and names.
//
// They carry no meaning for a message and differ between exports of the
// same chat, so they are skipped in headers and removed from authors and
// text (Raw keeps them). Joiners (U+200C, U+200D) and U+200B are not marks
// in that sense: emoji sequences and several scripts need them.

// markLen returns the byte length of the invisible mark at b[i:], or 0.
func markLen(b []byte, i int) int {
	switch b[i] {
	case 0xE2:
		if i+2 < len(b) {
			c1, c2 := b[i+1], b[i+2]
			if c1 == 0x80 && (c2 == 0x8E || c2 == 0x8F || (c2 >= 0xAA && c2 <= 0xAE)) {
				return 3 // U+200E, U+200F, U+202A..U+202E
			}
			if c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9 {
				return 3 // U+2066..U+2069
			}
		}
	case 0xEF:
		if i+2 < len(b) && b[i+1] == 0xBB && b[i+2] == 0xBF {
			return 3 // U+FEFF
		}
	case 0xD8:
		if i+1 < len(b) && b[i+1] == 0x9C {
			return 2 // U+061C
		}
	}
	return 0
}

// isMark reports whether r is one of the invisible marks described above.
func isMark(r rune) bool {
	switch {
	case r == 0x200E, r == 0x200F, r == 0x061C, r == 0xFEFF:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// skipMarks returns the index of the first byte at or after i that does
// not start a mark.
func skipMarks(b []byte, i int) int {
	for i < len(b) && b[i] >= 0xD8 {
		n := markLen(b, i)
		if n == 0 {
			return i
		}
		i += n
	}
	return i
}

// spaceLen returns the byte length of a space at b[i:]: a plain space, a
// tab, a no-break space (U+00A0), a narrow no-break space (U+202F, used
// before AM/PM since iOS 17 and recent Android) or a thin space (U+2009).
func spaceLen(b []byte, i int) int {
	switch b[i] {
	case ' ', '\t':
		return 1
	case 0xC2:
		if i+1 < len(b) && b[i+1] == 0xA0 {
			return 2
		}
	case 0xE2:
		if i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xAF || b[i+2] == 0x89) {
			return 3
		}
	}
	return 0
}

// skipBlank skips spaces and marks.
func skipBlank(b []byte, i int) int {
	for i < len(b) {
		n := spaceLen(b, i)
		if n == 0 {
			n = markLen(b, i)
			if n == 0 {
				return i
			}
		}
		i += n
	}
	return i
}
