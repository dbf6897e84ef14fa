package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/internal/fixtures"
	"github.com/chatvault/chatvault/viewer"
)

// TestViewFromVault: `view --from VAULT` lists the chats a backup holds under the ids the live
// viewer uses, and gives months, not invented days, until it has read them.
func TestViewFromVault(t *testing.T) {
	home := isolate(t)
	mustCLI(t, "import", filepath.Join(fixtures.Dir(t), "whatsapp-txt", "whatstk-lorem-2000-iso.txt"),
		filepath.Join(fixtures.Dir(t), "whatsapp-txt", "pustur-short-chat.txt"))
	mustCLI(t, "vault", "add", "usb", filepath.Join(home, "usb"))
	mustCLI(t, "init", "usb")
	mustCLI(t, "backup")

	ctx := context.Background()
	g := &globals{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	live, release, err := viewSource(ctx, g, &viewOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	snap, releaseSnap, err := viewSource(ctx, g, &viewOptions{from: "usb", snapshot: "latest"})
	if err != nil {
		t.Fatal(err)
	}
	defer releaseSnap()
	want, err := live.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := snap.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 2 || len(got) != 2 {
		t.Fatalf("live lists %d chats, the snapshot %d", len(want), len(got))
	}
	for _, w := range want {
		var g viewer.Conversation
		for _, c := range got {
			if c.ID == w.ID {
				g = c
			}
		}
		if g.Title != w.Title {
			t.Fatalf("chat %s is %q live and %q in the snapshot", w.ID, w.Title, g.Title)
		}
		if !g.LastMonthOnly || monthOf(g.Last) != monthOf(w.Last) {
			t.Errorf("%q before reading: last %s (month only %v), live %s", g.Title, time.UnixMilli(g.Last).UTC(), g.LastMonthOnly, time.UnixMilli(w.Last).UTC())
		}
		if _, err := snap.Messages(ctx, viewer.MessageQuery{Conversation: w.ID}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ = snap.Conversations(ctx)
	for _, g := range got {
		for _, w := range want {
			if g.ID == w.ID && (g.LastMonthOnly || g.Last != w.Last) {
				t.Errorf("%q after reading: last %s, live %s", g.Title, time.UnixMilli(g.Last).UTC(), time.UnixMilli(w.Last).UTC())
			}
		}
	}
}

func monthOf(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01") }
