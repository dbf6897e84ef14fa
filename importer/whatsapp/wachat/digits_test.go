package wachat

import (
	"testing"
	"unicode"
)

// digitValue relies on every range of unicode.Nd being whole sets of ten
// digits that start at a zero.
func TestDigitRanges(t *testing.T) {
	for _, g := range unicode.Nd.R16 {
		if g.Stride != 1 || (int(g.Hi)-int(g.Lo)+1)%10 != 0 {
			t.Errorf("range %#x-%#x stride %d", g.Lo, g.Hi, g.Stride)
		}
	}
	for _, g := range unicode.Nd.R32 {
		if g.Stride != 1 || (int(g.Hi)-int(g.Lo)+1)%10 != 0 {
			t.Errorf("range %#x-%#x stride %d", g.Lo, g.Hi, g.Stride)
		}
	}
	for r, want := range map[rune]int{'7': 7, '٧': 7, '۷': 7, '७': 7, '৭': 7, '๗': 7, '７': 7, 'a': -1, '٫': -1} {
		if got := digitValue(r); got != want {
			t.Errorf("digitValue(%q) = %d, want %d", r, got, want)
		}
	}
}

func TestNumber(t *testing.T) {
	for in, want := range map[string][3]int{
		"12/":   {12, 2, 2},
		"٢٠٢٢،": {2022, 4, 8},
		"12345": {1234, 5, 4},
		"x":     {0, 0, 0},
		"0":     {0, 1, 1},
		"२२:३५": {22, 2, 6},
	} {
		v, d, next := number([]byte(in), 0)
		if [3]int{v, d, next} != want {
			t.Errorf("number(%q) = %d %d %d, want %v", in, v, d, next, want)
		}
	}
}
