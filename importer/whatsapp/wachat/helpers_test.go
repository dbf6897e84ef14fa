package wachat

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fixturesDir locates the shared fixtures (../shared/fixtures from the
// repository root, or $CHATVAULT_FIXTURES) or skips the test.
func fixturesDir(t testing.TB) string {
	t.Helper()
	d := os.Getenv("CHATVAULT_FIXTURES")
	if d == "" {
		d = filepath.Join("..", "..", "..", "..", "shared", "fixtures")
	}
	if _, err := os.Stat(filepath.Join(d, "MANIFEST.tsv")); err != nil {
		t.Skipf("fixtures not found at %s (set CHATVAULT_FIXTURES to the shared fixtures folder): %v", d, err)
	}
	return d
}

type parsed struct {
	layout   Layout
	recs     []Record
	unparsed []int
	utexts   []string
}

// parseBytes runs Scan and Parse over data and keeps copies of the
// records.
func parseBytes(t testing.TB, data []byte, opts Options) parsed {
	t.Helper()
	var p parsed
	var err error
	p.layout, err = Scan(bytes.NewReader(data), opts)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	opts.OnUnparsed = func(line int, text string) {
		p.unparsed = append(p.unparsed, line)
		p.utexts = append(p.utexts, text)
	}
	err = Parse(bytes.NewReader(data), p.layout, opts, func(r *Record) error {
		p.recs = append(p.recs, *r)
		return nil
	})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}

// one parses a small export given as lines and returns its only record.
func one(t *testing.T, lines ...string) Record {
	t.Helper()
	p := parseBytes(t, []byte(strings.Join(lines, "\n")+"\n"), Options{})
	if len(p.recs) != 1 {
		t.Fatalf("%d records from %q, want 1", len(p.recs), lines)
	}
	return p.recs[0]
}

// normalisedLines splits data into lines the way the parser does (LF, CR
// LF, CRs before LF, lone CR) and replaces bad UTF-8 and NUL bytes with
// U+FFFD, independently of the parser's code.
func normalisedLines(data []byte) []string {
	var lines []string
	var cur []byte
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '\n':
			lines = append(lines, string(cur))
			cur = cur[:0]
		case '\r':
			j := i
			for j < len(data) && data[j] == '\r' {
				j++
			}
			lines = append(lines, string(cur))
			cur = cur[:0]
			if j < len(data) && data[j] == '\n' {
				i = j // CRs then LF: one break
			}
		default:
			cur = append(cur, c)
		}
	}
	if len(cur) > 0 {
		lines = append(lines, string(cur))
	}
	for i, l := range lines {
		var b strings.Builder
		for _, r := range l { // an invalid byte ranges as U+FFFD
			if r == 0 {
				r = utf8.RuneError
			}
			b.WriteRune(r)
		}
		lines[i] = b.String()
	}
	return lines
}

// checkCoverage asserts that the records' Raw and the unparsed lines
// together are the input's lines, each exactly once and in order, and that
// Line and EndLine agree with Raw.
func checkCoverage(t testing.TB, data []byte, p parsed) {
	t.Helper()
	want := normalisedLines(data)
	got := make([]string, len(want)+1)
	seen := make([]bool, len(want)+1)
	put := func(n int, s string) {
		if n < 1 || n > len(want) {
			t.Fatalf("line %d out of range (input has %d lines)", n, len(want))
		}
		if seen[n] {
			t.Fatalf("line %d reported twice", n)
		}
		seen[n], got[n] = true, s
	}
	for i, n := range p.unparsed {
		put(n, p.utexts[i])
	}
	for _, r := range p.recs {
		parts := strings.Split(r.Raw, "\n")
		if r.EndLine-r.Line+1 != len(parts) {
			t.Fatalf("record at line %d: EndLine %d but Raw has %d lines", r.Line, r.EndLine, len(parts))
		}
		for k, s := range parts {
			put(r.Line+k, s)
		}
	}
	for n := 1; n <= len(want); n++ {
		if !seen[n] {
			t.Fatalf("line %d (%q) is in no record and was not reported", n, want[n-1])
		}
		if got[n] != want[n-1] {
			t.Fatalf("line %d: got %q, input has %q", n, got[n], want[n-1])
		}
	}
	for i := 1; i < len(p.recs); i++ {
		if p.recs[i].Line <= p.recs[i-1].EndLine {
			t.Fatalf("records out of order at line %d", p.recs[i].Line)
		}
	}
}
