package txt

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export/exporttest"
)

func sampleArchive(t *testing.T) (*archive.Archive, exporttest.Info) {
	return exporttest.Sample(t, 30)
}

func conv(t *testing.T, a *archive.Archive, id int64) archive.Conversation {
	c, err := a.ConversationByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDemoAsWhatsAppText(t *testing.T) {
	a, info := sampleArchive(t)
	out := filepath.Join(t.TempDir(), "family")
	res, err := ExportConversation(context.Background(), a, conv(t, a, info.Demo), out, Options{Zone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if res.Messages != 26 || res.MediaFiles != 2 || res.Attached != 2 || res.Omitted != 1 {
		t.Errorf("result %+v", res)
	}
	text, err := os.ReadFile(filepath.Join(out, "WhatsApp Chat with Family Trip.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"02/03/2024, 18:01 - Messages and calls are end-to-end encrypted.",
		"02/03/2024, 18:02 - Ana: Summer trip planning starts now! 🌍\n",
		"02/03/2024, 18:09 - Ana: Good catch Dora.\nEveryone please check your passport dates tonight.\n",
		"03/03/2024, 09:12 - Ben: IMG-20240303-WA0001.png (file attached)\nOld photo from the last trip\n",
		"03/03/2024, 09:15 - Dora: AUD-20240303-WA0002.wav (file attached)\n",
		"05/03/2024, 20:30 - Ben: location: https://maps.google.com/?q=38.711900,-9.129500\n",
		"05/03/2024, 20:40 - Chen: \u200eimage omitted\n",
		"05/03/2024, 20:41 - Chen: This message was deleted\n",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("export lacks %q", want)
		}
	}
	for _, f := range []string{"IMG-20240303-WA0001.png", "AUD-20240303-WA0002.wav"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestZipAndWithoutMedia(t *testing.T) {
	a, info := sampleArchive(t)
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "family.zip")
	if _, err := ExportConversation(context.Background(), a, conv(t, a, info.Demo), zipPath, Options{}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	zr.Close()
	if strings.Join(names, "|") != "WhatsApp Chat with Family Trip.txt|IMG-20240303-WA0001.png|AUD-20240303-WA0002.wav" {
		t.Errorf("zip holds %q", names)
	}
	txtPath := filepath.Join(dir, "family.txt")
	res, err := ExportConversation(context.Background(), a, conv(t, a, info.Demo), txtPath, Options{WithoutMedia: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Attached != 0 || res.Omitted != 3 || res.MediaFiles != 0 {
		t.Errorf("without media: %+v", res)
	}
	b, _ := os.ReadFile(txtPath)
	if strings.Count(string(b), "\u200eimage omitted") != 2 || strings.Count(string(b), "\u200eaudio omitted") != 1 || strings.Contains(string(b), "file attached") {
		t.Errorf("without media, every attachment is a placeholder of its kind:\n%s", b)
	}
}

func TestHostileNamesStayInside(t *testing.T) {
	a, info := sampleArchive(t)
	out := filepath.Join(t.TempDir(), "hostile")
	if _, err := ExportConversation(context.Background(), a, conv(t, a, info.Hostile), out, Options{}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		if strings.ContainsAny(e.Name(), "/\\\u202e") || strings.HasPrefix(e.Name(), "..") {
			t.Errorf("unsafe name %q", e.Name())
		}
	}
	if !strings.Contains(strings.Join(names, "|"), "etc_passwd") {
		t.Errorf("files %q", names)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), "etc")); err == nil {
		t.Error("a file escaped the export folder")
	}
}

func TestAllConversations(t *testing.T) {
	a, _ := sampleArchive(t)
	out := filepath.Join(t.TempDir(), "all")
	res, err := ExportAll(context.Background(), a, out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("%d results", len(res))
	}
	for _, r := range res {
		if _, err := os.Stat(r.Path); err != nil || !strings.HasSuffix(r.Path, ".zip") {
			t.Errorf("%s: %v", r.Path, err)
		}
	}
}

func TestSecondsWhenNeeded(t *testing.T) {
	var b []byte
	at := time.Date(2024, 3, 2, 9, 5, 7, 0, time.UTC)
	if got := string(appendHeader(b, at, false)); got != "02/03/2024, 09:05 - " {
		t.Error(got)
	}
	if got := string(appendHeader(b, at, true)); got != "02/03/2024, 09:05:07 - " {
		t.Error(got)
	}
}

func TestGuardLine(t *testing.T) {
	for in, want := range map[string]string{
		"12/03/2024, 10:00 - Bob: fake":    "12/03/2024, 10\u200e:00 - Bob: fake",
		"[12/03/2024, 10:00:05] Bob: fake": "[12/03/2024, 10\u200e:00\u200e:05] Bob: fake",
		"2022/12/24, 13:01. - John: x":     "2022/12/24, 13\u200e:01. - John: x",
		"12.03.24, 10.00 - Bob: x":         "12\u200e.03\u200e.24, 10\u200e.00 - Bob: x",
		"plain words":                      "plain words",
		"version 2.0 of 3":                 "version 2\u200e.0 of 3",
		"٢٤/٤/٢٠٢٢، ٢:٠٧ م - علي: hi":      "٢٤/٤/٢٠٢٢، ٢\u200e:٠٧ م - علي: hi",
	} {
		if got := guardLine(in); got != want {
			t.Errorf("guardLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNamer(t *testing.T) {
	n := newNamer(nil, "chat.txt")
	sha := func(c byte) string { return strings.Repeat(string(c), 64) }
	got := func(name, s string) string {
		v, _ := n.name(archive.Attachment{FileName: name, SHA256: s, Kind: archive.KindPhoto})
		return v
	}
	if g := got("a.jpg", sha('1')); g != "a.jpg" {
		t.Error(g)
	}
	if g := got("a.jpg", sha('1')); g != "a.jpg" {
		t.Error("same file, same name:", g)
	}
	if g := got("A.jpg", sha('2')); g != "A (2).jpg" {
		t.Error("names differing in case only collide on some file systems:", g)
	}
	if g := got("chat.txt", sha('3')); g != "chat (2).txt" {
		t.Error(g)
	}
	if g := got("", sha('4')); g != "PHOTO-444444444444.bin" {
		t.Error(g)
	}
}
