package archive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese, Japanese and Korean text has no spaces between words, and FTS5's unicode61 tokenizer
// would index a whole run of ideographs as one token, so a search for 护照 inside 我的护照丢了 would
// find nothing. The index therefore stores every such character as its own token, and a query turns
// a run of them into a phrase of consecutive single-character tokens: substring search for CJK,
// word (prefix) search elsewhere. Measured against FTS5's trigram tokenizer it indexes about 4x
// faster, keeps the index smaller, and also finds one- and two-character words (trigram cannot:
// 护照 is two characters). See docs/search.md.

func isSplitRune(r rune) bool {
	// Every script split here lies between Thai (U+0E00) and the end of plane 3; emoji
	// (U+1F300-U+1FAFF) hold none. The range check keeps Latin, Cyrillic, Arabic, Indic text and
	// emoji off the slow table lookups.
	if r < 0x0E00 || (r >= 0x1F300 && r <= 0x1FAFF) || r > 0x3FFFF {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Thai, r) || unicode.Is(unicode.Lao, r) ||
		unicode.Is(unicode.Khmer, r) || unicode.Is(unicode.Myanmar, r)
}

// splitForIndex puts spaces around every character of a script written without spaces. Text
// with none of them (ASCII, Latin, Cyrillic, emoji: most messages) is returned as is without
// allocating; before, non-ASCII text was copied a rune at a time and the copy thrown away.
func splitForIndex(s string) string {
	if !hasSplitRune(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	for _, r := range s {
		if isSplitRune(r) {
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hasSplitRune reports whether s holds a character splitForIndex puts spaces around.
func hasSplitRune(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isSplitRune(r) {
			return true
		}
		i += n
	}
	return false
}

// ftsTerm is one term of a search as FTS5 phrase text: every term must match; a term in double
// quotes is an exact phrase; other Latin-script terms match as word prefixes ("pass" finds
// "passport"); CJK terms match as substrings.
type ftsTerm struct {
	phrase string // the user's text with CJK characters split; quoted before it reaches FTS5
	prefix bool
}

func ftsTerms(q string) []ftsTerm {
	var terms []ftsTerm
	q = strings.ReplaceAll(q, "\x00", " ") // SQLite would end the FTS5 query string there
	for _, term := range splitQueryTerms(q) {
		phrase := strings.TrimSpace(splitForIndex(term.text))
		if phrase == "" || !hasTokenRune(phrase) {
			continue
		}
		last, _ := lastRune(phrase)
		terms = append(terms, ftsTerm{phrase: phrase, prefix: !term.exact && !isSplitRune(last)})
	}
	return terms
}

// quoteFTS makes any text one FTS5 string: nothing a user types is passed as query syntax.
func quoteFTS(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func (t ftsTerm) render() string {
	if t.prefix {
		return quoteFTS(t.phrase) + "*"
	}
	return quoteFTS(t.phrase)
}

// lastToken splits a phrase before its last word, as vocabTerms sees words.
func lastToken(phrase string) (head, last string) {
	end := strings.LastIndexFunc(phrase, isTermRune)
	if end < 0 {
		return phrase, ""
	}
	_, size := utf8.DecodeRuneInString(phrase[end:])
	end += size
	start := strings.LastIndexFunc(phrase[:end], func(r rune) bool { return !isTermRune(r) })
	if start < 0 {
		start = 0
	} else {
		_, size := utf8.DecodeRuneInString(phrase[start:])
		start += size
	}
	return phrase[:start], phrase[start:end]
}

type queryTerm struct {
	text  string
	exact bool
}

func splitQueryTerms(q string) []queryTerm {
	var terms []queryTerm
	for {
		q = strings.TrimSpace(q)
		if q == "" {
			return terms
		}
		if q[0] == '"' {
			end := strings.IndexByte(q[1:], '"')
			if end < 0 {
				terms = append(terms, queryTerm{q[1:], true})
				return terms
			}
			terms = append(terms, queryTerm{q[1 : end+1], true})
			q = q[end+2:]
			continue
		}
		end := strings.IndexFunc(q, unicode.IsSpace)
		if end < 0 {
			terms = append(terms, queryTerm{q, false})
			return terms
		}
		terms = append(terms, queryTerm{q[:end], false})
		q = q[end:]
	}
}

func hasTokenRune(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0
}

func lastRune(s string) (rune, bool) {
	s = strings.TrimRightFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < 0x80 || s[i] >= 0xC0 {
			r := []rune(s[i:])
			return r[0], true
		}
	}
	return 0, false
}
