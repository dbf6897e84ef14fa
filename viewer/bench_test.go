package viewer

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	exportbench "github.com/chatvault/chatvault/bench/export"
)

// benchSource opens $CHATVAULT_BENCH_ARCHIVE (a generated archive, see bench/export/gen) or
// generates $CHATVAULT_BENCH_MESSAGES (default 100,000) messages, and returns the id of the
// biggest conversation.
func benchSource(b *testing.B) (*ArchiveSource, string) {
	b.Helper()
	ctx := context.Background()
	a := exportbench.Archive(b)
	src := NewArchiveSource(a)
	start := time.Now()
	convs, err := src.Conversations(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("conversation list (cold, %d messages): %s", convs[0].Messages, time.Since(start).Round(time.Millisecond))
	best := convs[0]
	for _, c := range convs {
		if c.Messages > best.Messages {
			best = c
		}
	}
	return src, best.ID
}

// BenchmarkFirstPage is the server time of opening the biggest conversation: the latest page
// through the HTTP handler, JSON included.
//
//	CHATVAULT_BENCH_ARCHIVE=/tmp/bench1m go test ./viewer -run - -bench FirstPage
func BenchmarkFirstPage(b *testing.B) {
	src, conv := benchSource(b)
	s, err := Listen(src, Options{Token: "t"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	for _, tc := range []struct{ name, query string }{
		{"latest", "c=" + conv},
		{"jump", "c=" + conv + "&at=2021-06-01&tz=0"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest("GET", "http://127.0.0.1/api/messages?token=t&"+tc.query, nil)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || rec.Body.Len() < 1000 {
					b.Fatalf("%d %s", rec.Code, rec.Body.String())
				}
			}
		})
	}
	b.Run("scroll-up", func(b *testing.B) {
		page, err := src.Messages(context.Background(), MessageQuery{Conversation: conv, Limit: defaultPage})
		if err != nil {
			b.Fatal(err)
		}
		cursor := page.Messages[0].Cursor
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			p, err := src.Messages(context.Background(), MessageQuery{Conversation: conv, Before: cursor, Limit: defaultPage})
			if err != nil || len(p.Messages) != defaultPage {
				b.Fatal(err)
			}
			cursor = p.Messages[0].Cursor
		}
	})
	b.Run("search", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := src.Search(context.Background(), SearchQuery{Text: "passport birthday", Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
