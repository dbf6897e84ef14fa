package whatsapp

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
)

// BenchmarkImport measures the whole import of a generated export: parse, dedup, store, index.
// CHATVAULT_BENCH_N sets the size (default 200,000); bench/whatsapp/run-import.sh runs the
// 1,000,000-message case through the real binary and reports peak RSS.
func BenchmarkImport(b *testing.B) {
	n := 200_000
	if s := os.Getenv("CHATVAULT_BENCH_N"); s != "" {
		var err error
		if n, err = atoiStrict(s); err != nil {
			b.Fatal(err)
		}
	}
	p := filepath.Join(b.TempDir(), "WhatsApp Chat with Bench.txt")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	if err := wachat.Generate(f, n, wachat.GenOptions{Seed: 1}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a, err := archive.Open(context.Background(), filepath.Join(b.TempDir(), "a"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := importer.Run(context.Background(), a, txtImporter{}, importer.LocalSource(p), importer.Options{TZ: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		if rep.MessagesAdded != n {
			b.Fatalf("added %d of %d", rep.MessagesAdded, n)
		}
		b.StopTimer()
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func atoiStrict(s string) (int, error) {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, os.ErrInvalid
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}
