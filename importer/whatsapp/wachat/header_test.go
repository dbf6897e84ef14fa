package wachat

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Header shapes, one line each (lines written for these tests; the
// verbatim lines of other parsers' tests are in TestSnippets*).
func TestHeaderShapes(t *testing.T) {
	cases := []struct {
		name   string
		line   string
		opts   Options
		want   Wall
		prec   Precision
		fam    Family
		author string
		text   string
	}{
		{"android", "12/07/2017, 22:35 - Alice: hi", Options{}, Wall{2017, 7, 12, 22, 35, 0}, Minute, makeFamily(false, false, sepDash), "Alice", "hi"},
		{"android en-US 12h", "1/29/18, 11:46 PM - Bob: hi", Options{}, Wall{2018, 1, 29, 23, 46, 0}, Minute, makeFamily(false, false, sepDash), "Bob", "hi"},
		{"android no comma", "12/21/18 15:15 - Carlos: Thank you", Options{}, Wall{2018, 12, 21, 15, 15, 0}, Minute, makeFamily(false, false, sepDash), "Carlos", "Thank you"},
		{"ios", "[29/11/2018, 10:50:41] Josh: hi", Options{}, Wall{2018, 11, 29, 10, 50, 41}, Second, makeFamily(true, false, sepClose), "Josh", "hi"},
		{"ios no comma", "[3/18/22 14:56:00] Elon: hi", Options{}, Wall{2022, 3, 18, 14, 56, 0}, Second, makeFamily(true, false, sepClose), "Elon", "hi"},
		{"ios lrm line start", "\u200e[13/3/22, 21:41:55] Dmitry S: hi", Options{}, Wall{2022, 3, 13, 21, 41, 55}, Second, makeFamily(true, false, sepClose), "Dmitry S", "hi"},
		{"bom in brackets", "\ufeff\ufeff[\ufeff29.01.18, 12:26:03] Dave: Test", Options{}, Wall{2018, 1, 29, 12, 26, 3}, Second, makeFamily(true, false, sepClose), "Dave", "Test"},
		{"buddhist", "[3/18/2565 BE, 14:56:01] Elon: hi", Options{}, Wall{2022, 3, 18, 14, 56, 1}, Second, makeFamily(true, false, sepClose), "Elon", "hi"},
		{"buddhist without suffix", "18/3/2565 14:56 - Somchai: hi", Options{}, Wall{2022, 3, 18, 14, 56, 0}, Minute, makeFamily(false, false, sepDash), "Somchai", "hi"},
		{"japanese era", "[3/18/R4, 14:56:01] Elon: hi", Options{}, Wall{2022, 3, 18, 14, 56, 1}, Second, makeFamily(true, false, sepClose), "Elon", "hi"},
		{"japanese era heisei", "[4/30/H31, 09:00:00] Taro: hi", Options{}, Wall{2019, 4, 30, 9, 0, 0}, Second, makeFamily(true, false, sepClose), "Taro", "hi"},
		{"time first ios (vi)", "[14:56:01, 3/18/22] Musk Elon: hi", Options{}, Wall{2022, 3, 18, 14, 56, 1}, Second, makeFamily(true, true, sepClose), "Musk Elon", "hi"},
		{"time first month name (2013)", "19:23, 28 Aug 2013 - Tanay: hi", Options{}, Wall{2013, 8, 28, 19, 23, 0}, Minute, makeFamily(false, true, sepDash), "Tanay", "hi"},
		{"arabic digits rlm arabic comma", "٢٤\u200f/٤\u200f/٢٠٢٢، ٢:٠٧ م - علي: مرحبا", Options{}, Wall{2022, 4, 24, 14, 7, 0}, Minute, makeFamily(false, false, sepDash), "علي", "مرحبا"},
		{"extended arabic-indic digits", "۲۴/۴/۲۰۲۲, ۱۴:۰۷ - رضا: سلام", Options{}, Wall{2022, 4, 24, 14, 7, 0}, Minute, makeFamily(false, false, sepDash), "رضا", "سلام"},
		{"devanagari digits", "१३/०७/२०१७, २२:३५ - राम: नमस्ते", Options{}, Wall{2017, 7, 13, 22, 35, 0}, Minute, makeFamily(false, false, sepDash), "राम", "नमस्ते"},
		{"ios arabic rlm in date", "[\u200f18\u200f/3\u200f/2022، 14:56:01] Elon: hi", Options{}, Wall{2022, 3, 18, 14, 56, 1}, Second, makeFamily(true, false, sepClose), "Elon", "hi"},
		{"legacy colon after time", "7/8/12, 3:20:08 PM: ROOT: hi", Options{}, Wall{2012, 7, 8, 15, 20, 8}, Second, makeFamily(false, false, sepColon), "ROOT", "hi"},
		{"legacy dd/mm/yyyy colon", "19/12/2012 17:02:35: One: Hello, world.", Options{}, Wall{2012, 12, 19, 17, 2, 35}, Second, makeFamily(false, false, sepColon), "One", "Hello, world."},
		{"semicolon", "12.07.2017 - 22:35:22; Johannes Gruber: Was it good?", Options{}, Wall{2017, 7, 12, 22, 35, 22}, Second, makeFamily(false, false, sepSemicolon), "Johannes Gruber", "Was it good?"},
		{"space only (hr)", "13. 6. 2018. 21:25:15 a: m", Options{}, Wall{2018, 6, 13, 21, 25, 15}, Second, makeFamily(false, false, sepSpace), "a", "m"},
		{"finnish klo and dotted time", "13.6.2018 klo 21.25.15 - a: m", Options{}, Wall{2018, 6, 13, 21, 25, 15}, Second, makeFamily(false, false, sepDash), "a", "m"},
		{"french à", "23/07/2017 à 22:35 - Zoé: Salut", Options{}, Wall{2017, 7, 23, 22, 35, 0}, Minute, makeFamily(false, false, sepDash), "Zoé", "Salut"},
		{"year first 12h colon", "2017-7-12, 10:35:22 PM: Johannes: Was it good?", Options{}, Wall{2017, 7, 12, 22, 35, 22}, Second, makeFamily(false, false, sepColon), "Johannes", "Was it good?"},
		{"comma separated date", "07,22,2017, 22:35 - J: hi", Options{}, Wall{2017, 7, 22, 22, 35, 0}, Minute, makeFamily(false, false, sepDash), "J", "hi"},
		{"space separated date", "20 09 17, 16:54 - J: hi", Options{}, Wall{2017, 9, 20, 16, 54, 0}, Minute, makeFamily(false, false, sepDash), "J", "hi"},
		{"p.m. with no-break space", "23/06/2018, 1:55 p.\u00a0m. - a: m", Options{}, Wall{2018, 6, 23, 13, 55, 0}, Minute, makeFamily(false, false, sepDash), "a", "m"},
		{"narrow no-break space before PM", "[13/11/2025, 12:25:55\u202fPM] Amazon EG: hi", Options{}, Wall{2025, 11, 13, 12, 25, 55}, Second, makeFamily(true, false, sepClose), "Amazon EG", "hi"},
		{"12 AM is midnight", "[13/11/2025, 12:05:55\u202fAM] A: hi", Options{}, Wall{2025, 11, 13, 0, 5, 55}, Second, makeFamily(true, false, sepClose), "A", "hi"},
		{"hour past 12 with PM", "[13/10/22 13:37:00 p.m.] John: hi", Options{}, Wall{2022, 10, 13, 13, 37, 0}, Second, makeFamily(true, false, sepClose), "John", "hi"},
		{"lowercase am", "23/06/2018, 1:58 am - Luke: four", Options{}, Wall{2018, 6, 23, 1, 58, 0}, Minute, makeFamily(false, false, sepDash), "Luke", "four"},
		{"trailing dot after time", "2022/12/24, 13:01. - John: hi", Options{}, Wall{2022, 12, 24, 13, 1, 0}, Minute, makeFamily(false, false, sepDash), "John", "hi"},
		{"in the afternoon", "25/01/2021, 3:07 in the afternoon - Jane: hi", Options{}, Wall{2021, 1, 25, 15, 7, 0}, Minute, makeFamily(false, false, sepDash), "Jane", "hi"},
		{"german nachm.", "29.01.18, 11:33 nachm. - Alice: hi", Options{}, Wall{2018, 1, 29, 23, 33, 0}, Minute, makeFamily(false, false, sepDash), "Alice", "hi"},
		{"korean period before time", "2021. 12. 24. 오후 3:23 - 철수: 안녕", Options{}, Wall{2021, 12, 24, 15, 23, 0}, Minute, makeFamily(false, false, sepDash), "철수", "안녕"},
		{"chinese period before time", "2021/12/24 下午3:23 - 小明: 你好", Options{}, Wall{2021, 12, 24, 15, 23, 0}, Minute, makeFamily(false, false, sepDash), "小明", "你好"},
		{"japanese 午後", "2021/12/24 午後3:23 - 太郎: こんにちは", Options{}, Wall{2021, 12, 24, 15, 23, 0}, Minute, makeFamily(false, false, sepDash), "太郎", "こんにちは"},
		{"cjk date units", "2021年12月24日 15:23 - 太郎: こんにちは", Options{}, Wall{2021, 12, 24, 15, 23, 0}, Minute, makeFamily(false, false, sepDash), "太郎", "こんにちは"},
		{"hungarian", "2018. 06. 13. 21:25 - Anna: szia", Options{}, Wall{2018, 6, 13, 21, 25, 0}, Minute, makeFamily(false, false, sepDash), "Anna", "szia"},
		{"indonesian dotted time", "[3/18/22 14.56.01] Elon: hi", Options{}, Wall{2022, 3, 18, 14, 56, 1}, Second, makeFamily(true, false, sepClose), "Elon", "hi"},
		{"iso brackets no seconds", "[2019-04-16 02:09] Mary: hi", Options{}, Wall{2019, 4, 16, 2, 9, 0}, Minute, makeFamily(true, false, sepClose), "Mary", "hi"},
		{"double spaces around dash", "13.07.17, 10:36 p.m.  -  R: Yes", Options{}, Wall{2017, 7, 13, 22, 36, 0}, Minute, makeFamily(false, false, sepDash), "R", "Yes"},
		{"month name no year", "18 Mar 12:14 - Shaggy: hi", Options{DefaultYear: 2014}, Wall{2014, 3, 18, 12, 14, 0}, Minute, makeFamily(false, false, sepDash), "Shaggy", "hi"},
		{"month name first no year", "Mar 5, 8:11 PM - Aravind: hi", Options{DefaultYear: 2014}, Wall{2014, 3, 5, 20, 11, 0}, Minute, makeFamily(false, false, sepDash), "Aravind", "hi"},
		{"numeric no year (copied messages)", "[2/17, 6:43 AM] Bisvarup: hi", Options{DefaultYear: 2018}, Wall{2018, 2, 17, 6, 43, 0}, Minute, makeFamily(true, false, sepClose), "Bisvarup", "hi"},
		{"24:00 is the next midnight", "31/12/2021, 24:00 - Eve: happy new year", Options{}, Wall{2022, 1, 1, 0, 0, 0}, Minute, makeFamily(false, false, sepDash), "Eve", "happy new year"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := parseBytes(t, []byte(c.line+"\n"), c.opts)
			if len(p.recs) != 1 {
				t.Fatalf("%d records, want 1 (unparsed lines %v)", len(p.recs), p.utexts)
			}
			r := p.recs[0]
			if r.Time != c.want || r.Precision != c.prec {
				t.Errorf("time %v (%s), want %v (%s)", r.Time, r.Precision, c.want, c.prec)
			}
			if p.layout.Family != c.fam {
				t.Errorf("family %q, want %q", p.layout.Family, c.fam)
			}
			if r.Author != c.author || r.Text != c.text || r.Kind != KindText {
				t.Errorf("author %q text %q kind %s, want %q %q text", r.Author, r.Text, r.Kind, c.author, c.text)
			}
		})
	}
}

// Lines that are not headers stay text of the message before them.
func TestNotHeaders(t *testing.T) {
	for _, line := range []string{
		"2nd line.",
		"13:15 - 14:00",
		"1 - ask the person to laugh",
		"Q11: O(n)",
		"---> Another line - with a dash",
		"12/07/2017",
		"12/07/2017, 22:35",
		"12/07/2017, 22:65 - x: minute 65",
		"12/07/2017, 25:35 - x: hour 25",
		"123/07/2017, 22:35 - x: 3-digit day",
		"[09/10/22 10:37:00 p.m.] John Doe: a header of another shape",
		"12.07.17, 11.05.15",
		"",
	} {
		p := parseBytes(t, []byte("12/07/2017, 22:35 - Alice: first\n"+line+"\n13/07/2017, 09:12 - Bob: second\n"), Options{})
		if len(p.recs) != 2 {
			t.Errorf("%q: %d records, want 2", line, len(p.recs))
			continue
		}
		if want := "first\n" + line; line != "" && p.recs[0].Text != want {
			t.Errorf("%q: text %q, want %q", line, p.recs[0].Text, want)
		}
	}
}

// A line of the file's shape whose date does not fit the date order is
// text, and the record says so.
func TestMisfitHeader(t *testing.T) {
	// 07/14/2017 is a valid date only month first; the file is day first.
	p := parseBytes(t, []byte("13/07/2017, 09:12 - Bob: one\n07/14/2017, 09:13 - Bob: month first\n14/07/2017, 09:14 - Bob: two\n"), Options{})
	if len(p.recs) != 2 {
		t.Fatalf("%d records, want 2", len(p.recs))
	}
	if len(p.recs[0].Problems) != 1 || !strings.Contains(p.recs[0].Problems[0], "line 2") {
		t.Errorf("problems %q, want one about line 2", p.recs[0].Problems)
	}
	if p.layout.Misfits != 1 {
		t.Errorf("Misfits %d, want 1", p.layout.Misfits)
	}
}

type snippetFile struct {
	Samples []struct {
		Line int
		Text string
	}
	Groups []struct {
		GroupStartLine int `json:"group_start_line"`
		Lines          []struct {
			Line int
			Text string
		}
	}
}

func readSnippets(t *testing.T, name string) snippetFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixturesDir(t), "whatsapp-snippets", name))
	if err != nil {
		t.Fatal(err)
	}
	var s snippetFile
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// The header lines of Pustur/whatsapp-chat-parser's tests, each parsed as
// a one-line export. Dates such as 3/6/18 fit both DMY and MDY; Scan must
// say so, and the expected dates are the ones the test meant (June 3),
// given as the date order option.
func TestSnippetsPustur(t *testing.T) {
	s := readSnippets(t, "pustur-parser-test-lines.json")
	type want struct {
		ambiguous bool
		time      Wall
		author    string
		kind      Kind
		text      string
		file      string
	}
	june3 := Wall{2018, 6, 3, 13, 55, 0}
	june13 := Wall{2018, 6, 13, 21, 25, 15}
	wants := map[int]want{
		6:   {false, Wall{2018, 6, 23, 13, 55, 0}, "Loris", KindText, "one", ""},
		7:   {true, Wall{2017, 3, 6, 0, 45, 0}, "", KindSystem, `You created group "Test"`, ""},
		8:   {true, Wall{2017, 2, 3, 18, 42, 0}, "Luke", KindEmpty, "", ""},
		16:  {false, Wall{2018, 6, 23, 13, 55, 0}, "Loris", KindText, "one\ntwo", ""},
		51:  {false, Wall{2018, 6, 23, 1, 55, 0}, "Luke", KindText, "Hey!", ""},
		139: {true, june3, "a", KindText, "m", ""},
		140: {true, june3, "a", KindText, "m", ""},
		141: {false, june13, "a", KindText, "m", ""},
		142: {false, june13, "a", KindText, "m", ""},
		143: {false, june13, "a", KindText, "m", ""},
		144: {false, june13, "a", KindText, "m", ""},
		145: {true, june3, "a", KindText, "m", ""},
		147: {true, june3, "a", KindText, "m", ""},
		148: {false, june13, "a", KindText, "m", ""},
		149: {false, june13, "a", KindText, "m", ""},
		151: {true, june3, "a", KindText, "m", ""},
		153: {true, june3, "a", KindText, "m", ""},
		205: {true, june3, "a", KindAttachment, "", "00000042-PHOTO-2020-06-07-15-13-20.jpg"},
		207: {true, june3, "a", KindAttachment, "", "IMG-20210428-WA0001.jpg"},
		209: {true, june3, "a", KindAttachment, "", "2015-08-04-PHOTO-00004762.jpg"},
		211: {true, june3, "a", KindAttachment, "Dir auch frohe Ostern.", "4f2680f1db95a8454775cc2eefc95bfc.jpg"},
	}
	if len(s.Samples) != len(wants) {
		t.Fatalf("%d samples, %d expectations", len(s.Samples), len(wants))
	}
	for _, smp := range s.Samples {
		w, ok := wants[smp.Line]
		if !ok {
			t.Errorf("no expectation for sample at line %d", smp.Line)
			continue
		}
		data := []byte(smp.Text + "\n")
		l, err := Scan(strings.NewReader(string(data)), Options{})
		if err != nil {
			t.Errorf("line %d: %v", smp.Line, err)
			continue
		}
		opts := Options{}
		if w.ambiguous {
			if !l.Ambiguous {
				t.Errorf("line %d: not ambiguous (%v)", smp.Line, l.Candidates)
			}
			opts.DateOrder = DMY
		} else if l.Ambiguous {
			t.Errorf("line %d: ambiguous %v", smp.Line, l.Candidates)
		}
		p := parseBytes(t, data, opts)
		if len(p.recs) != 1 {
			t.Errorf("line %d: %d records", smp.Line, len(p.recs))
			continue
		}
		r := p.recs[0]
		if r.Time != w.time || r.Author != w.author || r.Kind != w.kind || r.Text != w.text {
			t.Errorf("line %d: %v %q %s %q; want %v %q %s %q", smp.Line, r.Time, r.Author, r.Kind, r.Text, w.time, w.author, w.kind, w.text)
		}
		if w.file != "" && (r.Attachment == nil || r.Attachment.FileName != w.file) {
			t.Errorf("line %d: attachment %+v, want %q", smp.Line, r.Attachment, w.file)
		}
	}
}

// The groups of rwhatsapp's tests: each group is a tiny export. Nearly
// all say "12 July 2017 22:35(:22)" then "13 July 2017 09:12(:44)" in a
// different shape; the others are listed.
func TestSnippetsRwhatsapp(t *testing.T) {
	s := readSnippets(t, "rwhatsapp-test-header-variants.json")
	type special struct {
		opts      Options
		n         int
		first     Wall
		second    Wall
		ambiguous bool
		notChat   bool
	}
	specials := map[int]special{
		472: {Options{DefaultYear: 2017}, 2, Wall{2017, 7, 20, 22, 35, 0}, Wall{2017, 7, 20, 9, 12, 0}, false, false},
		567: {Options{DateOrder: DMY}, 2, Wall{2015, 5, 7, 22, 35, 22}, Wall{2015, 5, 8, 9, 12, 44}, true, false},
		577: {Options{}, 2, Wall{2017, 7, 12, 10, 35, 0}, Wall{2017, 7, 13, 22, 36, 0}, false, false},
		597: {Options{}, 2, Wall{2017, 9, 20, 16, 54, 0}, Wall{2017, 9, 20, 16, 54, 0}, false, false},
		623: {Options{}, 2, Wall{2017, 7, 12, 22, 35, 0}, Wall{2017, 7, 13, 22, 36, 0}, false, false},
		631: {Options{}, 2, Wall{2017, 9, 20, 16, 54, 32}, Wall{2017, 9, 20, 16, 54, 43}, false, false},
		639: {Options{}, 2, Wall{2017, 7, 12, 10, 35, 0}, Wall{2017, 7, 13, 22, 36, 0}, false, false},
		649: {Options{}, 2, Wall{2017, 9, 20, 16, 54, 0}, Wall{2020, 2, 8, 17, 35, 0}, false, false},
		677: {notChat: true},
	}
	if len(s.Groups) < 60 {
		t.Fatalf("only %d groups", len(s.Groups))
	}
	for _, g := range s.Groups {
		var lines []string
		for _, l := range g.Lines {
			lines = append(lines, l.Text)
		}
		data := []byte(strings.Join(lines, "\n") + "\n")
		sp, isSpecial := specials[g.GroupStartLine]
		if sp.notChat {
			if _, err := Scan(strings.NewReader(string(data)), Options{}); !errors.Is(err, ErrNotAChat) {
				t.Errorf("group %d: Scan error %v, want ErrNotAChat", g.GroupStartLine, err)
			}
			continue
		}
		want := sp
		if !isSpecial {
			secs := strings.Contains(lines[0], ":35:22")
			want = special{n: 2, first: Wall{2017, 7, 12, 22, 35, 0}, second: Wall{2017, 7, 13, 9, 12, 0}}
			if secs {
				want.first.Second, want.second.Second = 22, 44
			}
		}
		l, err := Scan(strings.NewReader(string(data)), want.opts)
		if err != nil {
			t.Errorf("group %d: %v", g.GroupStartLine, err)
			continue
		}
		if l.Ambiguous != want.ambiguous {
			t.Errorf("group %d: ambiguous %v (%v)", g.GroupStartLine, l.Ambiguous, l.Candidates)
		}
		p := parseBytes(t, data, want.opts)
		if len(p.recs) != want.n {
			t.Errorf("group %d: %d records, want %d", g.GroupStartLine, len(p.recs), want.n)
			continue
		}
		if p.recs[0].Time != want.first || p.recs[1].Time != want.second {
			t.Errorf("group %d (%q): times %v %v, want %v %v", g.GroupStartLine, lines[0], p.recs[0].Time, p.recs[1].Time, want.first, want.second)
		}
		checkCoverage(t, data, p)
	}
}

// Verbatim Arabic Android lines: Arabic-Indic digits, RLM after day and
// month, Arabic comma, "م" for PM.
func TestSnippetsArabic(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixturesDir(t), "whatsapp-snippets", "mtln-arabic-android-lines.txt"))
	if err != nil {
		t.Fatal(err)
	}
	p := parseBytes(t, data, Options{})
	if len(p.recs) != 2 {
		t.Fatalf("%d records", len(p.recs))
	}
	if p.recs[0].Time != (Wall{2022, 4, 24, 14, 7, 0}) || p.recs[0].Author != "عمار لبنان" || p.recs[0].Text != "السلام" {
		t.Errorf("first: %v %q %q", p.recs[0].Time, p.recs[0].Author, p.recs[0].Text)
	}
	if p.recs[1].Time != (Wall{2022, 4, 24, 14, 8, 0}) {
		t.Errorf("second: %v", p.recs[1].Time)
	}
}
