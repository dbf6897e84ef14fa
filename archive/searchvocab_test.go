package archive

import (
	"context"
	"fmt"
	"maps"
	"math/rand"
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
