package dump

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// openArchive opens a fresh archive; name only tells the test's archives apart when reading it.
func openArchive(t *testing.T, _ string) *archive.Archive { return archivetest.Open(t) }

// fillArchive imports a varied history: two services, a group and a direct chat, media shared
// twice, a video, reactions, replies, details, flags, known and unknown offsets.
func fillArchive(t *testing.T, a *archive.Archive, extra int) {
	t.Helper()
	ctx := context.Background()
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "test", ImporterVersion: "7", SourcePath: "/exports/x.zip",
		Options: map[string]string{"tz": "Europe/Berlin"}})
	if err != nil {
		t.Fatal(err)
	}
	must := func(id int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	g := must(im.Conversation(archive.Conversation{Service: "whatsapp", Key: "export:family / trip", Title: "Family / Trip 👨‍👩‍👧", Kind: archive.ConvGroup}))
	d := must(im.Conversation(archive.Conversation{Service: "telegram", Key: "12345", Title: "Bob", Kind: archive.ConvDirect}))
	ana := must(im.Participant(archive.Participant{Service: "whatsapp", Key: "name:ana", Name: "Ana", IsMe: true}))
	ben := must(im.Participant(archive.Participant{Service: "whatsapp", Key: "tel:+4915100000", Name: "+49 151 00000", Phone: "+4915100000"}))
	bob := must(im.Participant(archive.Participant{Service: "telegram", Key: "user42", Name: "Bob <b>"}))
	for _, p := range [][2]int64{{g, ana}, {g, ben}, {d, bob}} {
		if err := im.Member(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	photo, _, err := im.PutMedia(strings.NewReader("PNG photo bytes"), "image/png", 0)
	if err != nil {
		t.Fatal(err)
	}
	video, _, err := im.PutMedia(strings.NewReader(strings.Repeat("video", 1000)), "video/mp4", 0)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2023, 12, 31, 23, 30, 0, 0, time.UTC)
	msgs := []archive.Message{
		{ConversationID: g, UID: "a1", Time: base, SenderID: ana, FromMe: true, Kind: archive.KindText, Text: "Happy new year!\nsecond line", OffsetKnown: true, Offset: 3600, OffsetAssumed: true, Raw: "31/12/2023, 23:30 - Ana: Happy new year!\nsecond line", SrcPos: "lines 1-2"},
		{ConversationID: g, UID: "a2", Time: base.Add(time.Hour), SenderID: ben, Kind: archive.KindPhoto, Text: "caption",
			Attachments: []archive.Attachment{{Kind: archive.KindPhoto, FileName: "IMG-1.png", MIME: "image/png", Size: 15, SHA256: photo}},
			Reactions:   []archive.Reaction{{SenderID: ana, Emoji: "❤️", Time: base.Add(2 * time.Hour)}}},
		{ConversationID: g, UID: "a3", Time: base.Add(2 * time.Hour), SenderID: ana, Kind: archive.KindVideo, Flags: archive.FlagForwarded,
			Attachments: []archive.Attachment{{Kind: archive.KindVideo, FileName: "VID.mp4", SHA256: video, Size: 5000}},
			Reactions:   []archive.Reaction{{SenderID: ben, Emoji: "", Time: base.Add(150 * time.Minute), Sole: true}}}, // taken back
		{ConversationID: g, UID: "a4", Time: base.Add(3 * time.Hour), Kind: archive.KindSystem, Details: &archive.Details{Event: &archive.Event{Type: "member_added", Actor: "Ana", Targets: []string{"Ben"}}}},
		{ConversationID: g, UID: "a5", Time: base.Add(4 * time.Hour), SenderID: ben, Kind: archive.KindLocation, Details: &archive.Details{Location: location(38.7, -9.1)}, ReplyTo: "a1"},
		{ConversationID: g, UID: "a6", Time: base.Add(5 * time.Hour), SenderID: ben, Kind: archive.KindPhoto,
			Attachments: []archive.Attachment{{Kind: archive.KindPhoto, FileName: "", Details: &archive.Details{Missing: "omitted"}}}},
		{ConversationID: d, UID: "0000000001", Time: base.Add(-48 * time.Hour), SenderID: bob, Kind: archive.KindText, Text: "same photo again", Flags: archive.FlagEdited,
			Attachments: []archive.Attachment{{Kind: archive.KindPhoto, FileName: "photo.png", SHA256: photo, Size: 15}}},
	}
	for i := 0; i < extra; i++ {
		msgs = append(msgs, archive.Message{ConversationID: d, UID: fmt.Sprintf("x%07d", i), Time: base.AddDate(0, 0, -i), SenderID: bob, Kind: archive.KindText, Text: fmt.Sprintf("filler %d", i)})
	}
	for i := range msgs {
		if err := im.AddMessage(&msgs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
}

// folderFiles reads every file under dir, by slash path.
func folderFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func dumpTo(t *testing.T, a *archive.Archive, opts Options, dir string) *Dump {
	t.Helper()
	ctx := context.Background()
	d, err := Build(ctx, a, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFolder(ctx, d.Root(), dir); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestRoundTripIsByteIdentical(t *testing.T) {
	ctx := context.Background()
	src := openArchive(t, "src")
	fillArchive(t, src, 30)
	dir1 := filepath.Join(t.TempDir(), "one")
	d1 := dumpTo(t, src, Options{}, dir1)
	if c := d1.Manifest.Counts; c.Conversations != 2 || c.Messages != 37 || c.Participants != 3 || c.MediaFiles != 2 || c.Attachments != 4 {
		t.Fatalf("counts %+v", c)
	}

	dst := openArchive(t, "dst")
	rep, err := Load(ctx, Folder(dir1), dst, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 0 || rep.MessagesAdded != 37 || rep.MediaFiles != 2 {
		t.Fatalf("load report %+v", rep)
	}
	if dst.ID() != src.ID() {
		t.Fatalf("restored archive has id %s, want %s", dst.ID(), src.ID())
	}
	dir2 := filepath.Join(t.TempDir(), "two")
	dumpTo(t, dst, Options{}, dir2)
	one, two := folderFiles(t, dir1), folderFiles(t, dir2)
	if len(one) != len(two) {
		t.Fatalf("%d files before, %d after", len(one), len(two))
	}
	for p, b := range one {
		if !bytes.Equal(b, two[p]) {
			t.Errorf("%s differs after restore:\n%s\n---\n%s", p, b, two[p])
		}
	}
	// Every field survives: spot-check the month that holds the richest messages.
	var month []byte
	for p, b := range one {
		if strings.HasSuffix(p, "2024-01.jsonl") && strings.Contains(p, "whatsapp") {
			month = b
		}
	}
	for _, want := range []string{`"offset":3600`, `"offset_assumed":true`, `"from_me":true`, `"reply_to":"a1"`, `"flags":["forwarded"]`,
		`"emoji":"❤️"`, `{"sender":"tel:+4915100000","emoji":"","ts":1704074400000}`, `"missing":"omitted"`, `"src":"lines 1-2"`, `"raw":"31/12/2023`, `"import":"`} {
		if !bytes.Contains(month, []byte(want)) && !bytes.Contains(one[firstMonth(one, "whatsapp", "2023-12")], []byte(want)) {
			t.Errorf("dump lacks %s", want)
		}
	}
}

func firstMonth(files map[string][]byte, service, month string) string {
	for p := range files {
		if strings.Contains(p, service) && strings.HasSuffix(p, month+".jsonl") {
			return p
		}
	}
	return ""
}

func TestUnchangedArchiveDumpsIdenticallyAndMeasuresNothing(t *testing.T) {
	a := openArchive(t, "a")
	fillArchive(t, a, 100)
	d1 := dumpTo(t, a, Options{}, filepath.Join(t.TempDir(), "1"))
	if len(d1.measured) == 0 {
		t.Fatal("first dump measured no months")
	}
	d2 := dumpTo(t, a, Options{}, filepath.Join(t.TempDir(), "2"))
	if len(d2.measured) != 0 {
		t.Fatalf("second dump re-measured %d months", len(d2.measured))
	}
}

func TestPartialDumpAndRestoreOneChat(t *testing.T) {
	ctx := context.Background()
	a := openArchive(t, "a")
	fillArchive(t, a, 0)
	convs, _ := a.FindConversations(ctx, "Family / Trip 👨‍👩‍👧")
	dir := filepath.Join(t.TempDir(), "p")
	d := dumpTo(t, a, Options{ConversationIDs: []int64{convs[0].ID}, NoVideos: true}, dir)
	if c := d.Manifest.Counts; c.Conversations != 1 || c.Messages != 6 || c.MediaFiles != 1 {
		t.Fatalf("partial counts %+v", c)
	}
	files := folderFiles(t, dir)
	var media []string
	for p := range files {
		if strings.HasPrefix(p, "media/") {
			media = append(media, p)
		}
	}
	sort.Strings(media)
	if len(media) != 1 {
		t.Fatalf("media in a no-videos dump: %v", media)
	}
	dst := openArchive(t, "dst")
	rep, err := Load(ctx, Folder(dir), dst, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.MediaMissing != 1 { // the video the backup left out
		t.Fatalf("report %+v", rep)
	}
}

func TestNewerFormatIsRefused(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"format":"chatvault-dump","version":99}`), 0o600)
	a := openArchive(t, "a")
	_, err := Load(context.Background(), Folder(dir), a, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "newer chatvault") {
		t.Fatalf("err = %v", err)
	}
}

func TestTamperedMonthIsReported(t *testing.T) {
	ctx := context.Background()
	a := openArchive(t, "a")
	fillArchive(t, a, 0)
	dir := filepath.Join(t.TempDir(), "d")
	dumpTo(t, a, Options{}, dir)
	for p := range folderFiles(t, dir) {
		if strings.HasSuffix(p, ".jsonl") && strings.HasPrefix(p, "conversations/telegram") {
			f := filepath.Join(dir, filepath.FromSlash(p))
			b, _ := os.ReadFile(f)
			os.WriteFile(f, bytes.Replace(b, []byte("same photo"), []byte("SAME PHOTO"), 1), 0o600)
		}
	}
	rep, err := Load(ctx, Folder(dir), openArchive(t, "dst"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) == 0 || !strings.Contains(strings.Join(rep.Problems, "\n"), "does not match its digest") {
		t.Fatalf("tampering not reported: %v", rep.Problems)
	}
}

func location(lat, lon float64) *archive.Location {
	l := &archive.Location{}
	l.Lat, l.Lon = archive.Coords(lat, lon)
	return l
}

// A media file whose bytes no longer match its name is reported by name and not restored; the
// attachments that used it say so, and everything else comes back.
func TestDamagedMediaIsReportedAndDetached(t *testing.T) {
	ctx := context.Background()
	src := openArchive(t, "src")
	fillArchive(t, src, 0)
	dir := filepath.Join(t.TempDir(), "d")
	dumpTo(t, src, Options{}, dir)
	photo := fmt.Sprintf("%x", sha256.Sum256([]byte("PNG photo bytes")))
	if err := os.WriteFile(filepath.Join(dir, "media", photo[:2], photo), []byte("PNG photo bytez"), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := openArchive(t, "dst")
	rep, err := Load(ctx, Folder(dir), dst, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	problems := strings.Join(rep.Problems, "\n")
	if !strings.Contains(problems, "media file "+photo+" is damaged in the backup") {
		t.Errorf("damage not reported by name: %q", problems)
	}
	if rep.MediaFiles != 1 || rep.MediaMissing != 2 || rep.MessagesAdded != 7 {
		t.Errorf("report %+v, want 1 media file restored, 2 attachments without their file, 7 messages", rep)
	}
	if f, err := dst.OpenMedia(photo); err == nil {
		f.Close()
		t.Error("the damaged file was stored under its name")
	}
	st, err := dst.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.MediaFiles != 1 || st.MediaMissing != 3 { // the two damaged ones and the one the source never had
		t.Errorf("restored archive: %d media files, %d attachments missing their file; want 1 and 3", st.MediaFiles, st.MediaMissing)
	}
	out := filepath.Join(t.TempDir(), "again")
	dumpTo(t, dst, Options{}, out)
	n := 0
	for p, b := range folderFiles(t, out) {
		if strings.HasSuffix(p, ".jsonl") {
			n += bytes.Count(b, []byte(`"missing":"damaged in backup"`))
		}
	}
	if n != 2 {
		t.Errorf("%d attachments say their file was damaged in the backup, want 2", n)
	}
}
