package archive

import (
	"testing"
	"unicode"
)

// The fast range checks in isSplitRune must agree with the script tables for every code point.
func TestSplitRuneMatchesScriptTables(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
			unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Thai, r) || unicode.Is(unicode.Lao, r) ||
			unicode.Is(unicode.Khmer, r) || unicode.Is(unicode.Myanmar, r)
		if got := isSplitRune(r); got != want {
			t.Fatalf("isSplitRune(%U) = %v, want %v", r, got, want)
		}
	}
}
