package wadb

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/importer"
	_ "github.com/chatvault/chatvault/importer/iphone" // the iPhone backup container
	"github.com/chatvault/chatvault/importer/iphone/backup/backuptest"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// extrasFolder is an app group folder whose messages carry reactions and a poll in their
// ZRECEIPTINFO blobs. The blobs follow the layout of ios_receipt.go (field 7 reactions, field 8
// poll); LID.sqlite pairs 777@lid with Carol's number.
func extrasFolder(t *testing.T) string {
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	dir := filepath.Join(t.TempDir(), "AppDomainGroup-group.net.whatsapp.WhatsApp.shared")
	msgs := []iosMsg{
		{chat: alice, stanza: "R1", text: "react to me", at: at(0)},
		{chat: alice, stanza: "R2", text: "mine", fromMe: true, at: at(1)},
		{chat: group, stanza: "P1", typ: 46, text: "Pizza or pasta?", member: bob, at: at(2)},
		{chat: group, stanza: "R3", text: "a broken blob", member: bob, at: at(3)},
		{chat: group, stanza: "R4", text: "an odd entry", member: bob, at: at(4)},
		{chat: alice, stanza: "R5", text: "changed my mind", at: at(5)},
	}
	writeIOS(t, dir, msgs, map[string]string{alice: "Alice Example", group: "Family Group"})
	ms := at(5).UnixMilli()
	// R1: a delivery receipt (field 2, skipped), Alice's 👍 changed to 😂 later, the user's own ❤️
	// in sub-field 1 without a JID (the older layout), and Bob's 👍 taken back.
	setReceipt(t, dir, "R1", pb(
		2, pb(1, "x", 3, 1700000000),
		7, pb(1, pb(1, "RID1", 2, alice, 3, "👍", 4, ms)),
		7, pb(1, pb(1, "RID2", 3, "❤️", 4, ms)),
		7, pb(1, pb(1, "RID3", 2, alice, 3, "😂", 4, ms+60000)),
		7, pb(1, pb(1, "RID6", 2, bob, 3, "👍", 4, ms)),
		7, pb(1, pb(1, "RID7", 2, bob, 4, ms+120000)), // taken back: no emoji field at all
	))
	// R2: the user's own 🙏 in sub-field 2 (the iOS 26 layout) and Bob's reaction taken back.
	setReceipt(t, dir, "R2", pb(7, pb(2, pb(1, "RID4", 2, "🙏", 3, ms), 1, pb(1, "RID5", 2, bob, 3, "", 4, ms))))
	// P1: the question, two options, Alice voting Pizza, Carol (by her LID) Pasta, and Bob,
	// who made the poll, Pasta (field 6, no JID).
	setReceipt(t, dir, "P1", pb(8, pb(
		2, "Pizza or pasta?",
		3, pb(1, "Pizza"),
		3, pb(1, "Pasta"),
		5, pb(1, 0, 4, alice),
		5, pb(1, 1, 4, "777@lid"),
		6, pb(1, 1),
	)))
	setReceipt(t, dir, "R3", []byte{0x3a, 0x10, 'x'}) // field 7, 16 bytes long, 1 there
	setReceipt(t, dir, "R4", pb(7, pb(3, pb(1, "?"))))
	// R5: the user's own 👍 (sub-field 2), then taken back: an entry with no emoji.
	setReceipt(t, dir, "R5", pb(7, pb(2, pb(1, "RID8", 2, "👍", 3, ms), 2, pb(1, "RID9", 3, ms+5000))))
	writeLIDs(t, dir, map[string]string{"777@lid": carol})
	return dir
}

func reactionsOf(t *testing.T, db *sql.DB, uid string) map[string]string {
	t.Helper()
	rows, err := db.Query(`SELECT p.key, r.emoji FROM reactions r JOIN messages m ON m.id = r.message_id
		JOIN participants p ON p.id = r.sender_id WHERE m.uid = ?`, uid)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, e string
		if err := rows.Scan(&k, &e); err != nil {
			t.Fatal(err)
		}
		out[k] = e
	}
	return out
}

func TestIOSReactionsAndPolls(t *testing.T) {
	dir := extrasFolder(t)
	a := archivetest.Open(t)
	src := importer.Source{FS: os.DirFS(dir), Path: ".", Name: dir}
	rep := run(t, a, iosImporter{}, src, importer.Options{})
	if rep.MessagesAdded != 6 {
		t.Errorf("%d messages added, want 6", rep.MessagesAdded)
	}
	db := archivetest.SQL(t, a)
	if got := reactionsOf(t, db, "wa:R1"); len(got) != 2 || got["jid:"+alice] != "😂" || got["wa:me"] != "❤️" {
		t.Errorf("R1 reactions %v, want Alice's latest 😂 and the user's ❤️ (Bob's taken back)", got)
	}
	if got := reactionsOf(t, db, "wa:R2"); len(got) != 1 || got["wa:me"] != "🙏" {
		t.Errorf("R2 reactions %v, want only the user's 🙏 (Bob's taken back)", got)
	}
	if got := reactionsOf(t, db, "wa:R5"); len(got) != 0 {
		t.Errorf("R5 reactions %v, want none (the user's taken back)", got)
	}
	ms := messagesByUID(t, db)
	p := ms["wa:P1"]
	if p.kind != "poll" || !strings.Contains(p.details, `"question":"Pizza or pasta?"`) ||
		!strings.Contains(p.details, `{"text":"Pizza","votes":1},{"text":"Pasta","votes":2}`) {
		t.Errorf("poll %s: %s", p.kind, p.details)
	}
	votes := map[string]int{}
	rows, err := db.Query(`SELECT p.key, v.option FROM poll_votes v JOIN participants p ON p.id = v.voter_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var o int
		rows.Scan(&k, &o)
		votes[k] = o
	}
	rows.Close()
	if len(votes) != 3 || votes["jid:"+alice] != 0 || votes["jid:"+carol] != 1 || votes["jid:"+bob] != 1 {
		t.Errorf("votes %v, want Alice 0, Carol (by her LID) 1, Bob (the creator) 1", votes)
	}
	if ms["wa:R3"].kind != "text" || ms["wa:R4"].kind != "text" {
		t.Error("a message with an unreadable blob was not kept")
	}
	if !hasNote(rep, "1 ZWAMESSAGEINFO.ZRECEIPTINFO blobs could not be read") || !hasNote(rep, "1 reaction or poll entries in ZRECEIPTINFO have an unknown layout") {
		t.Errorf("the unreadable blob and the unknown entry are not counted: %v", rep.Notes)
	}
	var raw string
	db.QueryRow(`SELECT raw FROM messages WHERE uid = 'wa:R3'`).Scan(&raw)
	if !strings.Contains(raw, `"mi_zreceiptinfo":"OhB4"`) { // base64 of 3a 10 78
		t.Errorf("the unreadable blob is not in the raw record: %s", raw)
	}
	// Importing the same store again adds and changes nothing.
	rep = run(t, a, iosImporter{}, src, importer.Options{})
	if rep.MessagesAdded != 0 || rep.MessagesUpdated != 0 {
		t.Errorf("re-import added %d, updated %d", rep.MessagesAdded, rep.MessagesUpdated)
	}
	if n := count(t, db, `SELECT count(*) FROM reactions`); n != 3 {
		t.Errorf("%d reactions after the re-import, want 3", n)
	}
}

// Stores whose ZWAMESSAGE has no ZMESSAGEINFO column link the info row back by its ZMESSAGE
// only, here without an index: the info is joined (not looked up per message, which scanned the
// table once a message), each message is read once, and a second info row of a message is not
// read.
func TestIOSReceiptByBackLink(t *testing.T) {
	dir := extrasFolder(t)
	db := openNew(t, filepath.Join(dir, "ChatStorage.sqlite"))
	execAll(t, db, `ALTER TABLE ZWAMESSAGE DROP COLUMN ZMESSAGEINFO`,
		`INSERT INTO ZWAMESSAGEINFO(ZMESSAGE, ZRECEIPTINFO) SELECT ZMESSAGE, x'3a1078' FROM ZWAMESSAGEINFO WHERE ZMESSAGE = (SELECT Z_PK FROM ZWAMESSAGE WHERE ZSTANZAID = 'R1')`)
	db.Close()
	a := archivetest.Open(t)
	rep := run(t, a, iosImporter{}, importer.Source{FS: os.DirFS(dir), Path: ".", Name: dir}, importer.Options{})
	if rep.MessagesAdded != 6 || rep.MessagesPresent != 0 {
		t.Errorf("%d messages added, %d present; want 6 and 0", rep.MessagesAdded, rep.MessagesPresent)
	}
	if got := reactionsOf(t, archivetest.SQL(t, a), "wa:R1"); len(got) != 2 || got["jid:"+alice] != "😂" || got["wa:me"] != "❤️" {
		t.Errorf("R1 reactions %v, want those of its first info row: Alice's 😂 and the user's ❤️", got)
	}
}

// The call log: one call the chat shows as a call message (ZMESSAGETYPE 59) and the log has
// too, one only in the log with a person known by a LID, one group call; and a call message the
// log does not have.
func callFolder(t *testing.T) string {
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	dir := filepath.Join(t.TempDir(), "AppDomainGroup-group.net.whatsapp.WhatsApp.shared")
	msgs := []iosMsg{
		{chat: alice, stanza: "C1", typ: 59, at: at(10)},
		{chat: alice, stanza: "C2", typ: 59, fromMe: true, at: at(40)},
		{chat: alice, stanza: "C3", typ: 59, at: at(90)}, // at the end of a 30-minute call
		{chat: group, stanza: "G1", text: "hi", member: bob, at: at(1)},
	}
	writeIOS(t, dir, msgs, map[string]string{alice: "Alice Example", group: "Family Group"})
	writeLIDs(t, dir, map[string]string{"777@lid": carol})
	writeCallHistory(t, dir, []iosCallRow{
		{id: "CALLA", peer: alice, at: at(10).Add(-40 * time.Second), dur: 65, incoming: true, video: true},
		{id: "CALLB", peer: "777@lid", at: at(20), outcome: 1},
		{id: "CALLC", group: group, creator: bob, peer: alice, at: at(30), dur: 120, incoming: true},
		{id: "CALLD", peer: alice, at: at(40), outcome: 1, incoming: true}, // incoming: not C2, which the user made
		{id: "CALLE", peer: alice, at: at(60), dur: 1800, incoming: true},
	})
	return dir
}

func TestIOSCallHistory(t *testing.T) {
	dir := callFolder(t)
	a := archivetest.Open(t)
	src := importer.Source{FS: os.DirFS(dir), Path: ".", Name: dir}
	rep := run(t, a, iosImporter{}, src, importer.Options{})
	if rep.MessagesAdded != 7 {
		t.Errorf("%d messages, want 7 (4 in ChatStorage, 3 only in the call log)", rep.MessagesAdded)
	}
	db := archivetest.SQL(t, a)
	ms := messagesByUID(t, db)
	if c := ms["wa:C1"]; !strings.Contains(c.details, `"video":true`) || !strings.Contains(c.details, `"duration_ms":65000`) {
		t.Errorf("C1 without the call log's details: %s", c.details)
	}
	if _, ok := ms["wa:call:CALLA"]; ok {
		t.Error("the call of C1 is stored twice")
	}
	if _, ok := ms["wa:call:CALLE"]; ok || !strings.Contains(ms["wa:C3"].details, `"duration_ms":1800000`) {
		t.Errorf("the long call's message (C3) did not take its log entry: %s", ms["wa:C3"].details)
	}
	if n := count(t, db, `SELECT count(*) FROM message_keys k JOIN messages m ON m.id = k.message_id WHERE k.key = 'wa:call:CALLA' AND m.uid = 'wa:C1'`); n != 1 {
		t.Error("C1 has not the call id as a key")
	}
	if c := ms["wa:C2"]; c.details != `{"call":{}}` {
		t.Errorf("C2 (no log entry) details %s", c.details)
	}
	b := ms["wa:call:CALLB"]
	if b.kind != "call" || b.conv != "jid:"+carol || !b.fromMe || !strings.Contains(b.details, `"missed":true`) {
		t.Errorf("CALLB: %+v", b)
	}
	c := ms["wa:call:CALLC"]
	if c.conv != "jid:"+group || c.fromMe || !strings.Contains(c.details, `"duration_ms":120000`) {
		t.Errorf("CALLC: %+v", c)
	}
	if n := count(t, db, `SELECT count(*) FROM messages m JOIN participants p ON p.id = m.sender_id WHERE m.uid = 'wa:call:CALLC' AND p.key = ?`, "jid:"+bob); n != 1 {
		t.Error("the group call is not Bob's, who started it")
	}
	if d := ms["wa:call:CALLD"]; d.conv != "jid:"+alice || d.fromMe {
		t.Errorf("CALLD: %+v", d)
	}
	if !hasNote(rep, "3 calls only in the call log") {
		t.Errorf("notes %v", rep.Notes)
	}
	rep = run(t, a, iosImporter{}, src, importer.Options{})
	if rep.MessagesAdded != 0 || rep.MessagesUpdated != 0 {
		t.Errorf("re-import added %d, updated %d", rep.MessagesAdded, rep.MessagesUpdated)
	}
}

// A person the iPhone knows only by a LID (a group member 900…@lid, paired in LID.sqlite) and
// whom an Android store names by the same LID, paired in jid_map, is the one participant of
// their phone number, the one the Android store also names.
func TestLIDSameAsAndroid(t *testing.T) {
	const lid = "900000000000001@lid"
	g := sample()
	g.msgs = append(g.msgs, genMsg{chat: group, key: "GL", at: t0.Add(35 * time.Minute), typ: 0, text: "by my LID", sender: lid})
	andDir, _ := whatsAppFolder(t, g, false)
	store := filepath.Join(andDir, "Databases", "msgstore.db")
	db := openNew(t, store)
	execAll(t, db, `CREATE TABLE jid_map (lid_row_id INTEGER PRIMARY KEY NOT NULL, jid_row_id INTEGER NOT NULL, sort_id INTEGER NOT NULL DEFAULT 0)`)
	if _, err := db.Exec(`INSERT INTO jid_map(lid_row_id, jid_row_id) SELECT l._id, p._id FROM jid l, jid p WHERE l.raw_string = ? AND p.raw_string = ?`, lid, carol); err != nil {
		t.Fatal(err)
	}
	db.Close()
	a := archivetest.Open(t)
	run(t, a, androidImporter{}, importer.LocalSource(andDir), importer.Options{})

	iosDir := filepath.Join(t.TempDir(), "AppDomainGroup-group.net.whatsapp.WhatsApp.shared")
	writeIOS(t, iosDir, []iosMsg{{chat: group, stanza: "IL", text: "from the iPhone", member: bob, at: t0.Add(36 * time.Minute)}},
		map[string]string{group: "Family Group"})
	writeLIDs(t, iosDir, map[string]string{lid: carol})
	// The group's member row of the sender names them by the LID only.
	cdb := openNew(t, filepath.Join(iosDir, "ChatStorage.sqlite"))
	execAll(t, cdb, `UPDATE ZWAGROUPMEMBER SET ZMEMBERJID = '`+lid+`' WHERE ZMEMBERJID = '`+bob+`'`)
	cdb.Close()
	run(t, a, iosImporter{}, importer.LocalSource(iosDir), importer.Options{})

	sq := archivetest.SQL(t, a)
	if n := count(t, sq, `SELECT count(*) FROM participants WHERE key LIKE '%@lid'`); n != 0 {
		t.Errorf("%d participants keyed by a LID", n)
	}
	for _, uid := range []string{"wa:GL", "wa:IL"} {
		if n := count(t, sq, `SELECT count(*) FROM messages m JOIN participants p ON p.id = m.sender_id WHERE m.uid = ? AND p.key = ?`, uid, "jid:"+carol); n != 1 {
			t.Errorf("%s is not Carol's", uid)
		}
	}
	if n := count(t, sq, `SELECT count(*) FROM participant_ids i JOIN participants p ON p.id = i.participant_id WHERE i.ident = 'lid:900000000000001' AND p.key = ?`, "jid:"+carol); n != 1 {
		t.Error("Carol is not found by her LID")
	}
}

// An iPhone backup hands the app group folder over with CallHistory.sqlite and LID.sqlite beside
// ChatStorage.sqlite (domain AppDomainGroup-group.net.whatsapp.WhatsApp.shared, the files at its
// root: notes/iphone-backup.md, the mvt fixture's Manifest.db lists CallHistory.sqlite there):
// the calls only in the log and the LID pairs come through as from the folder.
func TestIOSCallsThroughBackup(t *testing.T) {
	dir := callFolder(t)
	var files []backuptest.File
	for _, name := range []string{"ChatStorage.sqlite", "ContactsV2.sqlite", "CallHistory.sqlite", "LID.sqlite"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, backuptest.File{Domain: "AppDomainGroup-group.net.whatsapp.WhatsApp.shared", Path: name, Data: b})
	}
	bdir := filepath.Join(t.TempDir(), "00008110-000A1B2C3D4E5F60")
	if err := backuptest.Write(bdir, backuptest.Options{Apps: []string{"net.whatsapp.WhatsApp"}}, files); err != nil {
		t.Fatal(err)
	}
	ctr, err := importer.ByName("iphone-backup")
	if err != nil {
		t.Fatal(err)
	}
	a := archivetest.Open(t)
	if _, _, err := importer.RunSource(context.Background(), a, ctr, importer.LocalSource(bdir), importer.Options{TZ: time.UTC}, false); err != nil {
		t.Fatal(err)
	}
	fromBackup := messagesByUID(t, archivetest.SQL(t, a))
	b := archivetest.Open(t)
	run(t, b, iosImporter{}, importer.LocalSource(dir), importer.Options{})
	fromFolder := messagesByUID(t, archivetest.SQL(t, b))
	if len(fromBackup) != 7 || len(fromBackup) != len(fromFolder) {
		t.Errorf("%d messages from the backup, %d from the folder, want 7", len(fromBackup), len(fromFolder))
	}
	for uid, m := range fromFolder {
		if fromBackup[uid] != m {
			t.Errorf("%s: backup %+v, folder %+v", uid, fromBackup[uid], m)
		}
	}
	if fromBackup["wa:call:CALLB"].conv != "jid:"+carol {
		t.Errorf("the LID pair did not come through: %+v", fromBackup["wa:call:CALLB"])
	}
}

// Newer stores file a 1:1 chat under the person's LID and name the number in
// ZWACHATSESSION.ZCONTACTIDENTIFIER: the chat is the one with that number.
func TestIOSChatIdentifierLID(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "AppDomainGroup-group.net.whatsapp.WhatsApp.shared")
	writeIOS(t, dir, []iosMsg{{chat: "555@lid", stanza: "L1", text: "hello from a LID chat", at: t0}}, map[string]string{"555@lid": ""})
	db := openNew(t, filepath.Join(dir, "ChatStorage.sqlite"))
	execAll(t, db, `ALTER TABLE ZWACHATSESSION ADD COLUMN ZCONTACTIDENTIFIER VARCHAR`,
		`UPDATE ZWACHATSESSION SET ZCONTACTIDENTIFIER = '`+bob+`' WHERE ZCONTACTJID = '555@lid'`)
	db.Close()
	a := archivetest.Open(t)
	run(t, a, iosImporter{}, importer.LocalSource(dir), importer.Options{})
	ms := messagesByUID(t, archivetest.SQL(t, a))
	if ms["wa:L1"].conv != "jid:"+bob {
		t.Errorf("the LID chat is %q, want Bob's", ms["wa:L1"].conv)
	}
}
