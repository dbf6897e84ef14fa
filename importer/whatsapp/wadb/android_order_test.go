package wadb

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// Messages of interleaved chats reach the archive grouped by chat, each chat's in row order, and
// an edit or deletion still lands on its message: every message is there once, the archive's
// ids run chat by chat, and the edited and the revoked message carry their changes.
func TestAndroidMessagesGroupedByChat(t *testing.T) {
	chats := []string{alice, bob, group}
	g := genDB{chats: map[string]string{alice: "", bob: "", group: "Family Group"}, members: map[string][]string{group: {alice, bob}}}
	n := 3*orderMessages/2 + 7 // two flushes, the second partial
	for i := 0; i < n; i++ {
		m := genMsg{chat: chats[i%3], key: fmt.Sprintf("K%d", i), at: t0.Add(time.Duration(i) * time.Second), text: fmt.Sprintf("message %d", i)}
		if m.chat == group {
			m.sender = alice
		}
		switch i {
		case 10:
			m.editedAt = t0.Add(time.Hour).UnixMilli()
		case orderMessages + 11:
			m.typ, m.revoked = 15, true
		}
		g.msgs = append(g.msgs, m)
	}
	p := filepath.Join(t.TempDir(), "msgstore.db")
	writeModern(t, p, g)
	a := archivetest.Open(t)
	rep := run(t, a, androidImporter{}, importer.LocalSource(p), importer.Options{})
	if rep.MessagesAdded != n {
		t.Fatalf("added %d messages, want %d", rep.MessagesAdded, n)
	}
	db := archivetest.SQL(t, a)
	rows, err := db.Query(`SELECT conversation_id, src_pos FROM messages ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	runs, last := 0, int64(-1)
	lastRow := map[int64]int{}
	for rows.Next() {
		var conv int64
		var pos string
		if err := rows.Scan(&conv, &pos); err != nil {
			t.Fatal(err)
		}
		row, err := strconv.Atoi(strings.TrimPrefix(pos, "message row "))
		if err != nil {
			t.Fatalf("src_pos %q", pos)
		}
		if row <= lastRow[conv] {
			t.Fatalf("conversation %d: row %d stored after row %d", conv, row, lastRow[conv])
		}
		lastRow[conv] = row
		if conv != last {
			runs++
			last = conv
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// Three chats in two flushes: at most three runs each (in arrival order it is one per message).
	if runs > 6 {
		t.Errorf("%d runs of one conversation in id order, want at most 6", runs)
	}
	got := messagesByUID(t, db)
	if m := got["wa:K10"]; archive.Flags(m.flags)&archive.FlagEdited == 0 || !strings.Contains(m.details, "edited_at") {
		t.Errorf("the edited message lost its edit: %+v", m)
	}
	if m := got[fmt.Sprintf("wa:K%d", orderMessages+11)]; m.kind != "deleted" || archive.Flags(m.flags)&archive.FlagDeleted == 0 {
		t.Errorf("the revoked message: %+v", m)
	}
}
