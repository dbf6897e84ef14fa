package archive

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// vocabTermsByRune is vocabTerms as first written, a rune at a time with strings.IndexFunc: the
// reference the byte-table version must agree with.
func vocabTermsByRune(s string, add func(string)) {
	for len(s) > 0 {
		i := strings.IndexFunc(s, isTermRune)
		if i < 0 {
			return
		}
		s = s[i:]
		j := strings.IndexFunc(s, func(r rune) bool { return !isTermRune(r) })
		if j < 0 {
			j = len(s)
		}
		tok := s[:j]
		s = s[j:]
		if len(tok) > 64 {
			continue
		}
		lower := foldCase(tok)
		add(lower)
		if bare := removeDiacritics(lower); bare != lower {
			add(bare)
		}
	}
}

// mixedScriptPieces are what randomMixedText joins: many scripts, combining marks, emoji,
// punctuation, invalid UTF-8 and a long word.
var mixedScriptPieces = []string{"a", "Z", "7", " ", ".", "-", "_", "'", "é", "Å", "ß", "ı", "İ", "ñ", "e\u0301", "\u0308",
	"Привет", "مرحبا", "नमस्ते", "我们", "東京", "ひらがな", "カタカナ", "한국어", "ไทย", "😀", "👍🏽", "\u200d",
	"\xff", "\xc3", "\xe6\x88", "\x00", "\t", "\n", "Ⅻ", "²", "٣", "\uE000", strings.Repeat("x", 70)}

func randomMixedText(rng *rand.Rand) string {
	var b strings.Builder
	for n := rng.IntN(12); n >= 0; n-- {
		b.WriteString(mixedScriptPieces[rng.IntN(len(mixedScriptPieces))])
	}
	return b.String()
}

// The vocabulary of random text in many scripts, with combining marks, emoji, punctuation,
// invalid UTF-8 and long words, is the same as the rune-at-a-time reference's.
func TestVocabTermsMatchesRuneByRune(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 20000; k++ {
		s := randomMixedText(rng)
		var got, want []string
		vocabTerms(s, func(t string) { got = append(got, t) })
		vocabTermsByRune(s, func(t string) { want = append(want, t) })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: terms %q, want %q", s, got, want)
		}
	}
}

// splitForIndexByRune is splitForIndex as first written: the reference for the version that
// looks for a character to split before it copies anything.
func splitForIndexByRune(s string) string {
	var b strings.Builder
	split := false
	for _, r := range s {
		if isSplitRune(r) {
			split = true
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	if !split {
		return s
	}
	return b.String()
}

// splitForIndex gives what the rune-at-a-time version gives on random text in many scripts,
// with invalid UTF-8 before and after the characters it splits.
func TestSplitForIndexMatchesRuneByRune(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		s := randomMixedText(rng)
		if got, want := splitForIndex(s), splitForIndexByRune(s); got != want {
			t.Fatalf("%q: %q, want %q", s, got, want)
		}
	}
}
