package wachat

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"
)

func TestLineEndings(t *testing.T) {
	for name, nl := range map[string]string{"LF": "\n", "CRLF": "\r\n", "CR CR LF": "\r\r\n", "CR": "\r"} {
		data := strings.Join([]string{
			"12/07/2017, 22:35 - A: one",
			"two",
			"",
			"12/07/2017, 22:36 - B: three",
		}, nl) + nl
		p := parseBytes(t, []byte(data), Options{})
		if len(p.recs) != 2 || p.recs[0].Text != "one\ntwo" || p.recs[0].EndLine != 3 || p.recs[1].Line != 4 || p.recs[1].Text != "three" {
			t.Errorf("%s: %+v", name, p.recs)
		}
		checkCoverage(t, []byte(data), p)
	}
	// Mixed: CRLF lines with LF-only breaks inside a message (as in real
	// iOS exports), a lone CR inside a line, no final line break.
	data := "[16/03/2022, 15:20:25] p1: Hi \n\nshiva!\r\n[16/03/2022, 15:25:38] p2: a\rb\r\n[16/03/2022, 15:26:48] p3: end"
	p := parseBytes(t, []byte(data), Options{})
	if len(p.recs) != 3 || p.recs[0].Text != "Hi \n\nshiva!" || p.recs[1].Text != "a\nb" || p.recs[2].Text != "end" {
		t.Errorf("mixed: %+v", p.recs)
	}
	checkCoverage(t, []byte(data), p)
}

// Line breaks split across reads (a CR at the end of one read, the LF at
// the start of the next) are one break.
func TestLineReaderBoundaries(t *testing.T) {
	data := "a\r\r\nb\r\nc\rd\n\re\r"
	want := []string{"a", "b", "c", "d", "", "e"}
	for _, r := range []io.Reader{strings.NewReader(data), iotest.OneByteReader(strings.NewReader(data)), iotest.HalfReader(strings.NewReader(data))} {
		lr := newLineReader(r, 100)
		var got []string
		for {
			l, err := lr.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, string(l))
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("got %q want %q", got, want)
		}
	}
}

// countingReader counts what was read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// endless is an infinite stream of one byte.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func TestLineTooLong(t *testing.T) {
	const max = 1 << 20
	// A 2 GB line is not read into memory: Scan stops after about
	// MaxLineBytes with an error that names the line.
	cr := &countingReader{r: io.MultiReader(strings.NewReader("12/07/2017, 22:35 - A: one\n"), endless('a'))}
	_, err := Scan(cr, Options{MaxLineBytes: max})
	var le *LineError
	if !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("Scan error %v, want a LineError at line 2", err)
	}
	if cr.n > 3*max {
		t.Errorf("read %d bytes for a %d-byte limit", cr.n, max)
	}
	if !strings.Contains(err.Error(), "over 1 MiB without a line break") {
		t.Errorf("Scan error %q does not say how long the line is in words a user reads", err)
	}
	if !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error %q does not name the line", err)
	}
	// Parse reports it too, after the messages before it.
	data := "12/07/2017, 22:35 - A: one\n12/07/2017, 22:36 - A: " + strings.Repeat("x", 5000) + "\n"
	l, err := Scan(strings.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = Parse(strings.NewReader(data), l, Options{MaxLineBytes: 1000}, func(*Record) error { n++; return nil })
	if !errors.As(err, &le) || le.Line != 2 || n != 1 {
		t.Fatalf("Parse: %v after %d records", err, n)
	}
}

func TestNotAChat(t *testing.T) {
	utf16le := func(s string) []byte {
		var b []byte
		b = append(b, 0xFF, 0xFE)
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	for name, c := range map[string]struct {
		data   []byte
		binary bool
	}{
		"empty":                            {nil, false},
		"prose":                            {[]byte("Dear diary,\nToday nothing happened.\n"), false},
		"json":                             {[]byte(`{"wa_groups": ["Family"]}`), false},
		"nul bytes":                        {append([]byte("12/07/2017, 22:35 - A: one\n"), make([]byte, 64)...), true},
		"bad utf-8":                        {bytes.Repeat([]byte{0x80, 0xff, 0xfe}, 100), true},
		"utf-16 without a byte-order mark": {utf16le("12/07/2017, 22:35 - A: one\n")[2:], true},
		"png header":                       {[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), true},
	} {
		_, err := Scan(bytes.NewReader(c.data), Options{})
		if !errors.Is(err, ErrNotAChat) || errors.Is(err, ErrBinary) != c.binary {
			t.Errorf("%s: error %v (binary %v)", name, err, c.binary)
		}
	}
	// No header in the first 256 KiB: Scan gives up without reading on.
	cr := &countingReader{r: io.MultiReader(strings.NewReader(strings.Repeat("just some text\n", 40000)), strings.NewReader("12/07/2017, 22:35 - A: late\n"))}
	if _, err := Scan(cr, Options{}); !errors.Is(err, ErrNotAChat) {
		t.Fatalf("error %v", err)
	}
	if cr.n > 400<<10 {
		t.Errorf("read %d bytes", cr.n)
	}
}

func TestInvalidUTF8InChat(t *testing.T) {
	data := []byte("12/07/2017, 22:35 - A: caf\xe9\n12/07/2017, 22:36 - B: ok\x00\nmore\xff\n")
	p := parseBytes(t, data, Options{})
	if len(p.recs) != 2 {
		t.Fatalf("%d records", len(p.recs))
	}
	if p.recs[0].Text != "caf\uFFFD" || len(p.recs[0].Problems) != 1 || !strings.Contains(p.recs[0].Problems[0], "invalid UTF-8") {
		t.Errorf("first: %q %q", p.recs[0].Text, p.recs[0].Problems)
	}
	if p.recs[1].Raw != "12/07/2017, 22:36 - B: ok\uFFFD\nmore\uFFFD" || len(p.recs[1].Problems) != 2 {
		t.Errorf("second: %q %q", p.recs[1].Raw, p.recs[1].Problems)
	}
	checkCoverage(t, data, p)
}

func TestPreamble(t *testing.T) {
	data := []byte("Chat With Romil\n\n2/22/19, 8:43 AM - P: And clarify this today\n")
	p := parseBytes(t, data, Options{})
	if len(p.recs) != 1 || p.layout.Unparsed != 2 || len(p.unparsed) != 2 || p.utexts[0] != "Chat With Romil" {
		t.Fatalf("records %d, Unparsed %d, reported %q", len(p.recs), p.layout.Unparsed, p.utexts)
	}
	checkCoverage(t, data, p)
}

func TestCallbackError(t *testing.T) {
	var b bytes.Buffer
	if err := Generate(&b, 20000, GenOptions{Seed: 3}); err != nil {
		t.Fatal(err)
	}
	l, err := Scan(bytes.NewReader(b.Bytes()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	err = Parse(bytes.NewReader(b.Bytes()), l, Options{}, func(*Record) error {
		n++
		if n == 5000 {
			return stop
		}
		return nil
	})
	if err != stop || n != 5000 {
		t.Fatalf("error %v after %d records", err, n)
	}
}
