package exportbench

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatvault/chatvault/export/html"
)

// BenchmarkExportHTML measures `export html` of the whole archive. Reports messages per second.
//
//	CHATVAULT_BENCH_ARCHIVE=/tmp/bench1m go test ./bench/export -run - -bench ExportHTML -benchtime 1x
func BenchmarkExportHTML(b *testing.B) {
	a := Archive(b)
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
