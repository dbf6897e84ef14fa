package whatsapp

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// slowNormalize is normalizeText without the ASCII fast path.
func slowNormalize(s string) string {
	s = norm.NFC.String(s)
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) }), " ")
}

func TestNormalizeTextFastPathAgrees(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\r\nb", "\x00x", "ok lol",
		"café", "e\u0301", "a\u200bb", "x\u00a0y", "👨‍👩‍👧‍👦 dinner", "a\vb", "a\fb", "end.  "} {
		if got, want := normalizeText(s), slowNormalize(s); got != want {
			t.Errorf("normalizeText(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzNormalizeTextFastPath(f *testing.F) {
	f.Add("a b")
	f.Add(" a  b ")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normalizeText(s), slowNormalize(s); got != want {
			t.Errorf("normalizeText(%q) = %q, want %q", s, got, want)
		}
	})
}
