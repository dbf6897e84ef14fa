package wachat

import (
	"bufio"
	"fmt"
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
	benchMu    sync.Mutex
	benchPaths = map[GenStyle]string{}
	benchDir   string // removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchFile returns a generated export of benchMessages messages (5% of
// them with media) in the given style, made once per test binary.
func benchFile(b *testing.B, style GenStyle) string {
	if p := os.Getenv("WACHAT_BENCH_FILE"); p != "" && style == GenAndroid {
		return p
	}
	benchMu.Lock()
	defer benchMu.Unlock()
	if p, ok := benchPaths[style]; ok {
		return p
	}
	if benchDir == "" {
		d, err := os.MkdirTemp("", "wachat-bench")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = d
	}
	path := filepath.Join(benchDir, fmt.Sprintf("chat-%d.txt", style))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	err = Generate(w, benchMessages, GenOptions{Seed: 1, Style: style, MediaRate: 0.05})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	benchPaths[style] = path
	return path
}

// BenchmarkParse measures the second pass (Parse) over a whole Android
// export and reports messages per second; Scan runs once before the timer
// starts.
func BenchmarkParse(b *testing.B) { benchParse(b, GenAndroid) }

// BenchmarkParseIOS is BenchmarkParse for the iOS shape ("[date, time]",
// seconds, LRM before attachment tags).
func BenchmarkParseIOS(b *testing.B) { benchParse(b, GenIOS) }

func benchParse(b *testing.B, style GenStyle) {
	path := benchFile(b, style)
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
	path := benchFile(b, GenAndroid)
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
