package exportbench

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export/html"
)

// benchArchive opens $CHATVAULT_BENCH_ARCHIVE (made by gen, reused across runs), or generates
// $CHATVAULT_BENCH_MESSAGES (default 100,000) messages into a temporary archive.
func benchArchive(b *testing.B) *archive.Archive {
	b.Helper()
	ctx := context.Background()
	dir := os.Getenv("CHATVAULT_BENCH_ARCHIVE")
	generate := dir == ""
	if generate {
		dir = filepath.Join(b.TempDir(), "archive")
	}
	a, err := archive.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	if generate {
		n := 100_000
		if s := os.Getenv("CHATVAULT_BENCH_MESSAGES"); s != "" {
			if n, err = strconv.Atoi(s); err != nil {
				b.Fatal(err)
			}
		}
		start := time.Now()
		if _, err := Generate(ctx, a, Options{Messages: n}); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d messages in %s", n, time.Since(start).Round(time.Millisecond))
	}
	return a
}

// BenchmarkExportHTML measures `export html` of the whole archive. Reports messages per second.
//
//	CHATVAULT_BENCH_ARCHIVE=/tmp/bench1m go test ./bench/export -run - -bench ExportHTML -benchtime 1x
func BenchmarkExportHTML(b *testing.B) {
	a := benchArchive(b)
	st, err := a.Stats(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(b.TempDir(), "html")
		rep, err := html.Export(context.Background(), a, out, html.Options{Location: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Messages != int64(st.Messages) {
			b.Fatalf("exported %d of %d messages", rep.Messages, st.Messages)
		}
		os.RemoveAll(out)
	}
	b.ReportMetric(float64(st.Messages)*float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}
