package wachat

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are lines of the shapes the unit tests cover; the fuzzer
// combines and mutates them.
var fuzzSeeds = []string{
	"12/07/2017, 22:35 - Alice: hi\n13/07/2017, 09:12 - Bob: yes\nsecond line\n",
	"1/29/18, 11:46 PM - Bob: hi\r\n1/29/18, 11:47 PM - Alice: <Media omitted>\r\n",
	"\ufeff[29/11/2018, 10:50:41] Super Group: \u200eJosh added you\n[29/11/2018, 10:50:49] Josh: Yo\n",
	"[3/18/2565 BE, 14:56:01] Elon: hi\r\n\u200e[3/27/2565 BE, 21:41:55] Dmitry S: \u200eimage omitted\r\n",
	"[3/18/R4, 14:56:01] Elon: hi\n[14:56:01, 3/18/22] Musk Elon: hi\n",
	"٢٤\u200f/٤\u200f/٢٠٢٢، ٢:٠٧ م - علي: مرحبا\n",
	"7/8/12, 3:20:08 PM: ROOT: hi\r\r\n7/8/12, 3:22:30 PM: ROOT: <media omitted>\r\r\n",
	"19:23, 28 Aug 2013 - Tanay: hi\n00:01, 1 Jan - Dwane: Happy New Year!\n",
	"13. 6. 2018. 21:25:15 a: m\n13.6.2018 klo 21.25.15 - a: m\n",
	"12.07.2017 - 22:35:22; Johannes Gruber: Was it good?\n",
	"[3/27/22, 21:41:55] Dmitry S: \u200e<attached: \n00000035-PHOTO-2022-03-27-21-4\n1-55.jpg>\n[3/27/22, 21:42:50] Dmitry S: \u200e<attached: >\r\n",
	"[3/27/22, 21:50:09] Dmitry S: Some file.txt \u200e<attached: <attached: 00000046-Some file.txt>\n",
	"18/03/2022, 15:13 - Dmitry S: location: https://maps.google.com/?q=51.5,-0.12\n",
	"20/08/2024, 22:02 - U: POLL:\nQ?\nOPTION: a (1 vote)\n",
	"2021. 12. 24. 오후 3:23 - 철수: 안녕\n2021/12/24 下午3:23 - 小明: 你好\n",
	"Chat With Romil\n2/22/19, 8:43 AM - P: hi\n",
	"12/07/2017, 22:35 - A: caf\xe9\x00\n",
	"11/01/2023, 16:14 - You changed the subject from \"A\" to \"B: c\"\n",
	"a\rb\r\rc\r\n",
	"[2/7, 6:43 AM] B: x\n",
}

// FuzzParse runs Scan and Parse on arbitrary bytes: they must not panic
// or hang, Scan's header count must be Parse's record count, and the
// records' Raw and the unparsed lines must cover the input exactly.
func FuzzParse(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add([]byte(s), byte(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, order byte) {
		opts := Options{MaxLineBytes: 4096, DefaultYear: 2020, DateOrder: DateOrder(order % 4)}
		l, err := Scan(bytes.NewReader(data), opts)
		if err != nil {
			if !errors.Is(err, ErrNotAChat) && !errors.Is(err, ErrLineTooLong) {
				t.Fatalf("Scan: unexpected error %v", err)
			}
			return
		}
		var p parsed
		p.layout = l
		opts.OnUnparsed = func(line int, text string) {
			p.unparsed = append(p.unparsed, line)
			p.utexts = append(p.utexts, text)
		}
		err = Parse(bytes.NewReader(data), l, opts, func(r *Record) error {
			p.recs = append(p.recs, *r)
			return nil
		})
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if len(p.recs) != l.Headers {
			t.Fatalf("Parse made %d records, Scan counted %d headers", len(p.recs), l.Headers)
		}
		checkCoverage(t, data, p)
		for _, r := range p.recs {
			w := r.Time
			if w.Month < 1 || w.Month > 12 || w.Day < 1 || w.Day > daysIn(w.Year, w.Month) || w.Hour > 23 || w.Minute > 59 || w.Second > 59 {
				t.Fatalf("line %d: invalid time %v", r.Line, w)
			}
			if r.Kind == 0 || r.Precision == 0 {
				t.Fatalf("line %d: kind %d precision %d", r.Line, r.Kind, r.Precision)
			}
			for _, s := range []string{r.Raw, r.Text, r.Author, r.HeaderName} {
				if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
					t.Fatalf("line %d: bad string %q", r.Line, s)
				}
			}
			if (r.Kind == KindSystem) != (r.Event != "" && r.Kind != KindCall) && r.Kind != KindCall {
				t.Fatalf("line %d: kind %s event %q", r.Line, r.Kind, r.Event)
			}
		}
	})
}
