package html

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
	"github.com/chatvault/chatvault/export/exporttest"
)

func sampleArchive(t testing.TB, long int) (*archive.Archive, exporttest.Info) {
	return exporttest.Sample(t, long)
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExportPagesAndIndex(t *testing.T) {
	a, info := sampleArchive(t, 2500)
	out := filepath.Join(t.TempDir(), "chats")
	rep, err := Export(context.Background(), a, out, Options{Location: time.UTC, PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Conversations != 3 || rep.Messages != int64(2500+26+12) {
		t.Errorf("report %+v", rep)
	}
	long := filepath.Join(out, "c", itoa(info.Long))
	for _, p := range []string{"p1.html", "p2.html", "p3.html", "index.html", "s1.js"} {
		if _, err := os.Stat(filepath.Join(long, p)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(long, "p4.html")); err == nil {
		t.Error("2500 messages at 1000 a page make 3 pages, found a 4th")
	}
	p3 := read(t, filepath.Join(long, "p3.html"))
	if strings.Count(p3, `class="msg `) != 500 {
		t.Errorf("last page holds %d messages, want 500", strings.Count(p3, `class="msg `))
	}
	if !strings.Contains(p3, exporttest.LongText(2499)) || !strings.Contains(p3, `rel="prev"`) || strings.Contains(p3, `rel="next"`) {
		t.Error("last page lacks its last message or has the wrong links")
	}
	index := read(t, filepath.Join(out, "index.html"))
	for _, want := range []string{"Family Trip", "Long chat", "c/" + itoa(info.Long) + "/p3.html"} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	demo := read(t, filepath.Join(out, "c", itoa(info.Demo), "p1.html"))
	for _, want := range []string{"media/" + info.PhotoSHA + ".png", "media/" + info.VoiceSHA + ".wav", "<audio", "passport", `class="sys"`} {
		if !strings.Contains(demo, want) {
			t.Errorf("demo page lacks %q", want)
		}
	}
	for _, sha := range []string{info.PhotoSHA + ".png", info.VoiceSHA + ".wav"} {
		if _, err := os.Stat(filepath.Join(out, "media", sha)); err != nil {
			t.Error(err)
		}
	}
	if m, err := export.ReadMarker(out); err != nil || m.Format != "html" {
		t.Errorf("marker %+v, %v", m, err)
	}
}

func TestExportHostileIsInert(t *testing.T) {
	a, info := sampleArchive(t, 0)
	out := filepath.Join(t.TempDir(), "chats")
	if _, err := Export(context.Background(), a, out, Options{Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	page := read(t, filepath.Join(out, "c", itoa(info.Hostile), "p1.html"))
	index := read(t, filepath.Join(out, "index.html"))
	for _, s := range []string{page, index} {
		for _, bad := range []string{"<script>window", "<img src=x", "<svg", "onerror=\"window", `href="javascript:`} {
			if strings.Contains(s, bad) {
				t.Errorf("output contains %q", bad)
			}
		}
	}
	// Names and file names lose their bidi overrides; message text keeps them, isolated.
	for _, bad := range []string{"Eve \u202Eevil", "cat\u202Egvs", "Evil \u202E"} {
		if strings.Contains(page, bad) && !strings.Contains(page, `added `+bad) {
			t.Errorf("a name still carries its override: %q", bad)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;window.__pwned=1") {
		t.Error("the script text is not shown literally")
	}
	// Media only under generated names with safe extensions; nothing escapes the folder.
	entries, err := os.ReadDir(filepath.Join(out, "media"))
	if err != nil {
		t.Fatal(err)
	}
	bins := 0
	for _, e := range entries {
		if name := e.Name(); strings.HasSuffix(name, ".bin") {
			bins++
		} else if !strings.HasSuffix(name, ".png") && !strings.HasSuffix(name, ".wav") {
			t.Errorf("media file %q: hostile types must be written as .bin", name)
		}
	}
	if bins != 2 {
		t.Errorf("%d .bin files, want the html and the svg", bins)
	}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if strings.Contains(p, "passwd") || strings.HasSuffix(p, ".html") && strings.Contains(p, "media") {
			t.Errorf("unexpected file %s", p)
		}
		return nil
	})
}

func TestExportRefusesForeignFolder(t *testing.T) {
	a, _ := sampleArchive(t, 0)
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "thesis.docx"), []byte("precious"), 0o644)
	_, err := Export(context.Background(), a, out, Options{})
	if err == nil || !strings.Contains(err.Error(), "not a chatvault export") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if read(t, filepath.Join(out, "thesis.docx")) != "precious" {
		t.Fatal("the folder was touched")
	}
}

func TestReexportReplaces(t *testing.T) {
	a, info := sampleArchive(t, 0)
	out := filepath.Join(t.TempDir(), "chats")
	if _, err := Export(context.Background(), a, out, Options{}); err != nil {
		t.Fatal(err)
	}
	rep, err := Export(context.Background(), a, out, Options{Selection: export.Selection{ConversationIDs: []int64{info.Demo}}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Conversations != 1 || rep.MediaFiles != 2 {
		t.Errorf("report %+v", rep)
	}
	if _, err := os.Stat(filepath.Join(out, "c", itoa(info.Hostile))); err == nil {
		t.Error("the re-export kept a conversation it no longer covers")
	}
	siblings, _ := os.ReadDir(filepath.Dir(out))
	if len(siblings) != 1 {
		t.Errorf("temporary folders left behind: %v", siblings)
	}
}

func TestWithoutMedia(t *testing.T) {
	a, info := sampleArchive(t, 0)
	out := filepath.Join(t.TempDir(), "chats")
	if _, err := Export(context.Background(), a, out, Options{WithoutMedia: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "media")); err == nil {
		t.Error("media copied although --without-media")
	}
	page := read(t, filepath.Join(out, "c", itoa(info.Demo), "p1.html"))
	if !strings.Contains(page, "IMG-20240303-WA0001.png") || !strings.Contains(page, "exported without media") {
		t.Error("placeholders missing")
	}
}

func itoa(n int64) string { return strconvI(n) }
