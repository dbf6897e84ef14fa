package wachat

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// The parse benchmark reads a generated export of benchMessages messages
// from a file (the page cache keeps it in memory after the first run), so
// it measures the parser, not the disk. WACHAT_BENCH_FILE names an
// existing file instead (bench/whatsapp/run-parse.sh sets it).
const benchMessages = 1_000_000

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

func benchFile(b *testing.B) string {
	if p := os.Getenv("WACHAT_BENCH_FILE"); p != "" {
		return p
	}
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wachat-bench")
		if err != nil {
			benchErr = err
			return
		}
		benchPath = filepath.Join(dir, "chat.txt")
		f, err := os.Create(benchPath)
		if err != nil {
			benchErr = err
			return
		}
		w := bufio.NewWriter(f)
		if benchErr = Generate(w, benchMessages, GenOptions{Seed: 1, MediaRate: 0.05}); benchErr == nil {
			benchErr = w.Flush()
		}
		if err := f.Close(); benchErr == nil {
			benchErr = err
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

// BenchmarkParse measures the second pass (Parse) over a whole export and
// reports messages per second; Scan runs once before the timer starts.
func BenchmarkParse(b *testing.B) {
	path := benchFile(b)
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	layout, err := Scan(f, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	total := 0
	for i := 0; i < b.N; i++ {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			b.Fatal(err)
		}
		n := 0
		err := Parse(f, layout, Options{}, func(r *Record) error { n++; return nil })
		if err != nil {
			b.Fatal(err)
		}
		if n != layout.Headers {
			b.Fatalf("parsed %d messages, Scan counted %d", n, layout.Headers)
		}
		total += n
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "messages/s")
	b.ReportMetric(float64(total)/float64(b.N), "messages/op")
}

// BenchmarkScan measures the first pass.
func BenchmarkScan(b *testing.B) {
	path := benchFile(b)
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			b.Fatal(err)
		}
		if _, err := Scan(f, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
