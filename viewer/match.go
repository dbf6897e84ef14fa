package viewer

import (
	"strings"
	"unicode"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"
)

// Search terms are read the way the archive's full-text search reads them: words separated by
// spaces match word starts ("pass" finds "passport"), "quoted phrases" match exactly, and
// Chinese, Japanese, Korean and Thai text matches anywhere. Case and accents are ignored. The
// viewer uses this to highlight hits (the ranges it sends are in UTF-16 code units, JavaScript's
// string indexes) and to search snapshots, which have no index.

type term struct {
	runes    []rune // folded
	anywhere bool   // matches inside words too (CJK, or a quoted phrase starting with CJK)
}

func parseTerms(q string) []term {
	var out []term
	for {
		q = strings.TrimSpace(q)
		if q == "" {
			return out
		}
		var t string
		if q[0] == '"' {
			end := strings.IndexByte(q[1:], '"')
			if end < 0 {
				t, q = q[1:], ""
			} else {
				t, q = q[1:end+1], q[end+2:]
			}
		} else {
			end := strings.IndexFunc(q, unicode.IsSpace)
			if end < 0 {
				end = len(q)
			}
			t, q = q[:end], q[end:]
		}
		f := foldString(strings.TrimSpace(t))
		f = trimPunct(f)
		if len(f) > 0 {
			out = append(out, term{runes: f, anywhere: isSplitRune(f[0])})
		}
	}
}

// trimPunct drops punctuation around a term, which the index does not hold either.
func trimPunct(r []rune) []rune {
	isTok := func(c rune) bool { return unicode.IsLetter(c) || unicode.IsNumber(c) }
	for len(r) > 0 && !isTok(r[0]) {
		r = r[1:]
	}
	for len(r) > 0 && !isTok(r[len(r)-1]) {
		r = r[:len(r)-1]
	}
	return r
}

func isSplitRune(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Thai, r) || unicode.Is(unicode.Lao, r) ||
		unicode.Is(unicode.Khmer, r) || unicode.Is(unicode.Myanmar, r)
}

// foldRune lower-cases r and drops its accents ("É" -> "e").
func foldRune(r rune) rune {
	if r < 0x80 {
		return unicode.ToLower(r)
	}
	d := norm.NFD.String(string(r))
	for _, c := range d {
		return unicode.ToLower(c) // the base letter comes first
	}
	return unicode.ToLower(r)
}

func isMark(r rune) bool { return unicode.Is(unicode.Mn, r) }

func foldString(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range norm.NFC.String(s) {
		if isMark(r) {
			continue
		}
		out = append(out, foldRune(r))
	}
	return out
}

// folded is a text folded for matching, with each folded rune's place in the original text in
// UTF-16 code units.
type folded struct {
	runes []rune
	start []int // UTF-16 offset where folded rune i starts
	end   []int
	wordy []bool // the rune before it is a letter or digit (not a word start)
}

func foldText(s string) folded {
	f := folded{runes: make([]rune, 0, len(s))}
	pos := 0
	prevTok := false
	for _, r := range s {
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1
		}
		if isMark(r) {
			if k := len(f.end); k > 0 {
				f.end[k-1] = pos + n // the accent belongs to the letter before it
			}
			pos += n
			continue
		}
		f.runes = append(f.runes, foldRune(r))
		f.start = append(f.start, pos)
		f.end = append(f.end, pos+n)
		f.wordy = append(f.wordy, prevTok)
		prevTok = (unicode.IsLetter(r) || unicode.IsNumber(r)) && !isSplitRune(r)
		pos += n
	}
	return f
}

// matchAll reports whether text contains every term, and where (UTF-16 ranges, sorted, merged).
func matchAll(text string, terms []term) ([][2]int, bool) {
	if len(terms) == 0 {
		return nil, false
	}
	f := foldText(text)
	var ranges [][2]int
	for _, t := range terms {
		found := false
		for i := 0; i+len(t.runes) <= len(f.runes); i++ {
			if !t.anywhere && f.wordy[i] {
				continue
			}
			if equalRunes(f.runes[i:i+len(t.runes)], t.runes) {
				ranges = append(ranges, [2]int{f.start[i], f.end[i+len(t.runes)-1]})
				found = true
				i += len(t.runes) - 1
			}
		}
		if !found {
			return nil, false
		}
	}
	return mergeRanges(ranges), true
}

// highlight returns the ranges of whichever terms text contains (a hit found through the index
// may match on an attachment's name, not its text).
func highlight(text string, terms []term) [][2]int {
	var all [][2]int
	for _, t := range terms {
		if r, ok := matchAll(text, []term{t}); ok {
			all = append(all, r...)
		}
	}
	return mergeRanges(all)
}

func equalRunes(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func mergeRanges(r [][2]int) [][2]int {
	if len(r) < 2 {
		return r
	}
	for i := 1; i < len(r); i++ { // insertion sort: a handful of ranges
		for j := i; j > 0 && r[j][0] < r[j-1][0]; j-- {
			r[j], r[j-1] = r[j-1], r[j]
		}
	}
	out := r[:1]
	for _, x := range r[1:] {
		last := &out[len(out)-1]
		if x[0] <= last[1] {
			last[1] = max(last[1], x[1])
			continue
		}
		out = append(out, x)
	}
	return out
}
