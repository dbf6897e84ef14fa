package txt

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lrm is U+200E LEFT-TO-RIGHT MARK: invisible, and removed from message text by WhatsApp
// importers (WhatsApp itself scatters it through its exports).
const lrm = "\u200e"

// guardWindow is how far into a line a message header's time can be: the longest dates
// ("Wednesday, 28 August 2013") and brackets fit well within it.
const guardWindow = 96

// guardLine keeps a continuation line from reading as a message header. Every header has a time,
// H:MM or H.MM, where the separator follows the hour's digits directly; a mark between them
// breaks the time and so the header, whatever the date shape or locale. Lines without a digit
// followed by ':' or '.' and another digit near their start are returned unchanged.
func guardLine(line string) string {
	if !risky(line) {
		return line
	}
	var b strings.Builder
	b.Grow(len(line) + 12)
	prevDigit := false
	for i := 0; i < len(line); {
		r, n := utf8.DecodeRuneInString(line[i:])
		if i < guardWindow && prevDigit && (r == ':' || r == '.') {
			if next, _ := utf8.DecodeRuneInString(line[i+1:]); unicode.IsDigit(next) {
				b.WriteString(lrm)
			}
		}
		b.WriteString(line[i : i+n]) // the bytes as they are, valid UTF-8 or not
		prevDigit = unicode.IsDigit(r)
		i += n
	}
	return b.String()
}

// risky reports whether a digit, then ':' or '.', then a digit occur within the guard window.
func risky(line string) bool {
	end := min(len(line), guardWindow)
	for i := 0; i < end; i++ {
		c := line[i]
		if (c == ':' || c == '.') && i > 0 && i+1 < len(line) {
			prev, _ := utf8.DecodeLastRuneInString(line[:i])
			next, _ := utf8.DecodeRuneInString(line[i+1:])
			if unicode.IsDigit(prev) && unicode.IsDigit(next) {
				return true
			}
		}
	}
	return false
}
