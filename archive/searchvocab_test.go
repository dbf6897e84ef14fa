package archive

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// A prefix becomes the whole words the index holds, which FTS5 reads lazily newest first.
func TestSearchPrefixBecomesWords(t *testing.T) {
	a := openTemp(t)
	importMessages(t, a, "chat", []string{"an apple", "Apricot jam", "my Résumé", "banana"})
	ctx := context.Background()
	if err := a.catchUpIndex(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, want string }{
		{"ap", `("apple" OR "apricot")`},
		{"APR", `("apricot")`},
		{"résu", `("resume")`},
		{`"an apple"`, `"an apple"`},
		{"an ap", `("an") AND ("apple" OR "apricot")`},
		{"zzz", `"zzz"*`}, // nothing to list: FTS5's own prefix query
	} {
		got, err := a.index.matchExpr(ctx, ftsTerms(tc.q))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%q: got %s want %s", tc.q, got, tc.want)
		}
	}
}

// More words than maxExpansions share a prefix: FTS5's own prefix query finds them all.
func TestSearchPrefixOfManyWords(t *testing.T) {
	a := openTemp(t)
	var texts []string
	for i := 0; i < maxExpansions+10; i++ {
		texts = append(texts, fmt.Sprintf("word%d", i))
	}
	importMessages(t, a, "chat", texts)
	ctx := context.Background()
	hits, err := a.Search(ctx, SearchQuery{Text: "wor", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != len(texts) {
		t.Fatalf("%d hits, want %d", len(hits), len(texts))
	}
	got, _ := a.index.matchExpr(ctx, ftsTerms("wor"))
	if strings.Contains(got, " OR ") {
		t.Fatalf("%s: listed more than %d words", got, maxExpansions)
	}
}
