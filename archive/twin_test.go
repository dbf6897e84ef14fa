package archive

import (
	"context"
	"testing"
	"time"
)

// A twin sees what its snapshot sees; when an import lands between the two, there is no twin;
// closing a twin gives its connection back with the usual page cache.
func TestTwinSnapshot(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	add := func(uid string) {
		importOf(t, a, RankDatabase, func(im *Import) {
			conv := must[int64](t)(im.Conversation(Conversation{Service: "whatsapp", Key: "chat", Title: "Chat", Kind: ConvGroup}))
			if err := im.AddMessage(&Message{ConversationID: conv, UID: uid, Time: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), Text: uid}); err != nil {
				t.Fatal(err)
			}
		})
	}
	add("m1")
	s, err := a.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	twin, err := a.Twin(ctx, s)
	if err != nil || twin == nil {
		t.Fatalf("twin of an unchanged archive: %v %v", twin, err)
	}
	add("m2") // lands after both: neither sees it
	var n int
	if err := twin.q.QueryRowContext(ctx, `SELECT count(*) FROM messages`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the twin sees %d messages (%v), want 1", n, err)
	}
	if err := twin.Close(); err != nil {
		t.Fatal(err)
	}
	if twin, err := a.Twin(ctx, s); err != nil || twin != nil {
		t.Errorf("twin after an import landed: %v %v, want none", twin, err)
	}
	// Every connection but the snapshot's (the pool holds 4) has the archive's cache again: the
	// twin's is one of them.
	for i := 0; i < 3; i++ {
		c, err := a.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var kib int
		if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&kib); err != nil || kib != -connCacheKiB {
			t.Errorf("connection %d: cache_size %d (%v) after the twin closed", i, kib, err)
		}
	}
}
