package tgjson

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readFilter reads everything the filter delivers, size bytes at a time.
func readFilter(t *testing.T, f *filter, size int) (string, error) {
	t.Helper()
	var sb strings.Builder
	p := make([]byte, size)
	for {
		n, err := f.Read(p)
		sb.Write(p[:n])
		if err == io.EOF {
			return sb.String(), nil
		}
		if err != nil {
			return sb.String(), err
		}
	}
}

func TestFilterRewrites(t *testing.T) {
	in := "\ufeff{\"a\x01\": [\"\\x0B\\\\x41\\\"\x1f\", {\"\\\\\": \"\t\"}], \"x\": \"\\x\"}"
	want := "{\"a\\u0001\": [\"\\u000B\\\\x41\\\"\\u001f\", {\"\\\\\": \"\\u0009\"}], \"x\": \"\\u00\"}"
	for size := 1; size <= 9; size++ {
		for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
			got, err := readFilter(t, newFilter(r, 0), size)
			if err != nil || got != want {
				t.Fatalf("reads of %d: %q (%v), want %q", size, got, err, want)
			}
		}
	}
	// Positions map back to the file's bytes: the BOM is gone, each raw control character
	// grew by 5 and each \x by 2.
	f := newFilter(strings.NewReader(in), 0)
	if _, err := readFilter(t, f, 4); err != nil {
		t.Fatal(err)
	}
	for _, probe := range []string{"{", `[`, `{"\\`, `"x"`} {
		out := int64(strings.Index(want, probe))
		if got, want := f.origin(out), int64(strings.Index(in, probe)); got != want {
			t.Errorf("%q: origin(%d) = %d, want %d", probe, out, got, want)
		}
	}
}

func TestFilterDepth(t *testing.T) {
	f := newFilter(strings.NewReader(`{"a": [[{"[[[": 1}]], "b": [[[[`), 0)
	f.maxDepth = 4
	got, err := readFilter(t, f, 5)
	if !errors.Is(err, errTooDeep) || got != `{"a": [[{"[[[": 1}]], "b": [[[` || f.deepAt != int64(len(got)) {
		t.Fatalf("%q, %v, at %d", got, err, f.deepAt)
	}
}
