package exportbench

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// Archive opens $CHATVAULT_BENCH_ARCHIVE (made by gen, reused across runs), or generates
// $CHATVAULT_BENCH_MESSAGES (default 100,000) messages into a temporary archive.
func Archive(b testing.TB) *archive.Archive {
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
