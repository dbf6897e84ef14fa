package wachat

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The word tables hold each wording once, but exports show some of them
// in more than one spelling of the same text:
//
//   - the first letter capitalised or not: norm lower-cases ASCII only (it
//     runs on every message), so "Àudio omès" and "àudio omès", or
//     "Карточка" and "карточка", are different keys;
//   - Indic letters with a nukta precomposed (U+095C ड़) or as the letter
//     and the sign (U+0921 U+093C), which strings from different sources
//     write differently;
//   - Arabic with or without its optional vowel marks ("حذَفت", "حذفت").
//
// variants adds the other spellings when the lookup maps are built, so a
// message still costs one map lookup.

// variants returns s and its other spellings (see above), without
// duplicates.
func variants(s string) []string {
	out := []string{s}
	add := func(v string) {
		for _, o := range out {
			if o == v {
				return
			}
		}
		out = append(out, v)
	}
	for _, base := range []string{s, composeNukta(s), decomposeNukta(s), stripHarakat(s)} {
		add(base)
		r, n := utf8.DecodeRuneInString(base)
		if r < utf8.RuneSelf || n == 0 {
			continue // ASCII: norm lower-cases it already
		}
		add(string(unicode.ToLower(r)) + base[n:])
		add(string(unicode.ToUpper(r)) + base[n:])
	}
	return out
}

// nuktaPairs are the precomposed nukta letters of Devanagari and Bengali
// and the letter they decompose into (followed by the nukta sign).
var nuktaPairs = [...]struct {
	composed, base, nukta rune
}{
	{0x0958, 0x0915, 0x093C}, {0x0959, 0x0916, 0x093C}, {0x095A, 0x0917, 0x093C}, {0x095B, 0x091C, 0x093C},
	{0x095C, 0x0921, 0x093C}, {0x095D, 0x0922, 0x093C}, {0x095E, 0x092B, 0x093C}, {0x095F, 0x092F, 0x093C},
	{0x09DC, 0x09A1, 0x09BC}, {0x09DD, 0x09A2, 0x09BC}, {0x09DF, 0x09AF, 0x09BC},
}

func decomposeNukta(s string) string {
	for _, p := range nuktaPairs {
		s = strings.ReplaceAll(s, string(p.composed), string([]rune{p.base, p.nukta}))
	}
	return s
}

func composeNukta(s string) string {
	for _, p := range nuktaPairs {
		s = strings.ReplaceAll(s, string([]rune{p.base, p.nukta}), string(p.composed))
	}
	return s
}

// stripHarakat removes the Arabic short vowel and related marks
// (U+064B..U+0652), which are optional in writing.
func stripHarakat(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0x064B && r <= 0x0652 {
			return -1
		}
		return r
	}, s)
}
