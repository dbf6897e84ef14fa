package wachat

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The expectations below were established without this package: by
// reading each file, and with a separate throwaway script (regular
// expressions per header shape, system lines listed by hand) whose
// results were checked by hand where they disagreed with this parser
// (whatsjson-ios-hi: the script missed placeholders spelt with a nukta;
// 16 counted by hand). "first" and "last" are the first and the last
// message in file order, not the earliest and latest. attached counts
// messages that name a media file in the export, omitted the placeholders
// for media left out.
//
// order is the date order the file is written in (from its content and
// the fixture manifest). ambiguous marks files whose dates fit several
// orders: Scan must say so and offer order among its candidates, and the
// records are checked with order given as an option, as a user would.
type corpusCase struct {
	path      string
	member    string // entry inside a zip
	order     DateOrder
	ambiguous bool
	messages  int
	first     Wall
	last      Wall
	attached  int
	omitted   int
	authors   []string
}

var corpus = []corpusCase{
	{"whatsapp-txt/chatanalytics-android-2A_5M.txt", "", MDY, true, 5, Wall{2021, 1, 1, 12, 0, 0}, Wall{2021, 1, 1, 12, 2, 0}, 0, 1, []string{"A", "B"}},
	{"whatsapp-txt/chatanalytics-android-group-4A_11M.txt", "", MDY, true, 14, Wall{2020, 12, 9, 23, 55, 0}, Wall{2020, 12, 9, 23, 56, 0}, 0, 0, []string{"Alice", "Bob", "Eve", "Mallory", "Trent"}},
	{"whatsapp-txt/chatminer-android-ddmmyy-24h.txt", "", DMY, false, 9, Wall{2019, 1, 1, 11, 25, 0}, Wall{2021, 12, 30, 22, 1, 0}, 0, 0, []string{"Jahn Doe", "John Doe", "John Doe 🤓", "John-John Doe", "🤓"}},
	{"whatsapp-txt/chatminer-android-mmddyy-24h.txt", "", MDY, false, 9, Wall{2019, 1, 1, 11, 25, 0}, Wall{2021, 12, 30, 22, 1, 0}, 0, 0, []string{"Jahn Doe", "John Doe", "John Doe 🤓", "John-John Doe", "🤓"}},
	{"whatsapp-txt/chatminer-android-yyyymmdd-24h.txt", "", YMD, false, 9, Wall{2019, 1, 1, 11, 25, 0}, Wall{2021, 12, 30, 22, 1, 0}, 0, 0, []string{"Jahn Doe", "John Doe", "John Doe 🤓", "John-John Doe", "🤓"}},
	{"whatsapp-txt/chatminer-ios-brackets-mmddyy-24h.txt", "", MDY, false, 9, Wall{2019, 1, 1, 11, 25, 0}, Wall{2021, 12, 30, 22, 1, 0}, 0, 0, []string{"Jahn Doe", "John Doe", "John Doe 🤓", "John-John Doe", "🤓"}},
	{"whatsapp-txt/chatminer-ios-brackets-nocomma-12h-pm.txt", "", DMY, true, 4, Wall{2022, 10, 9, 23, 37, 0}, Wall{2022, 10, 12, 14, 37, 0}, 0, 0, []string{"Jahn Doe", "John Doe", "John-John Doe"}},
	// A collection of header variants: the file's shape is "date, time -";
	// its three bracketed lines continue the messages before them.
	{"whatsapp-txt/chatminer-testlog-format-zoo.txt", "", MDY, false, 20, Wall{2019, 12, 24, 11, 23, 0}, Wall{2022, 12, 24, 13, 1, 0}, 0, 0, []string{"+12 345 578", "Jahn Doe", "John Doe", "John Doe 🤓", "John-John Doe", "🤓"}},
	{"whatsapp-txt/gochatparser-android-en-us-unsaved-contacts.txt", "", MDY, false, 20, Wall{2025, 3, 18, 17, 49, 0}, Wall{2025, 3, 10, 16, 44, 0}, 0, 1, []string{"+33 6 99 88 77 66", "+48 777 666 555", "Andrew"}},
	{"whatsapp-txt/gochatparser-ios-en-gb-lrm.txt", "", DMY, false, 15, Wall{2018, 11, 29, 10, 50, 41}, Wall{2018, 11, 29, 11, 36, 44}, 0, 0, []string{"Andrew", "Josh", "Marthy"}},
	{"whatsapp-txt/nmoya-2012-ios-us-12h-italian-real.txt", "", MDY, false, 18717, Wall{2012, 7, 8, 15, 20, 8}, Wall{2012, 12, 19, 15, 34, 46}, 0, 220, []string{"CONTACT", "ROOT"}},
	{"whatsapp-txt/nmoya-legacy-ddmmyyyy-seconds.txt", "", DMY, true, 9, Wall{2012, 12, 9, 17, 2, 35}, Wall{2012, 12, 11, 10, 4, 35}, 0, 1, []string{"UsernameOne", "UsernameTwo"}},
	{"whatsapp-txt/pustur-short-chat.txt", "", DMY, true, 5, Wall{2017, 3, 6, 0, 45, 0}, Wall{2017, 4, 9, 1, 50, 0}, 0, 0, []string{"+410123456789", "Sample User", "TestBot"}},
	{"whatsapp-txt/rwhatsapp-sample-android-ddmmyyyy.txt", "", DMY, false, 9, Wall{2017, 7, 12, 22, 35, 0}, Wall{2018, 9, 28, 13, 30, 0}, 0, 1, []string{"Johannes Gruber", "Test"}},
	{"whatsapp-txt/soda-android-ddmmyyyy-24h-lrm-linestart.txt", "", DMY, false, 10, Wall{2022, 3, 16, 15, 10, 0}, Wall{2020, 7, 14, 22, 5, 0}, 0, 0, []string{"person1", "person2", "person3", "person4"}},
	{"whatsapp-txt/soda-ios-ddmmyyyy-12h.txt", "", DMY, false, 10, Wall{2022, 3, 16, 15, 10, 17}, Wall{2020, 7, 14, 22, 5, 54}, 0, 0, []string{"person1", "person2", "person3", "person4"}},
	{"whatsapp-txt/soda-ios-ddmmyyyy-24h-crlf.txt", "", DMY, false, 10, Wall{2022, 3, 16, 15, 10, 17}, Wall{2020, 7, 14, 22, 5, 54}, 0, 0, []string{"person1", "person2", "person3", "person4"}},
	{"whatsapp-txt/soda-ios-mmddyyyy-12h.txt", "", MDY, false, 10, Wall{2022, 3, 16, 15, 10, 17}, Wall{2020, 7, 14, 22, 5, 54}, 0, 0, []string{"person1", "person2", "person3", "person4"}},
	{"whatsapp-txt/soda-ios-mmddyyyy-24h-lrm-linestart.txt", "", MDY, false, 10, Wall{2022, 3, 16, 15, 10, 17}, Wall{2020, 7, 14, 22, 5, 54}, 0, 0, []string{"person1", "person2", "person3", "person4"}},
	{"whatsapp-txt/wa2sqlite-de-android-1to1.txt", "", DMY, false, 8, Wall{2021, 2, 16, 22, 10, 0}, Wall{2021, 2, 18, 5, 41, 0}, 2, 0, []string{"Jane Doe", "John Doe"}},
	{"whatsapp-txt/whatsjson-android-en-with-media.txt", "", DMY, false, 60, Wall{2022, 3, 23, 13, 31, 0}, Wall{2023, 1, 7, 23, 32, 0}, 11, 18, []string{"Dmitry S", "Elon"}},
	{"whatsapp-txt/whatsjson-android-group.txt", "", DMY, true, 20, Wall{2023, 1, 11, 16, 13, 0}, Wall{2023, 1, 11, 16, 57, 0}, 0, 0, []string{"Dmitry S"}},
	{"whatsapp-txt/whatsjson-android-ru-group-2019.txt", "", DMY, false, 13, Wall{2019, 2, 17, 12, 28, 0}, Wall{2019, 2, 17, 19, 50, 0}, 0, 0, []string{"+7 903 444-44-44", "+7 905 222-22-22", "+7 909 555-55-55", "+7 910 666-66-66", "+7 921 777-77-77", "+7 926 888-88-88", "+7 982 111-11-11", "+7 987 333-33-33", "Петр П (И В)"}},
	{"whatsapp-txt/whatsjson-android-ru.txt", "", DMY, false, 60, Wall{2022, 3, 23, 13, 31, 0}, Wall{2023, 1, 7, 23, 32, 0}, 2, 27, []string{"Dmitry S", "Elon"}},
	{"whatsapp-txt/whatsjson-ios-ar.txt", "", DMY, false, 25, Wall{2022, 3, 18, 14, 56, 1}, Wall{2023, 1, 7, 23, 32, 30}, 0, 14, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-bad-tr-phone-filename.txt", "", MDY, false, 8, Wall{2022, 3, 27, 21, 41, 35}, Wall{2022, 3, 27, 21, 56, 46}, 5, 0, []string{"+90 531 022 21 53", "Dmitry S"}},
	{"whatsapp-txt/whatsjson-ios-buddhist-calendar.txt", "", MDY, false, 28, Wall{2022, 3, 18, 14, 56, 1}, Wall{2023, 1, 12, 15, 35, 15}, 0, 16, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-cs.txt", "", MDY, false, 25, Wall{2022, 3, 18, 14, 56, 0}, Wall{2023, 1, 7, 23, 32, 30}, 0, 14, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-de.txt", "", MDY, false, 25, Wall{2022, 3, 18, 14, 56, 0}, Wall{2023, 1, 7, 23, 32, 30}, 0, 14, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-en-group-admin-msgs.txt", "", MDY, true, 17, Wall{2023, 1, 11, 16, 11, 21}, Wall{2023, 1, 11, 16, 26, 11}, 0, 0, []string{"Dmitry S"}},
	{"whatsapp-txt/whatsjson-ios-en-with-media.txt", "", MDY, false, 25, Wall{2022, 3, 18, 14, 56, 1}, Wall{2023, 1, 7, 23, 32, 30}, 13, 1, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-es.txt", "", MDY, false, 25, Wall{2022, 3, 18, 14, 56, 0}, Wall{2023, 1, 7, 23, 32, 30}, 0, 14, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-fr.txt", "", MDY, false, 25, Wall{2022, 3, 18, 14, 56, 0}, Wall{2023, 1, 7, 23, 32, 30}, 0, 14, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-hi.txt", "", MDY, false, 28, Wall{2022, 3, 18, 14, 56, 0}, Wall{2023, 1, 12, 15, 35, 14}, 0, 16, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-it.txt", "", MDY, false, 25, Wall{2022, 3, 18, 14, 56, 0}, Wall{2023, 1, 7, 23, 32, 30}, 0, 14, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-ja.txt", "", MDY, false, 28, Wall{2022, 3, 18, 14, 56, 0}, Wall{2023, 1, 12, 15, 35, 14}, 0, 16, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-pt-PT.txt", "", MDY, false, 25, Wall{2022, 3, 18, 14, 56, 0}, Wall{2023, 1, 7, 23, 32, 30}, 0, 14, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-ru.txt", "", MDY, false, 25, Wall{2022, 3, 18, 14, 56, 0}, Wall{2023, 1, 7, 23, 32, 30}, 0, 14, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsjson-ios-uk.txt", "", MDY, false, 25, Wall{2022, 3, 18, 14, 56, 0}, Wall{2023, 1, 7, 23, 32, 30}, 0, 14, []string{"Dmitry S", "Elon Musk"}},
	{"whatsapp-txt/whatsr-de-android-12h.txt", "", DMY, false, 50, Wall{2018, 1, 29, 12, 24, 0}, Wall{2018, 1, 30, 0, 23, 0}, 1, 1, []string{"Alice", "Bob", "Carol", "Dave", "Mallory"}},
	{"whatsapp-txt/whatsr-de-android-24h.txt", "", DMY, false, 50, Wall{2018, 1, 29, 12, 24, 0}, Wall{2018, 1, 30, 0, 13, 0}, 1, 1, []string{"Alice", "Bob", "Carol", "Dave", "Mallory"}},
	{"whatsapp-txt/whatsr-de-ios-24h.txt", "", DMY, false, 50, Wall{2018, 1, 29, 12, 24, 3}, Wall{2018, 1, 30, 0, 13, 3}, 1, 1, []string{"Alice", "Bob", "Carol", "Dave", "Mallory"}},
	{"whatsapp-txt/whatsr-en-android-24h.txt", "", MDY, false, 50, Wall{2018, 1, 29, 12, 24, 0}, Wall{2018, 1, 30, 0, 23, 0}, 1, 1, []string{"Alice", "Bob", "Carol", "Dave", "Mallory"}},
	{"whatsapp-txt/whatsr-en-ios-12h.txt", "", MDY, false, 50, Wall{2018, 1, 29, 12, 24, 3}, Wall{2018, 1, 30, 0, 23, 3}, 1, 1, []string{"Alice", "Bob", "Carol", "Dave", "Mallory"}},
	{"whatsapp-txt/whatsr-en-ios-24h.txt", "", MDY, false, 50, Wall{2018, 1, 29, 12, 24, 3}, Wall{2018, 1, 30, 0, 23, 3}, 1, 1, []string{"Alice", "Bob", "Carol", "Dave", "Mallory"}},
	{"whatsapp-txt/whatsreader-bracketed-year-first-pt.txt", "", YMD, false, 3, Wall{2018, 6, 13, 21, 25, 15}, Wall{2018, 6, 13, 1, 56, 0}, 0, 0, []string{"Ana", "Bruno"}},
	{"whatsapp-txt/whatsreader-european-ampm-variants.txt", "", DMY, false, 4, Wall{2018, 6, 23, 13, 55, 0}, Wall{2018, 6, 23, 1, 58, 0}, 0, 0, []string{"Loris", "Luke"}},
	{"whatsapp-txt/whatsreader-french-HANDMADE.txt", "", DMY, true, 6, Wall{2024, 12, 10, 14, 30, 0}, Wall{2024, 12, 10, 14, 36, 0}, 1, 1, []string{"Pierre Martin", "Sophie Dubois", "Système"}},
	{"whatsapp-txt/whatsreader-ios-arabic-business-nnbsp.txt", "", DMY, false, 5, Wall{2025, 11, 13, 12, 25, 55}, Wall{2025, 12, 19, 8, 50, 53}, 0, 0, []string{"Amazon EG"}},
	{"whatsapp-txt/whatsreader-japanese-yearfirst-HANDMADE.txt", "", YMD, false, 5, Wall{2024, 12, 10, 14, 30, 0}, Wall{2024, 12, 10, 14, 36, 0}, 1, 1, []string{"佐藤花子", "山田太郎"}},
	{"whatsapp-txt/whatsreader-spanish-HANDMADE.txt", "", DMY, true, 6, Wall{2024, 12, 10, 14, 30, 0}, Wall{2024, 12, 10, 14, 36, 0}, 1, 1, []string{"Juan Pérez", "María García", "Sistema"}},
	{"whatsapp-txt/whatsreader-yearfirst-lowercase-ampm.txt", "", YMD, false, 5, Wall{2024, 12, 1, 22, 4, 0}, Wall{2024, 12, 1, 22, 8, 0}, 0, 1, []string{"Alice", "Bob"}},
	{"whatsapp-txt/whatstk-lorem-2000-iso.txt", "", YMD, false, 2000, Wall{2019, 4, 16, 2, 9, 0}, Wall{2020, 6, 13, 0, 0, 0}, 0, 0, []string{"+1 123 456 789", "Giuseppe", "John", "Mary"}},
	{"whatsapp-txt/whatstk-lorem-ios-brackets.txt", "", DMY, false, 500, Wall{2020, 1, 15, 2, 22, 56}, Wall{2020, 5, 11, 22, 32, 48}, 0, 0, []string{"+1 123 456 789", "Giuseppe", "John", "Mary"}},
	{"whatsapp-txt/whatstk-lorem-merge-part1.txt", "", YMD, false, 300, Wall{2019, 10, 20, 10, 16, 0}, Wall{2020, 1, 10, 0, 0, 0}, 0, 0, []string{"+1 123 456 789", "Giuseppe", "John", "Mary"}},
	{"whatsapp-txt/whatstk-lorem-merge-part2.txt", "", YMD, false, 300, Wall{2020, 6, 20, 10, 16, 0}, Wall{2020, 9, 10, 0, 0, 0}, 0, 0, []string{"+1 123 456 789", "Giuseppe", "John", "Maria", "Maria2"}},
	{"whatsapp-txt/whatstk-pokemon-de-dots.txt", "", DMY, false, 20, Wall{2016, 4, 15, 15, 4, 0}, Wall{2016, 10, 31, 12, 23, 0}, 0, 0, []string{"Ash Ketchum", "Brock", "Jessie & James", "Meowth", "Misty", "Prof. Oak", "Raichu", "Wobbuffet"}},
	{"whatsapp-txt/whatstk-samplechat-12h-seconds.txt", "", DMY, false, 20, Wall{2016, 4, 15, 15, 4, 10}, Wall{2016, 10, 31, 12, 23, 10}, 0, 0, []string{"Ash Ketchum", "Brock", "Jessie & James", "Meowth", "Misty", "Prof. Oak", "Raichu", "Wobbuffet"}},
	{"whatsapp-txt/whatstk-samplechat-dots-seconds.txt", "", DMY, false, 20, Wall{2016, 4, 15, 15, 4, 10}, Wall{2016, 10, 31, 12, 23, 10}, 0, 0, []string{"Ash Ketchum", "Brock", "Jessie & James", "Meowth", "Misty", "Prof. Oak", "Raichu", "Wobbuffet"}},
	{"whatsapp-export-dirs/whatsreader-android-group-with-media/WhatsApp Chat with Family Group 👨‍👩‍👧‍👦.txt", "", DMY, true, 50, Wall{2024, 12, 1, 9, 0, 0}, Wall{2024, 12, 4, 20, 7, 0}, 4, 0, []string{"Dad", "Mike", "Mom", "Sarah"}},
	{"whatsapp-zip/chatanalytics-4A_11M.zip", "_chat.txt", MDY, true, 14, Wall{2020, 12, 9, 23, 55, 0}, Wall{2020, 12, 9, 23, 56, 0}, 0, 0, []string{"Alice", "Bob", "Eve", "Mallory", "Trent"}},
	{"whatsapp-zip/rwhatsapp-sample.zip", "sample.txt", DMY, false, 9, Wall{2017, 7, 12, 22, 35, 0}, Wall{2018, 9, 28, 13, 30, 0}, 0, 1, []string{"Johannes Gruber", "Test"}},
	{"whatsapp-zip/soda-ios-export-with-macosx.zip", "_chat.txt", DMY, false, 10, Wall{2022, 3, 16, 15, 10, 17}, Wall{2020, 7, 14, 22, 5, 54}, 0, 0, []string{"person1", "person2", "person3", "person4"}},
}

// zipChats returns the text files of a zip export, ignoring the AppleDouble
// entries macOS adds under __MACOSX/.
func zipChats(t *testing.T, path string) map[string][]byte {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	out := map[string][]byte{}
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "__MACOSX/") || !strings.HasSuffix(f.Name, ".txt") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

func TestCorpus(t *testing.T) {
	dir := fixturesDir(t)
	covered := map[string]bool{}
	for _, c := range corpus {
		covered[c.path] = true
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			var data []byte
			if c.member != "" {
				files := zipChats(t, filepath.Join(dir, c.path))
				if len(files) != 1 {
					t.Fatalf("zip has %d chat files, want 1: %v", len(files), slices.Collect(mapKeys(files)))
				}
				data = files[c.member]
				if data == nil {
					t.Fatalf("zip has no %s", c.member)
				}
			} else {
				var err error
				if data, err = os.ReadFile(filepath.Join(dir, c.path)); err != nil {
					t.Fatal(err)
				}
			}
			auto, err := Scan(strings.NewReader(string(data)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{}
			if c.ambiguous {
				if !auto.Ambiguous || !slices.Contains(auto.Candidates, c.order) {
					t.Errorf("Scan: Ambiguous %v, candidates %v; want ambiguous with %s a candidate", auto.Ambiguous, auto.Candidates, c.order)
				}
				opts.DateOrder = c.order
			} else if auto.Ambiguous || auto.DateOrder != c.order {
				t.Errorf("Scan: order %s (ambiguous %v, candidates %v), want %s", auto.DateOrder, auto.Ambiguous, auto.Candidates, c.order)
			}
			p := parseBytes(t, data, opts)
			checkCoverage(t, data, p)
			if len(p.recs) != c.messages || p.layout.Headers != c.messages {
				t.Fatalf("%d records, Layout.Headers %d; want %d", len(p.recs), p.layout.Headers, c.messages)
			}
			if got := p.recs[0].Time; got != c.first {
				t.Errorf("first message at %v, want %v", got, c.first)
			}
			if got := p.recs[len(p.recs)-1].Time; got != c.last {
				t.Errorf("last message at %v, want %v", got, c.last)
			}
			authors := map[string]bool{}
			attached, omitted := 0, 0
			for _, r := range p.recs {
				if r.Author != "" {
					authors[r.Author] = true
				}
				switch r.Kind {
				case KindAttachment:
					attached++
				case KindMediaOmitted:
					omitted++
				}
				if (r.Kind == KindAttachment || r.Kind == KindMediaOmitted) != (r.Attachment != nil) {
					t.Errorf("line %d: kind %s with attachment %v", r.Line, r.Kind, r.Attachment)
				}
			}
			got := slices.Sorted(mapKeys(authors))
			want := slices.Sorted(slices.Values(c.authors))
			if !slices.Equal(got, want) {
				t.Errorf("authors %q, want %q", got, want)
			}
			if attached != c.attached || omitted != c.omitted {
				t.Errorf("%d attached and %d omitted media, want %d and %d", attached, omitted, c.attached, c.omitted)
			}
		})
	}
	// Every chat text of the fixtures must have a case above.
	for _, sub := range []string{"whatsapp-txt", "whatsapp-export-dirs"} {
		filepath.WalkDir(filepath.Join(dir, sub), func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".txt") {
				rel, _ := filepath.Rel(dir, path)
				if !covered[filepath.ToSlash(rel)] {
					t.Errorf("fixture %s has no corpus case", rel)
				}
			}
			return nil
		})
	}
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// The account-information zip that WhatsApp's "Request account info"
// makes holds JSON, not a chat: there is no chat text in it, and every
// entry (JSON, .DS_Store, AppleDouble) is refused by Scan as not a chat.
func TestCorpusAccountInfoZipIsNotAChat(t *testing.T) {
	dir := fixturesDir(t)
	path := filepath.Join(dir, "whatsapp-zip", "soda-whatsapp-account-info.zip")
	if files := zipChats(t, path); len(files) != 0 {
		t.Fatalf("found chat files %v", slices.Collect(mapKeys(files)))
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	n := 0
	for _, f := range z.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		_, err = Scan(rc, Options{})
		rc.Close()
		if !errors.Is(err, ErrNotAChat) {
			t.Errorf("%s: Scan error %v, want ErrNotAChat", f.Name, err)
		}
		n++
	}
	if n == 0 {
		t.Fatal("empty zip")
	}
}

// The macOS AppleDouble entry next to _chat.txt is binary metadata.
func TestCorpusAppleDoubleIsBinary(t *testing.T) {
	dir := fixturesDir(t)
	z, err := zip.OpenReader(filepath.Join(dir, "whatsapp-zip", "soda-ios-export-with-macosx.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.Open("__MACOSX/.__chat.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := Scan(f, Options{}); !errors.Is(err, ErrBinary) {
		t.Fatalf("Scan error %v, want ErrBinary", err)
	}
}

// chat-miner's expected output for its four same-content test files: its
// messages with author (system messages and the malformed "John Doe:."
// dropped), newest first, line breaks as spaces.
func TestCorpusChatMinerTarget(t *testing.T) {
	dir := fixturesDir(t)
	raw, err := os.ReadFile(filepath.Join(dir, "whatsapp-txt", "chatminer-target.json"))
	if err != nil {
		t.Fatal(err)
	}
	var target []struct{ Timestamp, Author, Message string }
	if err := json.Unmarshal(raw, &target); err != nil {
		t.Fatal(err)
	}
	if len(target) == 0 {
		t.Fatal("empty target")
	}
	for _, name := range []string{"chatminer-android-ddmmyy-24h.txt", "chatminer-android-mmddyy-24h.txt", "chatminer-android-yyyymmdd-24h.txt", "chatminer-ios-brackets-mmddyy-24h.txt"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, "whatsapp-txt", name))
			if err != nil {
				t.Fatal(err)
			}
			p := parseBytes(t, data, Options{})
			var got []string
			for _, r := range p.recs {
				if r.Kind == KindSystem {
					continue
				}
				w := r.Time
				got = append(got, strings.Join([]string{
					time2iso(w), r.Author, strings.ReplaceAll(r.Text, "\n", " "),
				}, "|"))
			}
			slices.Reverse(got)
			var want []string
			for _, m := range target {
				want = append(want, m.Timestamp+"|"+m.Author+"|"+m.Message)
			}
			if !slices.Equal(got, want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func time2iso(w Wall) string {
	return strings.Replace(w.String(), " ", "T", 1)
}
