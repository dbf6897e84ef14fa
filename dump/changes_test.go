package dump

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// A restored archive has measured nothing, yet nothing differs from the dump it came from; a new
// month is all that differs after one more message.
func TestChangedSinceComparesWithTheEarlierDump(t *testing.T) {
	ctx := context.Background()
	src := openArchive(t, "src")
	fillArchive(t, src, 30)
	before := filepath.Join(t.TempDir(), "before")
	dumpTo(t, src, Options{}, before)

	dst := openArchive(t, "dst")
	if _, err := Load(ctx, Folder(before), dst, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	d, err := Build(ctx, dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.ChangedMonths == 0 {
		t.Fatal("the restored archive re-measured no month: this test would not show the difference")
	}
	ch, err := d.ChangedSince(ctx, Folder(before))
	d.Close(ctx)
	if err != nil || ch != (Changes{}) {
		t.Fatalf("restored archive against its own dump: %+v, %v; want nothing changed", ch, err)
	}

	im, err := dst.BeginImport(ctx, archive.ImportInfo{Importer: "test", ImporterVersion: "7", SourcePath: "/exports/y.zip"})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := im.Conversation(archive.Conversation{Service: "telegram", Key: "12345", Title: "Bob", Kind: archive.ConvDirect})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := im.Participant(archive.Participant{Service: "telegram", Key: "user42", Name: "Bob <b>"})
	if err != nil {
		t.Fatal(err)
	}
	msg := archive.Message{ConversationID: conv, UID: "new-1", Time: time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC), SenderID: bob, Kind: archive.KindText, Text: "a new month"}
	if err := im.AddMessage(&msg); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	d, err = Build(ctx, dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	ch, err = d.ChangedSince(ctx, Folder(before))
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for _, c := range d.Manifest.Conversations {
		for _, m := range d.metas[c.Meta.Path].Months {
			if m.Month == "2024-03" {
				want = m.Size
			}
		}
	}
	if ch.Months != 1 || ch.Bytes != want || want == 0 {
		t.Fatalf("after one new message: %+v, want 1 month of %d bytes", ch, want)
	}
}
