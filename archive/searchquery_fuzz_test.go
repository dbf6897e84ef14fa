package archive

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzSearchQuery: whatever a user types becomes a valid FTS5 query (or "nothing to search for"),
// never FTS5 syntax of their own, and lastToken cuts phrases where it says.
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"passport", `"my pass"`, "护照", "pass 护照 ポート", `a"b`, `" unterminated`, "AND OR NOT",
		"résumé*", "x^y:z", "(a) {b} [c]", "e\u0301", "\x00\xff", "NEAR(a b)", "a\"\"b", "١٢٣ ๑๒"} {
		f.Add(s)
	}
	ctx := context.Background()
	idx, err := openSearchIndex(ctx, filepath.Join(f.TempDir(), indexName))
	if err != nil {
		f.Fatal(err)
	}
	defer idx.close()
	w, err := idx.begin(ctx)
	if err != nil {
		f.Fatal(err)
	}
	w.add([]indexDoc{{id: 1, ts: 1, text: "pass passport résumé 我的护照 パスポート ab*c"}})
	if err := w.commit(1); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		terms := ftsTerms(q)
		for _, term := range terms {
			head, last := lastToken(term.phrase)
			if !strings.HasPrefix(term.phrase, head+last) {
				t.Fatalf("lastToken(%q) = %q, %q", term.phrase, head, last)
			}
		}
		if len(terms) == 0 {
			return
		}
		expr, err := idx.matchExpr(ctx, terms)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := idx.db.QueryRowContext(ctx, `SELECT count(*) FROM fts WHERE fts MATCH ?`, expr).Scan(&n); err != nil {
			t.Fatalf("%q -> %s: %v", q, expr, err)
		}
	})
}
