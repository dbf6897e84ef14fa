package archive

import (
	"context"
	"fmt"
	"maps"
	"math/rand"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unsafe"
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

// The writer's memory of terms already queued stays bounded and holds no message text, yet every
// new term is queued once, and a term seen again after the memory was cleared only costs an
// INSERT OR IGNORE.
func TestVocabWriterBoundsItsMemory(t *testing.T) {
	v := vocabWriter{known: map[string]struct{}{}}
	n := maxKnownTerms + 1000
	for i := 0; i < n; i++ {
		v.addText(fmt.Sprintf("order %d shipped", i))
	}
	if len(v.known) > maxKnownTerms || len(v.seen) > maxKnownTerms {
		t.Fatalf("%d terms and %d tokens remembered, bound %d", len(v.known), len(v.seen), maxKnownTerms)
	}
	queued := map[string]int{}
	for _, term := range v.pending {
		queued[term]++
	}
	for i := 0; i < n; i += 997 {
		if queued[fmt.Sprint(i)] != 1 {
			t.Fatalf("term %d queued %d times", i, queued[fmt.Sprint(i)])
		}
	}
	if queued["order"] < 1 || queued["order"] > 2 || len(v.pending) > n+4 {
		t.Fatalf("%d terms queued for %d distinct ones (order ×%d)", len(v.pending), n+2, queued["order"])
	}
	text := "parcel 12345 delivered"
	v.addText(text)
	start := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	for _, m := range []map[string]struct{}{v.known, v.seen} {
		for k := range m {
			if p := uintptr(unsafe.Pointer(unsafe.StringData(k))); p >= start && p < start+uintptr(len(text)) {
				t.Fatalf("remembered %q as a piece of the message's text, which it keeps alive", k)
			}
		}
	}
}

// The writer, which skips tokens it has seen, queues exactly the terms vocabTerms gives for the
// same texts: words in several cases, with and without diacritics, repeated and interleaved.
func TestVocabWriterQueuesEveryTerm(t *testing.T) {
	words := []string{"Hello", "hello", "HELLO", "café", "Café", "cafe", "Привет", "привет", "Straße", "İstanbul", "naïve", "NAÏVE", "42", "x1", "我们"}
	r := rand.New(rand.NewSource(7))
	v := vocabWriter{known: map[string]struct{}{}}
	want := map[string]bool{}
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for j := 0; j < 1+r.Intn(6); j++ {
			b.WriteString(words[r.Intn(len(words))])
			k := r.Intn(4)
			b.WriteString(" ,.!"[k : k+1])
		}
		v.addText(b.String())
		vocabTerms(b.String(), func(term string) { want[term] = true })
	}
	got := map[string]bool{}
	for _, term := range v.pending {
		if got[term] {
			t.Fatalf("%q queued twice", term)
		}
		got[term] = true
	}
	if !maps.Equal(got, want) {
		t.Fatalf("queued %v, want %v", got, want)
	}
}

// flush stores exactly the pending terms, whatever bytes they hold, and empties the list; terms
// already stored are left as they are.
func TestVocabFlushStoresTerms(t *testing.T) {
	db, err := openDB(filepath.Join(t.TempDir(), "i.db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(indexSchema); err != nil {
		t.Fatal(err)
	}
	terms := []string{"zebra", "123", "caf\u00e9", "q\"uote", `back\slash`, "ctl\x01", "\u6211", "bad\xffutf8", "zebra"}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	v := vocabWriter{pending: slices.Clone(terms)}
	if err := v.flush(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	v.pending = append(v.pending, "123", "new")
	if err := v.flush(context.Background(), tx); err != nil || len(v.pending) != 0 {
		t.Fatalf("%v, %d pending", err, len(v.pending))
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT CAST(term AS BLOB), typeof(term) FROM vocab ORDER BY term`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var term []byte
		var typ string
		if err := rows.Scan(&term, &typ); err != nil {
			t.Fatal(err)
		}
		if typ != "text" {
			t.Errorf("%q stored as %s", term, typ)
		}
		got = append(got, string(term))
	}
	want := append(slices.Compact(slices.Sorted(slices.Values(terms))), "new")
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("stored %q, want %q", got, want)
	}
}
