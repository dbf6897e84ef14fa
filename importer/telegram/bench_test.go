package telegram

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
)

// BenchmarkImport measures the whole import of a generated whole-account export (the generator
// of bench/telegram): read, map, store, index. CHATVAULT_BENCH_N sets the size (default
// 100,000); bench/telegram/run.sh runs the 1,000,000-message case through the real binary and
// reports peak RSS next to the SQLite floor.
func BenchmarkImport(b *testing.B) {
	n := 100_000
	if s := os.Getenv("CHATVAULT_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	dir := b.TempDir()
	gen := exec.Command("go", "run", "../../bench/telegram/tggen", "-n", strconv.Itoa(n), "-o", filepath.Join(dir, "result.json"))
	if out, err := gen.CombinedOutput(); err != nil {
		b.Fatalf("tggen: %v\n%s", err, out)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a, err := archive.Open(context.Background(), filepath.Join(b.TempDir(), "a"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := importer.Run(context.Background(), a, tgImporter{}, importer.LocalSource(dir), importer.Options{TZ: time.UTC})
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
