package wachat

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func scanLines(t *testing.T, opts Options, lines ...string) Layout {
	t.Helper()
	l, err := Scan(strings.NewReader(strings.Join(lines, "\n")+"\n"), opts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestDateOrderDecision(t *testing.T) {
	cases := []struct {
		name      string
		lines     []string
		want      DateOrder
		ambiguous bool
		cands     []DateOrder
	}{
		{"day > 12 first", []string{"13/01/2020, 10:00 - a: x", "01/02/2020, 10:00 - a: x"}, DMY, false, []DateOrder{DMY}},
		{"day > 12 second", []string{"01/13/2020, 10:00 - a: x", "02/01/2020, 10:00 - a: x"}, MDY, false, []DateOrder{MDY}},
		{"4-digit year first", []string{"2020-01-02, 10:00 - a: x", "2020-02-01, 10:00 - a: x"}, YMD, false, []DateOrder{DMY, MDY, YMD}},
		// All days <= 12: the timestamps decide. Day first these go
		// backwards (1 Feb, 1 Mar, 2 Jan), month first they do not (Jan 2,
		// Jan 3, Feb 1). (Year first, 2001-02-20..., fits too.)
		{"chronology decides", []string{"1/2/20, 10:00 - a: x", "1/3/20, 10:00 - a: x", "2/1/20, 10:00 - a: x"}, MDY, true, []DateOrder{DMY, MDY, YMD}},
		{"chronology decides, day first", []string{"02/01/2020, 10:00 - a: x", "03/01/2020, 10:00 - a: x", "01/02/2020, 10:00 - a: x"}, DMY, true, []DateOrder{DMY, MDY}},
		// Same date throughout: en-US style (unpadded, 2-digit year) says
		// month first ...
		{"en-US style", []string{"12/9/20, 23:55 - a: x", "12/9/20, 23:56 - a: x"}, MDY, true, []DateOrder{DMY, MDY, YMD}},
		// ... padded 4-digit years say nothing, and DMY is the default.
		{"default DMY", []string{"11/01/2023, 16:13 - a: x", "11/01/2023, 16:14 - a: x"}, DMY, true, []DateOrder{DMY, MDY}},
		// A 2-digit year first is rare: YMD must win on chronology.
		{"weak YMD dropped", []string{"16.02.21, 22:10 - a: x", "18.02.21, 05:41 - a: x"}, DMY, false, []DateOrder{DMY, YMD}},
		{"YMD wins on chronology", []string{"21.12.30, 10:00 - a: x", "21.12.31, 10:00 - a: x", "22.01.01, 10:00 - a: x"}, YMD, true, []DateOrder{DMY, YMD}},
		{"brackets do not decide", []string{"[11/01/2023, 16:13:00] a: x", "[11/01/2023, 16:14:00] a: x"}, DMY, true, []DateOrder{DMY, MDY}},
		{"4-digit year first among day-first headers", []string{"24/12/2022, 10:00 - a: x", "2022/12/25, 10:00 - a: x", "26/12/2022, 10:00 - a: x"}, DMY, false, []DateOrder{DMY}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := scanLines(t, Options{}, c.lines...)
			if l.DateOrder != c.want || l.Ambiguous != c.ambiguous || !slices.Equal(l.Candidates, c.cands) {
				t.Errorf("order %s ambiguous %v candidates %v; want %s %v %v (notes %q)", l.DateOrder, l.Ambiguous, l.Candidates, c.want, c.ambiguous, c.cands, l.Notes)
			}
			if l.Headers != len(c.lines) || l.Misfits != 0 {
				t.Errorf("headers %d misfits %d", l.Headers, l.Misfits)
			}
		})
	}
}

func TestDateOrderOption(t *testing.T) {
	lines := []string{"01/02/2020, 10:00 - a: x", "13/02/2020, 10:00 - a: y"}
	l := scanLines(t, Options{DateOrder: MDY}, lines...)
	if l.DateOrder != MDY || l.Headers != 1 || l.Misfits != 1 {
		t.Fatalf("order %s headers %d misfits %d", l.DateOrder, l.Headers, l.Misfits)
	}
	p := parseBytes(t, []byte(strings.Join(lines, "\n")), Options{DateOrder: MDY})
	if len(p.recs) != 1 || p.recs[0].Time != (Wall{2020, 1, 2, 10, 0, 0}) || len(p.recs[0].Problems) != 1 {
		t.Fatalf("records %+v", p.recs)
	}
}

func TestParseDateOrder(t *testing.T) {
	for in, want := range map[string]DateOrder{"DMY": DMY, "mdy": MDY, "Y-M-D": YMD, "dd/mm/yyyy": DMY, "MM/DD/YY": MDY, "": 0, "auto": 0} {
		got, err := ParseDateOrder(in)
		if err != nil || got != want {
			t.Errorf("ParseDateOrder(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"DYM", "x", "DM"} {
		if _, err := ParseDateOrder(in); err == nil {
			t.Errorf("ParseDateOrder(%q): no error", in)
		}
	}
	for _, o := range []DateOrder{DMY, MDY, YMD} {
		if got, _ := ParseDateOrder(o.String()); got != o {
			t.Errorf("%s does not round-trip", o)
		}
	}
}

// Android exports of 2013 omit the year for the current year.
func TestYearless(t *testing.T) {
	lines := []string{
		"19:23, 28 Dec 2013 - Tanay: last of 2013",
		"00:01, 1 Jan - Dwane: Happy New Year!",
	}
	l := scanLines(t, Options{}, lines...)
	if l.YearlessHeaders != 1 || l.InferredYear != 2014 {
		t.Fatalf("yearless %d inferred %d", l.YearlessHeaders, l.InferredYear)
	}
	p := parseBytes(t, []byte(strings.Join(lines, "\n")), Options{})
	if got := p.recs[1].Time; got != (Wall{2014, 1, 1, 0, 1, 0}) {
		t.Errorf("time %v", got)
	}
	p = parseBytes(t, []byte(strings.Join(lines, "\n")), Options{DefaultYear: 2015})
	if got := p.recs[1].Time; got != (Wall{2015, 1, 1, 0, 1, 0}) {
		t.Errorf("time with DefaultYear %v", got)
	}

	only := "18 Mar 12:14 - Shaggy: hi\n"
	l, err := Scan(strings.NewReader(only), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := Parse(strings.NewReader(only), l, Options{}, func(*Record) error { return nil }); err != ErrNoYear {
		t.Fatalf("Parse without a year: %v, want ErrNoYear", err)
	}
}

func TestCalendarReported(t *testing.T) {
	for _, c := range []struct{ line, cal string }{
		{"[3/18/2565 BE, 14:56:01] a: x", "buddhist"},
		{"[3/18/R4, 14:56:01] a: x", "japanese"},
		{"[3/18/22, 14:56:01] a: x", "gregorian"},
	} {
		if l := scanLines(t, Options{}, c.line); l.Calendar != c.cal {
			t.Errorf("%q: calendar %q, want %q", c.line, l.Calendar, c.cal)
		}
	}
}

func TestWallOrder(t *testing.T) {
	a, b := Wall{2020, 1, 31, 23, 59, 59}, Wall{2020, 2, 1, 0, 0, 0}
	if !a.Before(b) || b.Before(a) || a.Before(a) {
		t.Error("Before")
	}
	if s := fmt.Sprint(a); s != "2020-01-31 23:59:59" {
		t.Error(s)
	}
}
