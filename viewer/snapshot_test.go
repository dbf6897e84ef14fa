package viewer

import (
	"context"
	"testing"
	"time"
)

// TestSnapshotSameIDsAndTrueDates: a snapshot lists the same chats under the same ids as the
// live archive (a link opens the same chat in both), gives only the months of dates it has not
// read, and the exact ones once it has.
func TestSnapshotSameIDsAndTrueDates(t *testing.T) {
	ctx := context.Background()
	a, _ := sampleArchive(t)
	live, snap := NewArchiveSource(a), dumpOf(t, a)
	want, err := live.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := snap.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Conversation{}
	for _, c := range got {
		byID[c.ID] = c
	}
	if len(got) != len(want) {
		t.Fatalf("snapshot lists %d chats, archive %d", len(got), len(want))
	}
	for _, w := range want {
		g, ok := byID[w.ID]
		if !ok || g.Title != w.Title || g.Messages != w.Messages {
			t.Fatalf("chat %s %q (%d messages): snapshot has %q (%d)", w.ID, w.Title, w.Messages, g.Title, g.Messages)
		}
		if w.FirstMonthOnly || w.LastMonthOnly {
			t.Errorf("archive chat %q: dates marked month-only", w.Title)
		}
		if !g.FirstMonthOnly || !g.LastMonthOnly {
			t.Errorf("unread snapshot chat %q: dates not marked month-only", g.Title)
		}
		if month(g.Last) != month(w.Last) || month(g.First) != month(w.First) {
			t.Errorf("chat %q: snapshot months %s–%s, archive %s–%s", g.Title, month(g.First), month(g.Last), month(w.First), month(w.Last))
		}
	}

	// Reading the latest page reads the last month: the last date is now exact, in the list too.
	for _, w := range want {
		page, err := snap.Messages(ctx, MessageQuery{Conversation: w.ID})
		if err != nil {
			t.Fatal(err)
		}
		livePage, err := live.Messages(ctx, MessageQuery{Conversation: w.ID})
		if err != nil {
			t.Fatal(err)
		}
		if n, m := len(page.Messages), len(livePage.Messages); n == 0 || n != m || page.Messages[n-1].UID != livePage.Messages[m-1].UID {
			t.Fatalf("chat %q: the same id opens different messages", w.Title)
		}
	}
	got, _ = snap.Conversations(ctx)
	for _, g := range got {
		w := want[indexOf(want, g.ID)]
		if g.LastMonthOnly || g.Last != w.Last {
			t.Errorf("chat %q after reading: last %s (month only %v), want %s", g.Title, time.UnixMilli(g.Last).UTC(), g.LastMonthOnly, time.UnixMilli(w.Last).UTC())
		}
	}

	// Search hits name the chat by the same id in both.
	liveHits, err := live.Search(ctx, SearchQuery{Text: "long", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	snapHits, err := snap.Search(ctx, SearchQuery{Text: "long", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(liveHits) == 0 || len(snapHits) == 0 || liveHits[0].Conversation != snapHits[0].Conversation {
		t.Errorf("search: live hits %d, snapshot hits %d, different chat ids", len(liveHits), len(snapHits))
	}
}

func month(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01") }

func indexOf(cs []Conversation, id string) int {
	for i, c := range cs {
		if c.ID == id {
			return i
		}
	}
	return -1
}
