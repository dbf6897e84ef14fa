package archive

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FTS5 answers a prefix query ("photo*") by merging the doclists of every term with that prefix
// before it returns the first row: O(hits), 0.3 s for a word in 30% of 10M messages, whatever
// the LIMIT. For a whole term it reads its doclist lazily, newest key first. The index therefore
// keeps its vocabulary (vocab table), and Search turns a prefix into an OR of the terms that
// start with it, which FTS5 merges lazily: the newest page costs the same however many messages
// match. A prefix of more than maxExpansions terms ("a") falls back to FTS5's own prefix query.
const maxExpansions = 64

// vocabTerms calls add with the terms FTS5's unicode61 tokenizer (remove_diacritics 2) makes of
// s, as near as Go can tell: runs of letters, digits and combining marks, lower-cased, and also
// without diacritics. A variant FTS5 does not hold costs nothing at query time; only Latin-script
// prefixes are expanded (one-character CJK tokens are never prefixes).
func vocabTerms(s string, add func(string)) {
	vocabTokens(s, func(tok string) { termForms(tok, add) })
}

// vocabTokens calls each with the runs of term characters in s, as they are written.
func vocabTokens(s string, each func(string)) {
	for i := 0; i < len(s); {
		if n := termRuneLen(s[i:]); n <= 0 {
			i += -n
			continue
		}
		j := i
		for j < len(s) {
			n := termRuneLen(s[j:])
			if n <= 0 {
				break
			}
			j += n
		}
		tok := s[i:j]
		i = j
		if len(tok) > 64 {
			continue // no one types a prefix of a 64-byte word; FTS5's own prefix query still finds it
		}
		each(tok)
	}
}

// termForms calls add with the terms one token is indexed as: lower-cased, and also without
// diacritics when that differs.
func termForms(tok string, add func(string)) {
	lower := foldCase(tok)
	add(lower)
	if bare := removeDiacritics(lower); bare != lower {
		add(bare)
	}
}

// termRuneLen decodes the character s starts with: its length when it belongs in a term, minus
// its length when it does not. ASCII, most of every message, is one table look-up.
func termRuneLen(s string) int {
	if c := s[0]; c < utf8.RuneSelf {
		if asciiTermByte[c] {
			return 1
		}
		return -1
	}
	r, n := utf8.DecodeRuneInString(s)
	if isTermRune(r) {
		return n
	}
	return -n
}

var asciiTermByte = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = isTermRune(rune(c))
	}
	return t
}()

func isTermRune(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return !isSplitRune(r) && (unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Co))
}

func foldCase(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func removeDiacritics(s string) string {
	if !hasNonASCII(s) {
		return s
	}
	d := norm.NFD.String(s)
	var b strings.Builder
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// vocabWriter collects the terms of one index transaction and adds the new ones at each move.
type vocabWriter struct {
	known   map[string]struct{} // terms already pending or written: saves re-inserting them
	pending []string
	// seen holds tokens as written whose terms are in known, so a word met again (most words of
	// a chat) is one map look-up, not a case fold and a Unicode decomposition: those were a third
	// of the vocabulary's CPU in an import of Latin and Cyrillic text.
	seen map[string]struct{}
	buf  []byte // the last flush's JSON, reused
}

// maxKnownTerms bounds known: it only spares INSERT OR IGNORE a repeat, and an import of a
// million messages with a number in each (ids, amounts) held every term, and through each term
// its whole message text, for the whole import (some 70 MB of a 1M-message import's heap).
const maxKnownTerms = 1 << 17

func (v *vocabWriter) addText(s string) {
	vocabTokens(s, func(tok string) {
		if _, ok := v.seen[tok]; ok {
			return
		}
		termForms(tok, func(t string) {
			if _, ok := v.known[t]; !ok {
				t = strings.Clone(t) // t is a piece of the message's text: keep the term, not the text
				v.known[t] = struct{}{}
				v.pending = append(v.pending, t)
			}
		})
		// Each map is bounded on its own: a token in seen only promises its terms were queued
		// once, which stays true when known forgets them.
		if len(v.known) >= maxKnownTerms {
			clear(v.known)
		}
		if len(v.seen) >= maxKnownTerms {
			clear(v.seen)
		}
		if v.seen == nil {
			v.seen = map[string]struct{}{}
		}
		v.seen[strings.Clone(tok)] = struct{}{}
	})
}

// flush adds the pending terms in one statement: a JSON array read by json_each, in sorted order.
// Binding them 500 at a time as parameters cost a third more (BenchmarkVocabFlush, 1M distinct
// numbers: 2.21-2.31 s against 1.65-1.73 s), since this driver copies every parameter into C
// memory on its own.
func (v *vocabWriter) flush(ctx context.Context, tx *sql.Tx) error {
	if len(v.pending) == 0 {
		return nil
	}
	slices.Sort(v.pending)
	b := append(v.buf[:0], '[')
	for i, t := range v.pending {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONText(b, t)
	}
	b = append(b, ']')
	v.buf = b
	clear(v.pending)
	v.pending = v.pending[:0]
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO vocab(term) SELECT value FROM json_each(?)`, string(b))
	return err
}

// expandPrefix returns the index's terms that start with prefix (folded as the index folds), or
// ok=false when there are more than maxExpansions of them.
func expandPrefix(ctx context.Context, db queryer, prefix string) (terms []string, ok bool, err error) {
	rows, err := db.QueryContext(ctx, `SELECT term FROM vocab WHERE term >= ? AND term < ? ORDER BY term LIMIT ?`,
		prefix, prefix+string(utf8.MaxRune), maxExpansions+1)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, false, err
		}
		terms = append(terms, t)
	}
	return terms, len(terms) <= maxExpansions, rows.Err()
}

// matchExpr is the FTS5 query for terms, each prefix term turned into an OR of the whole terms
// it stands for (see maxExpansions).
func (s *searchIndex) matchExpr(ctx context.Context, terms []ftsTerm) (string, error) {
	parts := make([]string, 0, len(terms))
	for _, t := range terms {
		head, last := lastToken(t.phrase)
		if !t.prefix || last == "" {
			parts = append(parts, t.render())
			continue
		}
		words, ok, err := expandPrefix(ctx, s.reads, removeDiacritics(foldCase(last)))
		if err != nil {
			return "", err
		}
		if !ok || len(words) == 0 {
			// Too many to list, or a word the vocabulary cannot tell (FTS5 folds a few letters
			// differently from Go): FTS5's own prefix query is always right.
			parts = append(parts, t.render())
			continue
		}
		alts := make([]string, len(words))
		for i, w := range words {
			alts[i] = quoteFTS(head + w)
		}
		parts = append(parts, "("+strings.Join(alts, " OR ")+")")
	}
	return strings.Join(parts, " AND "), nil
}
