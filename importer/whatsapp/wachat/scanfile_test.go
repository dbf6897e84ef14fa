package wachat

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// lineStarts are the offsets where a line starts, after the first byte (a split at 0 is no split).
func lineStarts(data []byte) []int64 {
	var out []int64
	for i, c := range data {
		if c == '\n' && i+1 < len(data) {
			out = append(out, int64(i+1))
		}
	}
	return out
}

// sameAsScan checks that scanning data in two parts split at cut gives Scan's Layout or error.
func sameAsScan(t *testing.T, name string, data []byte, cut int64, opts Options) {
	t.Helper()
	want, wantErr := Scan(bytes.NewReader(data), opts)
	got, gotErr := scanSplit(bytes.NewReader(data), int64(len(data)), cut, opts)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("%s split at %d: error %v, Scan's %v", name, cut, gotErr, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s split at %d:\n got %+v\nwant %+v", name, cut, got, want)
	}
}

// every tries every line start of a short text, and 60 spread over a long one.
func every(t *testing.T, name string, data []byte, opts Options) {
	starts := lineStarts(data)
	step := max(1, len(starts)/60)
	for i := 0; i < len(starts); i += step {
		sameAsScan(t, name, data, starts[i], opts)
	}
}

// A file scanned as two halves gives the Layout of one scan, wherever the cut falls: in the
// fixtures of every shape and in generated exports of every date order, clock and line end.
func TestSplitScanIsScan(t *testing.T) {
	for _, style := range []GenStyle{GenAndroid, GenIOS} {
		for _, order := range []DateOrder{DMY, MDY, YMD} {
			for _, clock := range []bool{false, true} {
				var b bytes.Buffer
				o := GenOptions{Style: style, Order: order, Clock12h: clock, CRLF: clock, MediaRate: 0.05, Seed: int64(order),
					Start: time.Date(2021, 1, 1, 8, 0, 0, 0, time.UTC)}
				if err := Generate(&b, 3000, o); err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("generated style %d order %s 12h %v", style, order, clock)
				every(t, name, b.Bytes(), Options{})
				every(t, name+" (order given)", b.Bytes(), Options{DateOrder: MDY})
			}
		}
	}
	// Hand-made cases around the cut: a chat that jumps back in time across it, headers only
	// after it, a preamble, yearless headers, a line too long after it.
	for name, text := range map[string]string{
		"backwards": "12/01/2021, 10:00 - A: one\n13/01/2021, 10:00 - A: two\n01/01/2021, 09:00 - B: back\n02/01/2021, 09:00 - B: on\n",
		"late":      "not a chat line\nanother one\n\n01/02/2021, 10:00 - A: first\n",
		"yearless":  "18 Mar 12:14 - A: hi\n19 Mar 12:15 - B: yo\n1/2/21, 10:00 - A: year\n",
		"long":      "12/01/2021, 10:00 - A: one\n13/01/2021, 10:00 - A: " + string(bytes.Repeat([]byte("x"), 5000)) + "\n14/01/2021, 10:00 - A: two\n",
		"nothing":   "hello\nworld\n",
		// Both orders fit; only month first runs forward, and only at the step across the cut.
		"ambiguous": "01/05/2021, 10:00 - A: one\n02/01/2021, 10:00 - B: two\n",
	} {
		every(t, name, []byte(text), Options{MaxLineBytes: 4096})
	}

	dir := filepath.Join(fixturesDir(t), "whatsapp-txt")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s: %v", dir, err)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		every(t, filepath.Base(p), data, Options{})
	}
}

// ScanFile splits a large file and gives Scan's Layout; a small one is scanned whole.
func TestScanFileSplitsLargeFiles(t *testing.T) {
	var b bytes.Buffer
	if err := Generate(&b, 0, GenOptions{}); err != nil {
		t.Fatal(err)
	}
	for n := 1000; b.Len() < splitScanBytes+1<<20; n *= 2 {
		b.Reset()
		if err := Generate(&b, n, GenOptions{Order: MDY, MediaRate: 0.05}); err != nil {
			t.Fatal(err)
		}
	}
	data := b.Bytes()
	want, err := Scan(bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ScanFile(bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ScanFile: %+v, %v; Scan: %+v", got, err, want)
	}
	if want.Headers == 0 || want.DateOrder != MDY {
		t.Fatalf("the generated file scans as %+v", want)
	}
}

// FuzzScanSplit checks the two-part scan against Scan on any input, cut at any line start.
func FuzzScanSplit(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add([]byte(s), uint16(i*37))
	}
	f.Fuzz(func(t *testing.T, data []byte, at uint16) {
		starts := lineStarts(data)
		if len(starts) == 0 {
			return
		}
		opts := Options{MaxLineBytes: 4096, DefaultYear: 2020}
		sameAsScan(t, "input", data, starts[int(at)%len(starts)], opts)
	})
}
