package tgjson

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/go-json-experiment/json/jsontext"
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
	want := "{\"a\\u0001\":[\"\\u000B\\\\x41\\\"\\u001f\",{\"\\\\\":\"\\u0009\"}],\"x\":\"\\u00\"}"
	for size := 1; size <= 9; size++ {
		for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
			got, err := readFilter(t, newFilter(r, 0), size)
			if err != nil || got != want {
				t.Fatalf("reads of %d: %q (%v), want %q", size, got, err, want)
			}
		}
	}
	// Positions map back to the file's bytes: the BOM and the whitespace between tokens are
	// gone, each raw control character grew by 5 and each \x by 2.
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
	if !errors.Is(err, errTooDeep) || got != `{"a":[[{"[[[":1}]],"b":[[[` || f.deepAt != int64(len(got)) {
		t.Fatalf("%q, %v, at %d", got, err, f.deepAt)
	}
}

// Whitespace between tokens is left out, except after a number or literal, where it may be all
// that separates two of them; positions past what was left out map back to the file's bytes.
func TestFilterDropsWhitespace(t *testing.T) {
	in := " \n{ \"a\" :\t[1 2 , true\r\n, \" s p \" ]\n\n }\n"
	want := "{\"a\":[1 2 ,true\r\n,\" s p \"]}"
	for size := 1; size <= 7; size++ {
		for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
			f := newFilter(r, 0)
			got, err := readFilter(t, f, size)
			if err != nil || got != want {
				t.Fatalf("reads of %d: %q (%v), want %q", size, got, err, want)
			}
			for _, probe := range []string{"{", `"a"`, "[", "2", "true", `" s`, "]", "}"} {
				out := int64(strings.Index(want, probe))
				if got, want := f.origin(out), int64(strings.Index(in, probe)); got != want {
					t.Fatalf("reads of %d: %q: origin(%d) = %d, want %d", size, probe, out, got, want)
				}
			}
			if got := f.origin(int64(len(want))); got != int64(len(in)) {
				t.Fatalf("reads of %d: the end maps to %d, want %d", size, got, len(in))
			}
		}
	}
}

// FuzzFilterWhitespace checks the whitespace the filter leaves out on arbitrary input with
// nothing else to rewrite: the output is valid JSON exactly when the input is, the same value
// once compacted, and every byte it passes on maps back to the same byte of the input.
func FuzzFilterWhitespace(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2 ,true , null]}`, `[1 2]`, `[-1 -2]`, `{"a" : "b c"} `, " \t[\n]\r\n", `[1e5 ,"x"]`, `["\" ", 2]`, `{"a":tru e}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		fl := newFilter(bytes.NewReader(in), 0)
		got, err := readFilter(t, fl, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range fl.marks {
			if m.delta > 0 || m.pos < 0 && bytes.HasPrefix(in, []byte("\ufeff")) {
				return // a control character, \x or byte order mark rewritten: TestFilterRewrites, FuzzReader
			}
		}
		out := []byte(got)
		if inValid, outValid := jsontext.Value(in).IsValid(), jsontext.Value(out).IsValid(); inValid != outValid {
			t.Fatalf("%q valid %v, filtered %q valid %v", in, inValid, out, outValid)
		} else if inValid {
			a, b := jsontext.Value(bytes.Clone(in)), jsontext.Value(bytes.Clone(out))
			if a.Compact() != nil || b.Compact() != nil || !bytes.Equal(a, b) {
				t.Fatalf("%q and filtered %q differ once compacted", in, out)
			}
		}
		for p := range out {
			o := fl.origin(int64(p))
			if o >= int64(len(in)) || in[o] != out[p] {
				t.Fatalf("%q filtered %q: byte %d maps to %d", in, out, p, o)
			}
		}
	})
}
