package wadb

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/whatsapp"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// chatWithAlice: one 1:1 chat as both sources hold it, built from the same messages: a text
// export "WhatsApp Chat with Alice Example.txt" (Android layout, minutes only) and a msgstore.db
// whose wa.db names the contact "Alice Example". Some minutes hold two messages, one text
// repeats in a minute, and texts carry odd white space the export keeps differently.
func chatWithAlice(t *testing.T) (export string, db string, n int) {
	g := genDB{chats: map[string]string{alice: ""}, names: map[string]string{alice: "Alice Example"}}
	var lines []string
	for i := 0; i < 40; i++ {
		at := t0.Add(time.Duration(i/2) * time.Minute).Add(time.Duration(i%2) * 7 * time.Second)
		text := fmt.Sprintf("message number %d", i)
		if i == 10 || i == 11 {
			text = "ok" // the same text twice in one minute
		}
		m := genMsg{chat: alice, key: fmt.Sprintf("3EB0%04X", i), at: at, text: text, fromMe: i%3 == 0}
		g.msgs = append(g.msgs, m)
		author := "Alice Example"
		if m.fromMe {
			author = "Me Owner"
		}
		lines = append(lines, fmt.Sprintf("%s - %s: %s", at.Format("02/01/2006, 15:04"), author, text))
	}
	dir := t.TempDir()
	export = filepath.Join(dir, "WhatsApp Chat with Alice Example.txt")
	writeFile(t, export, strings.Join(lines, "\n")+"\n")
	root := filepath.Join(dir, "WhatsApp")
	writeModern(t, filepath.Join(root, "Databases", "msgstore.db"), g)
	writeWaDB(t, filepath.Join(root, "Databases", "wa.db"), g)
	return export, root, len(g.msgs)
}

func txt(t *testing.T) importer.Importer {
	imp, err := importer.ByName(whatsapp.Name)
	if err != nil {
		t.Fatal(err)
	}
	return imp
}

// A text export, then the database of the same chat: one conversation holding the database's
// count, not the sum.
func TestExportThenDatabase(t *testing.T) {
	export, db, n := chatWithAlice(t)
	a := archivetest.Open(t)
	if rep := run(t, a, txt(t), importer.LocalSource(export), importer.Options{}); rep.MessagesAdded != n {
		t.Fatalf("export: %d messages, want %d", rep.MessagesAdded, n)
	}
	rep := run(t, a, androidImporter{}, importer.LocalSource(db), importer.Options{})
	if rep.MessagesAdded != 0 || rep.MessagesMerged != n {
		t.Errorf("database after the export: %d added, %d merged; want 0 and %d", rep.MessagesAdded, rep.MessagesMerged, n)
	}
	if c := count(t, archivetest.SQL(t, a), `SELECT count(*) FROM messages`); c != n {
		t.Errorf("%d messages stored, want %d", c, n)
	}
	if c := count(t, archivetest.SQL(t, a), `SELECT count(*) FROM conversations`); c != 1 {
		t.Errorf("%d conversations, want 1", c)
	}
	if c := count(t, archivetest.SQL(t, a), `SELECT count(*) FROM messages WHERE uid LIKE 'wa:%'`); c != n {
		t.Errorf("%d messages carry the database's ids, want %d", c, n)
	}
	// The same database again: nothing added, and the rows already there are not read again.
	rep = run(t, a, androidImporter{}, importer.LocalSource(db), importer.Options{})
	if rep.MessagesAdded != 0 || !hasNote(rep, "read only the rows after it") {
		t.Errorf("the database again: %d added, notes %v", rep.MessagesAdded, rep.Notes)
	}
}

// The database, then a text export of the same chat: the export adds nothing.
func TestDatabaseThenExport(t *testing.T) {
	export, db, n := chatWithAlice(t)
	a := archivetest.Open(t)
	if rep := run(t, a, androidImporter{}, importer.LocalSource(db), importer.Options{}); rep.MessagesAdded != n {
		t.Fatalf("database: %d messages, want %d", rep.MessagesAdded, n)
	}
	rep := run(t, a, txt(t), importer.LocalSource(export), importer.Options{})
	if rep.MessagesAdded != 0 {
		t.Errorf("export after the database added %d messages, want 0", rep.MessagesAdded)
	}
	if c := count(t, archivetest.SQL(t, a), `SELECT count(*) FROM messages`); c != n {
		t.Errorf("%d messages stored, want %d", c, n)
	}
	if c := count(t, archivetest.SQL(t, a), `SELECT count(*) FROM conversations`); c != 1 {
		t.Errorf("%d conversations, want 1", c)
	}
}

// A newer backup with more messages adds exactly those.
func TestNewerBackupAddsOnlyNew(t *testing.T) {
	g := sample()
	older := filepath.Join(t.TempDir(), "msgstore.db")
	writeModern(t, older, g)
	extra := g
	extra.msgs = append(append([]genMsg(nil), g.msgs...), genMsg{chat: alice, key: "NEW1", at: t0.Add(time.Hour), text: "new one"},
		genMsg{chat: group, key: "NEW2", at: t0.Add(time.Hour), text: "new in group", sender: bob})
	extra.reactions = append(append([]genReaction(nil), g.reactions...), genReaction{parent: "A3", from: alice, emoji: "🔥"})
	newer := filepath.Join(t.TempDir(), "msgstore.db")
	writeModern(t, newer, extra)
	a := archivetest.Open(t)
	run(t, a, androidImporter{}, importer.LocalSource(older), importer.Options{})
	rep := run(t, a, androidImporter{}, importer.LocalSource(newer), importer.Options{})
	if rep.MessagesAdded != 2 || rep.MessagesUpdated != 1 {
		t.Errorf("newer backup: %d added, %d updated; want 2 and 1 (a new reaction on an old message)", rep.MessagesAdded, rep.MessagesUpdated)
	}
	if !hasNote(rep, "read only the rows after it") {
		t.Errorf("the newer backup was read whole: %v", rep.Notes)
	}
}

// A newer backup in which an old message was edited and another deleted for everyone: the
// archive keeps the old text as a revision and flags the deleted one, though only rows after
// the resume point are otherwise read.
func TestNewerBackupEditsOldMessages(t *testing.T) {
	g := sample()
	older := filepath.Join(t.TempDir(), "msgstore.db")
	writeModern(t, older, g)
	edited := g
	edited.msgs = append([]genMsg(nil), g.msgs...)
	edited.msgs[0].text, edited.msgs[0].editedAt = "hello there, edited", t0.Add(3*time.Hour).UnixMilli()
	edited.msgs[1].revoked, edited.msgs[1].typ, edited.msgs[1].text = true, 15, ""
	edited.msgs = append(edited.msgs, genMsg{chat: alice, key: "NEW1", at: t0.Add(4 * time.Hour), text: "later"})
	newer := filepath.Join(t.TempDir(), "msgstore.db")
	writeModern(t, newer, edited)
	a := archivetest.Open(t)
	run(t, a, androidImporter{}, importer.LocalSource(older), importer.Options{})
	rep := run(t, a, androidImporter{}, importer.LocalSource(newer), importer.Options{})
	if rep.MessagesAdded != 1 || rep.MessagesUpdated != 2 || !hasNote(rep, "read only the rows after it") {
		t.Errorf("newer backup: %d added, %d updated, notes %v; want 1 added, 2 updated (an edit, a deletion), resumed", rep.MessagesAdded, rep.MessagesUpdated, rep.Notes)
	}
	db := archivetest.SQL(t, a)
	if n := count(t, db, `SELECT count(*) FROM revisions r JOIN messages m ON m.id=r.message_id WHERE m.uid='wa:A1' AND r.text='hello there'`); n != 1 {
		t.Error("the text before the edit is not kept as a revision")
	}
	if n := count(t, db, `SELECT count(*) FROM messages WHERE uid='wa:A2' AND text='hi Alice' AND flags & ? <> 0`, int64(archive.FlagDeleted)); n != 1 {
		t.Error("the message deleted for everyone is not flagged (or lost its text)")
	}
}
