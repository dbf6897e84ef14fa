package wadb

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// WhatsApp allows one reaction per person per message. A newer msgstore.db in which Alice
// changed her ❤️ on A2 to 😮 and the user took back their 👍 on A1 leaves one reaction on A2 and
// none on A1; the newer database again changes nothing; the older one again does not undo
// Alice's change (the user's 👍 comes back: a removal leaves no trace to compare with).
func TestNewerAndroidBackupChangesReactions(t *testing.T) {
	g := sample()
	older := filepath.Join(t.TempDir(), "msgstore.db")
	writeModern(t, older, g)
	changed := g
	changed.reactions = []genReaction{{parent: "A1", from: "", emoji: "", at: t0.Add(2 * time.Hour)},
		{parent: "A2", from: alice, emoji: "😮", at: t0.Add(2 * time.Hour)}, g.reactions[2]}
	newer := filepath.Join(t.TempDir(), "msgstore.db")
	writeModern(t, newer, changed)
	a := archivetest.Open(t)
	db := archivetest.SQL(t, a)
	run(t, a, androidImporter{}, importer.LocalSource(older), importer.Options{})
	rep := run(t, a, androidImporter{}, importer.LocalSource(newer), importer.Options{})
	a1, a2 := reactionsOf(t, db, "wa:A1"), reactionsOf(t, db, "wa:A2")
	if len(a1) != 0 || len(a2) != 1 || a2["jid:"+alice] != "😮" || rep.MessagesUpdated != 2 {
		t.Errorf("newer backup: A1 %v, A2 %v, %d updated; want none, Alice's 😮 only, 2", a1, a2, rep.MessagesUpdated)
	}
	if rep := run(t, a, androidImporter{}, importer.LocalSource(newer), importer.Options{}); rep.MessagesUpdated != 0 {
		t.Errorf("the newer backup again updated %d messages", rep.MessagesUpdated)
	}
	run(t, a, androidImporter{}, importer.LocalSource(older), importer.Options{})
	if a2 := reactionsOf(t, db, "wa:A2"); len(a2) != 1 || a2["jid:"+alice] != "😮" {
		t.Errorf("the older backup after the newer: A2 %v, want Alice's 😮 only", a2)
	}
}

// The same on the iPhone, where the reactions come with the message (ZRECEIPTINFO) rather than
// as updates: a newer ChatStorage.sqlite in which Alice changed her 😂 on R1 to 🔥 and the user
// took back their ❤️.
func TestNewerIOSStoreChangesReactions(t *testing.T) {
	dir := extrasFolder(t)
	src := importer.Source{FS: os.DirFS(dir), Path: ".", Name: dir}
	a := archivetest.Open(t)
	db := archivetest.SQL(t, a)
	run(t, a, iosImporter{}, src, importer.Options{})
	if got := reactionsOf(t, db, "wa:R1"); len(got) != 2 || got["jid:"+alice] != "😂" || got["wa:me"] != "❤️" {
		t.Fatalf("R1 reactions %v before the change", got)
	}
	ms := t0.Add(5 * time.Minute).UnixMilli() // as extrasFolder writes them
	setReceipt(t, dir, "R1", pb(
		7, pb(1, pb(1, "RID10", 2, alice, 3, "🔥", 4, ms+300000)),
		7, pb(2, pb(1, "RID11", 3, ms+300000)), // the user's, taken back
	))
	rep := run(t, a, iosImporter{}, src, importer.Options{})
	if got := reactionsOf(t, db, "wa:R1"); len(got) != 1 || got["jid:"+alice] != "🔥" || rep.MessagesUpdated != 1 || rep.MessagesAdded != 0 {
		t.Errorf("newer store: R1 %v, %d updated, %d added; want Alice's 🔥 only, 1, 0", got, rep.MessagesUpdated, rep.MessagesAdded)
	}
	if rep := run(t, a, iosImporter{}, src, importer.Options{}); rep.MessagesUpdated != 0 {
		t.Errorf("the newer store again updated %d messages", rep.MessagesUpdated)
	}
	setReceipt(t, dir, "R1", pb(7, pb(1, pb(1, "RID3", 2, alice, 3, "😂", 4, ms+60000))))
	run(t, a, iosImporter{}, src, importer.Options{})
	if got := reactionsOf(t, db, "wa:R1"); len(got) != 1 || got["jid:"+alice] != "🔥" {
		t.Errorf("an older store after the newer: R1 %v, want Alice's 🔥 only", got)
	}
}
