package wachat

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode"
)

// A large input is cut into chunks and parsed by several workers. Every
// record must come out in order, once, and as it would from its own lines
// alone; the chunk cuts must not show.
func TestParallelParse(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		for _, style := range []GenStyle{GenAndroid, GenIOS} {
			old := runtime.GOMAXPROCS(procs)
			var b bytes.Buffer
			if err := Generate(&b, 40000, GenOptions{Seed: int64(procs), Style: style, MediaRate: 0.05, CRLF: procs == 2}); err != nil {
				t.Fatal(err)
			}
			data := b.Bytes()
			if len(data) < 4*chunkTarget {
				t.Fatalf("input of %d bytes is too small to make several chunks", len(data))
			}
			p := parseBytes(t, data, Options{})
			runtime.GOMAXPROCS(old)
			if len(p.recs) != 40000 || p.layout.Headers != 40000 {
				t.Fatalf("procs %d: %d records, %d headers", procs, len(p.recs), p.layout.Headers)
			}
			checkCoverage(t, data, p)
			for i := 0; i < len(p.recs); i += 97 {
				r := p.recs[i]
				alone := parseBytes(t, []byte(r.Raw), Options{DateOrder: p.layout.DateOrder})
				a := alone.recs[0]
				if len(alone.recs) != 1 || a.Time != r.Time || a.Author != r.Author || a.Text != r.Text || a.Kind != r.Kind || a.Event != r.Event {
					t.Fatalf("record at line %d differs when parsed alone:\n%+v\n%+v", r.Line, r, a)
				}
			}
		}
	}
}

// Parse leaves no goroutine behind, also when fn stops it early.
func TestParseNoGoroutineLeak(t *testing.T) {
	var b bytes.Buffer
	if err := Generate(&b, 30000, GenOptions{Seed: 9}); err != nil {
		t.Fatal(err)
	}
	l, err := Scan(bytes.NewReader(b.Bytes()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	for i := 0; i < 5; i++ {
		n := 0
		Parse(bytes.NewReader(b.Bytes()), l, Options{}, func(*Record) error {
			if n++; n == 10 {
				return errStop
			}
			return nil
		})
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines before, %d after", before, n)
	}
}

type stopError struct{}

func (stopError) Error() string { return "stop" }

var errStop = stopError{}

func TestGenerate(t *testing.T) {
	gen := func(o GenOptions) []byte {
		var b bytes.Buffer
		if err := Generate(&b, 5000, o); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b := gen(GenOptions{Seed: 7, MediaRate: 0.05}), gen(GenOptions{Seed: 7, MediaRate: 0.05})
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed wrote different bytes")
	}
	if bytes.Equal(a, gen(GenOptions{Seed: 8, MediaRate: 0.05})) {
		t.Fatal("different seeds wrote the same bytes")
	}
	for _, o := range []GenOptions{
		{Seed: 1, MediaRate: 0.05},
		{Seed: 1, Style: GenIOS, MediaRate: 0.05, Clock12h: true},
		{Seed: 1, Order: MDY, CRLF: true},
		{Seed: 1, Style: GenIOS, Order: YMD},
	} {
		data := gen(o)
		p := parseBytes(t, data, Options{})
		if len(p.recs) != 5000 {
			t.Fatalf("%+v: %d records", o, len(p.recs))
		}
		media, multi, system := 0, 0, 0
		scripts := map[string]bool{}
		for _, r := range p.recs {
			switch r.Kind {
			case KindAttachment:
				media++
				if r.Attachment.FileName == "" || r.Attachment.Kind == "" {
					t.Errorf("attachment %+v", r.Attachment)
				}
			case KindSystem:
				system++
			}
			if r.EndLine > r.Line {
				multi++
			}
			for _, rt := range r.Text {
				switch {
				case unicode.Is(unicode.Han, rt):
					scripts["han"] = true
				case unicode.Is(unicode.Cyrillic, rt):
					scripts["cyrillic"] = true
				case unicode.Is(unicode.Arabic, rt):
					scripts["arabic"] = true
				case rt >= 0x1F300:
					scripts["emoji"] = true
				}
			}
		}
		if want := int(o.MediaRate * 5000); media < want*8/10 || media > want*12/10 {
			t.Errorf("%+v: %d media messages, want about %d", o, media, want)
		}
		if multi < 50 || system < 2 || len(scripts) < 4 {
			t.Errorf("%+v: %d multi-line, %d system, scripts %v", o, multi, system, scripts)
		}
		if o.Clock12h && !p.layout.Clock12h || p.layout.Ambiguous && o.Order == 0 {
			t.Errorf("%+v: layout %+v", o, p.layout)
		}
		if strings.Count(string(data), "\r\n") > 0 != o.CRLF {
			t.Errorf("%+v: CRLF", o)
		}
	}
}
