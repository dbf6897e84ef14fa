package dump

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// A reaction and an edit that a later import adds to a stored message change exactly that
// message's month in the next dump (the next backup carries them), and survive a restore.
func TestLaterUpdatesAreReDumped(t *testing.T) {
	ctx := context.Background()
	a := openArchive(t, "a")
	begin := func() *archive.Import {
		im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "x", Rank: archive.RankDatabase})
		if err != nil {
			t.Fatal(err)
		}
		return im
	}
	im := begin()
	conv, _ := im.Conversation(archive.Conversation{Service: "telegram", Key: "tg:1", Title: "Chat"})
	for i, ts := range []time.Time{time.Date(2024, 1, 5, 9, 0, 0, 0, time.UTC), time.Date(2024, 2, 5, 9, 0, 0, 0, time.UTC)} {
		if err := im.AddMessage(&archive.Message{ConversationID: conv, UID: "tg:" + string(rune('1'+i)), Time: ts, Text: "first text"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	dir1 := filepath.Join(t.TempDir(), "1")
	dumpTo(t, a, Options{}, dir1)

	im = begin()
	bob, _ := im.Participant(archive.Participant{Service: "telegram", Key: "tg:user2", Name: "Bob"})
	im.Update(archive.Update{ConversationID: conv, Key: "tg:2", Reaction: &archive.Reaction{SenderID: bob, Emoji: "👍"}})
	im.Update(archive.Update{ConversationID: conv, Key: "tg:2", Edit: &archive.Edit{Time: time.Date(2024, 2, 6, 0, 0, 0, 0, time.UTC), Text: "second text"}})
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	dir2 := filepath.Join(t.TempDir(), "2")
	d2 := dumpTo(t, a, Options{}, dir2)
	if len(d2.measured) != 1 {
		t.Errorf("%d months re-measured, want the one month the updates touched", len(d2.measured))
	}
	one, two := folderFiles(t, dir1), folderFiles(t, dir2)
	for p, b := range one {
		changed := !bytes.Equal(b, two[p])
		if strings.HasSuffix(p, "2024-01.jsonl") && changed {
			t.Errorf("%s changed, though no update touched it", p)
		}
		if strings.HasSuffix(p, "2024-02.jsonl") {
			if !changed {
				t.Errorf("%s unchanged after a reaction and an edit", p)
			}
			for _, want := range []string{`"emoji":"👍"`, `"text":"second text"`, `"revisions":[{"ts":1707123600000,"text":"first text"}]`, `"flags":["edited"]`} {
				if !strings.Contains(string(two[p]), want) {
					t.Errorf("%s lacks %s:\n%s", p, want, two[p])
				}
			}
		}
	}
	b := openArchive(t, "b")
	if _, err := Load(ctx, Folder(dir2), b, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	dir3 := filepath.Join(t.TempDir(), "3")
	dumpTo(t, b, Options{}, dir3)
	three := folderFiles(t, dir3)
	for p, data := range two {
		if !bytes.Equal(data, three[p]) {
			t.Errorf("%s differs after a restore", p)
		}
	}
}
