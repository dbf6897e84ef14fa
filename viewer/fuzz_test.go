package viewer

import (
	"testing"
	"unicode/utf16"
)

// FuzzMatch: highlight ranges always lie inside the text, in order, without overlap.
func FuzzMatch(f *testing.F) {
	for _, s := range [][2]string{{"My passport", "pass"}, {"我的护照", "护照"}, {"Cafe\u0301", "café"}, {"😂a😂", "a"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, q string) {
		n := len(utf16.Encode([]rune(text)))
		ranges, _ := matchAll(text, parseTerms(q))
		ranges = append(ranges, highlight(text, parseTerms(q))...)
		for _, r := range ranges {
			if r[0] < 0 || r[1] > n || r[0] >= r[1] {
				t.Fatalf("range %v outside %q (%d units)", r, text, n)
			}
		}
		h := highlight(text, parseTerms(q))
		for i := 1; i < len(h); i++ {
			if h[i][0] < h[i-1][1] {
				t.Fatalf("ranges overlap: %v", h)
			}
		}
	})
}
