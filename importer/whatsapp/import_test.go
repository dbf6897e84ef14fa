package whatsapp

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/fixtures"
)

func newArchive(t *testing.T) *archive.Archive { return archivetest.Open(t) }

func importPath(t *testing.T, a *archive.Archive, p string, opts importer.Options) (*archive.Report, error) {
	t.Helper()
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	return importer.Run(context.Background(), a, txtImporter{}, importer.LocalSource(p), opts)
}

// headers counts a chat's messages with the parser's first pass alone, to check that the
// import stores every one of them.
func headers(t *testing.T, e *export) int {
	t.Helper()
	r, err := e.openChat()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	l, err := wachat.Scan(r, wachat.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return l.Headers
}

// Every WhatsApp export in the shared corpus imports whole: each message header becomes a
// message, importing it again adds nothing, and nothing is dropped without a warning.
func TestEveryFixtureImports(t *testing.T) {
	dir := fixtures.Dir(t)
	var sources []string
	for _, pattern := range []string{"whatsapp-txt/*.txt", "whatsapp-zip/*.zip", "whatsapp-export-dirs/*"} {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		sources = append(sources, m...)
	}
	if len(sources) < 40 {
		t.Fatalf("found only %d WhatsApp fixtures", len(sources))
	}
	for _, src := range sources {
		t.Run(filepath.Base(src), func(t *testing.T) {
			a := newArchive(t)
			if strings.Contains(src, "account-info") {
				if (txtImporter{}).Detect(importer.LocalSource(src)) != 0 {
					t.Fatal("the account-info zip (no chat inside) was detected as a chat export")
				}
				_, err := importPath(t, a, src, importer.Options{})
				var se *importer.SourceError
				if !errors.As(err, &se) {
					t.Fatalf("want a source error, got %v", err)
				}
				return
			}
			if (txtImporter{}).Detect(importer.LocalSource(src)) == 0 {
				t.Fatal("not detected")
			}
			e, err := openExport(importer.LocalSource(src))
			if err != nil {
				t.Fatal(err)
			}
			want := headers(t, e)
			e.Close()
			rep, err := importPath(t, a, src, importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.MessagesAdded != want || want == 0 {
				t.Fatalf("added %d messages, the file has %d headers", rep.MessagesAdded, want)
			}
			again, err := importPath(t, a, src, importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if again.MessagesAdded != 0 || again.MessagesPresent != want {
				t.Fatalf("second import added %d, present %d", again.MessagesAdded, again.MessagesPresent)
			}
		})
	}
}

func TestExportFolderStoresMedia(t *testing.T) {
	dir := fixtures.Path(t, "whatsapp-export-dirs/whatsreader-android-group-with-media")
	a := newArchive(t)
	rep, err := importPath(t, a, dir, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.MediaAdded != 4 || rep.Conversations[0] != "Family Group 👨‍👩‍👧‍👦" {
		t.Fatalf("report %+v", rep)
	}
	st, _ := a.Stats(context.Background())
	var size int64
	for _, n := range []string{"IMG-20241201-WA0001.jpg", "IMG-20241204-WA0004.jpg", "PTT-20241201-WA0002.opus", "VID-20241202-WA0003.mp4"} {
		fi, err := os.Stat(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		size += fi.Size()
	}
	if st.MediaBytes != size || st.MediaFiles != 4 {
		t.Fatalf("media %d files %d bytes, want 4 and %d", st.MediaFiles, st.MediaBytes, size)
	}
	// The voice note is a voice note, linked to its stored file.
	var kinds []string
	a.EachMessage(context.Background(), archive.MessageQuery{WithParts: true}, func(m *archive.Message) error {
		for _, at := range m.Attachments {
			if at.SHA256 != "" {
				kinds = append(kinds, string(at.Kind)+":"+at.FileName)
			}
		}
		return nil
	})
	if strings.Join(kinds, ",") != "photo:IMG-20241201-WA0001.jpg,voice:PTT-20241201-WA0002.opus,video:VID-20241202-WA0003.mp4,photo:IMG-20241204-WA0004.jpg" {
		t.Fatalf("attachments %v", kinds)
	}
}

func TestSplitChatMerges(t *testing.T) {
	a := newArchive(t)
	opts := importer.Options{Title: "Lorem"}
	r1, err := importPath(t, a, fixtures.Path(t, "whatsapp-txt/whatstk-lorem-merge-part1.txt"), opts)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := importPath(t, a, fixtures.Path(t, "whatsapp-txt/whatstk-lorem-merge-part2.txt"), opts)
	if err != nil {
		t.Fatal(err)
	}
	// 300 + 300 header lines, none in both files (checked with grep and sort | uniq -d).
	if r1.MessagesAdded != 300 || r2.MessagesAdded != 300 || r2.MessagesPresent != 0 {
		t.Fatalf("part 1 added %d; part 2 added %d, present %d", r1.MessagesAdded, r2.MessagesAdded, r2.MessagesPresent)
	}
	// The whole chat exported at once afterwards overlaps both halves: nothing new.
	p1, _ := os.ReadFile(fixtures.Path(t, "whatsapp-txt/whatstk-lorem-merge-part1.txt"))
	p2, _ := os.ReadFile(fixtures.Path(t, "whatsapp-txt/whatstk-lorem-merge-part2.txt"))
	whole := filepath.Join(t.TempDir(), "whole.txt")
	os.WriteFile(whole, append(append(p1, '\n'), p2...), 0o600)
	r3, err := importPath(t, a, whole, opts)
	if err != nil || r3.MessagesAdded != 0 || r3.MessagesPresent != 600 {
		t.Fatalf("whole chat: added %d, present %d (%v)", r3.MessagesAdded, r3.MessagesPresent, err)
	}
}

func TestTimeZoneDecidesTheInstant(t *testing.T) {
	p := filepath.Join(t.TempDir(), "WhatsApp Chat with Kai.txt")
	os.WriteFile(p, []byte("24/12/2023, 18:30 - Kai: Merry Christmas\n"), 0o600)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	a := newArchive(t)
	if _, err := importPath(t, a, p, importer.Options{TZ: berlin}); err != nil {
		t.Fatal(err)
	}
	var got time.Time
	var offset int
	a.EachMessage(context.Background(), archive.MessageQuery{}, func(m *archive.Message) error {
		got, offset = m.Time, m.Offset
		return nil
	})
	if !got.Equal(time.Date(2023, 12, 24, 17, 30, 0, 0, time.UTC)) || offset != 3600 {
		t.Fatalf("instant %v offset %d", got, offset)
	}
	// The same file read in another zone is the same message, not a duplicate.
	rep, err := importPath(t, a, p, importer.Options{TZ: time.UTC})
	if err != nil || rep.MessagesAdded != 0 {
		t.Fatalf("re-import in another zone added %d (%v)", rep.MessagesAdded, err)
	}
}

func TestMeFromFileNameAndFlag(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "WhatsApp Chat with Kai.txt")
	os.WriteFile(p, []byte("24/12/2023, 18:30 - Kai: Merry Christmas\n24/12/2023, 18:31 - Lena: You too!\n"), 0o600)
	a := newArchive(t)
	if _, err := importPath(t, a, p, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	people, _ := a.Participants(context.Background())
	for _, pp := range people {
		if pp.IsMe != (pp.Name == "Lena") {
			t.Fatalf("%s is_me=%v", pp.Name, pp.IsMe)
		}
	}
	var fromMe []string
	a.EachMessage(context.Background(), archive.MessageQuery{}, func(m *archive.Message) error {
		if m.FromMe {
			fromMe = append(fromMe, m.Text)
		}
		return nil
	})
	if strings.Join(fromMe, "|") != "You too!" {
		t.Fatalf("from me: %q", fromMe)
	}
}

// Bad input: one clear error naming the file, and the archive exactly as before.
func TestBadInputLeavesArchiveUnchanged(t *testing.T) {
	dir := t.TempDir()
	a := newArchive(t)
	good := filepath.Join(dir, "WhatsApp Chat with Kai.txt")
	os.WriteFile(good, []byte("24/12/2023, 18:30 - Kai: Merry Christmas\n"), 0o600)
	if _, err := importPath(t, a, good, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	unchanged := stateOf(t, a)

	chat := "24/12/2023, 18:30 - Kai: IMG-1.jpg (file attached)\n"
	cases := map[string][]byte{
		"garbage.txt":          bytes.Repeat([]byte{0, 1, 2, 0xff, 0xfe}, 10000),
		"not-a-chat.txt":       []byte("Dear diary,\ntoday nothing happened.\n"),
		"truncated.zip":        zipOf(t, map[string]string{"_chat.txt": chat, "IMG-1.jpg": "jpeg"})[:60],
		"escape.zip":           zipOf(t, map[string]string{"_chat.txt": chat, "../../evil.jpg": "x"}),
		"absolute.zip":         zipOf(t, map[string]string{"_chat.txt": chat, "/etc/evil": "x"}),
		"long-line.txt":        append([]byte("24/12/2023, 18:30 - Kai: "), bytes.Repeat([]byte("a"), 3<<20)...),
		"empty.txt":            {},
		"zip-without-chat.zip": zipOf(t, map[string]string{"photo.jpg": "jpeg"}),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := importPath(t, a, p, importer.Options{})
			var se *importer.SourceError
			if !errors.As(err, &se) {
				t.Fatalf("want a source error, got %v", err)
			}
			if msg := err.Error(); !strings.Contains(msg, name) || strings.Contains(msg, "\n") {
				t.Fatalf("error does not name the file in one line: %q", msg)
			}
			unchanged.check(t, a)
		})
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "evil.jpg")); err == nil {
		t.Fatal("a zip entry was written outside")
	}
}

// A zip bomb: an entry that claims a huge size but compresses to almost nothing.
func TestZipBombIsRefused(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("_chat.txt")
	w.Write([]byte("24/12/2023, 18:30 - Kai: IMG-1.jpg (file attached)\n"))
	w, _ = zw.Create("IMG-1.jpg")
	zero := make([]byte, 1<<20)
	for i := 0; i < 300; i++ { // 300 MiB of zeros compress to ~300 KiB
		w.Write(zero)
	}
	zw.Close()
	p := filepath.Join(t.TempDir(), "bomb.zip")
	os.WriteFile(p, b.Bytes(), 0o600)
	a := newArchive(t)
	_, err := importPath(t, a, p, importer.Options{})
	if err == nil || !strings.Contains(err.Error(), "zip bomb") {
		t.Fatalf("err = %v", err)
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	zw.Close()
	return b.Bytes()
}

// archiveState is what a failed import must leave as it was: the counts and the media files.
type archiveState struct {
	stats archive.Stats
	media string
}

func stateOf(t *testing.T, a *archive.Archive) archiveState {
	t.Helper()
	st, err := a.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return archiveState{st, listFiles(t, a.Dir())}
}

func (s archiveState) check(t *testing.T, a *archive.Archive) {
	t.Helper()
	now := stateOf(t, a)
	if now.stats != s.stats {
		t.Fatalf("archive changed: %+v -> %+v", s.stats, now.stats)
	}
	if now.media != s.media {
		t.Fatalf("media store changed:\n%s\n->\n%s", s.media, now.media)
	}
}

func listFiles(t *testing.T, dir string) string {
	t.Helper()
	var out []string
	filepath.Walk(filepath.Join(dir, "media"), func(p string, info os.FileInfo, err error) error {
		// The lock file of this process's staging folder (media/.tmp/p-*.lock) lives as long as
		// the process, made by the first import that staged a file; what is staged inside it is
		// still listed.
		if err == nil && !info.IsDir() && !(filepath.Base(filepath.Dir(p)) == ".tmp" && strings.HasSuffix(p, ".lock")) {
			out = append(out, p)
		}
		return nil
	})
	return strings.Join(out, "\n")
}

// A chat file the user renamed, next to a .txt document shared in the chat: the chat is the one
// that reads as a chat, in a folder and in a zip.
func TestChatFoundAmongOtherTexts(t *testing.T) {
	chat := "24/12/2023, 18:30 - Kai: Merry Christmas\n24/12/2023, 18:31 - Lea: notes.txt (file attached)\n24/12/2023, 18:32 - Kai: thanks\n"
	notes := "Shopping list\n- milk\n- 24/12 bring presents\n"
	folder := t.TempDir()
	os.WriteFile(filepath.Join(folder, "Kai and Lea.txt"), []byte(chat), 0o600)
	os.WriteFile(filepath.Join(folder, "notes.txt"), []byte(notes), 0o600)
	zipPath := filepath.Join(t.TempDir(), "export.zip")
	os.WriteFile(zipPath, zipOf(t, map[string]string{"Kai and Lea.txt": chat, "notes.txt": notes}), 0o600)
	for _, p := range []string{folder, zipPath} {
		a := newArchive(t)
		rep, err := importPath(t, a, p, importer.Options{})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if rep.MessagesAdded != 3 || rep.MediaAdded != 1 {
			t.Errorf("%s: %d messages, %d media files added; want 3 and the shared notes.txt", p, rep.MessagesAdded, rep.MediaAdded)
		}
	}
}
