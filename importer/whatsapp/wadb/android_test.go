package wadb

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// whatsAppFolder builds WhatsApp/ with Databases/msgstore.db, Databases/wa.db and Media/, leaving
// out the document's file (missing media).
func whatsAppFolder(t testing.TB, g genDB, legacy bool) (string, int) {
	root := filepath.Join(t.TempDir(), "WhatsApp")
	if legacy {
		writeLegacy(t, filepath.Join(root, "Databases", "msgstore.db"), g)
	} else {
		writeModern(t, filepath.Join(root, "Databases", "msgstore.db"), g)
	}
	writeWaDB(t, filepath.Join(root, "Databases", "wa.db"), g)
	return root, writeMedia(t, root, g, "Media/WhatsApp Documents/report.pdf")
}

func run(t testing.TB, a *archive.Archive, imp importer.Importer, src importer.Source, opts importer.Options) *archive.Report {
	t.Helper()
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	rep, err := importer.Run(context.Background(), a, imp, src, opts)
	if err != nil {
		t.Fatalf("import %s: %v", src, err)
	}
	return rep
}

type stored struct {
	kind, text, replyTo, details string
	flags                        int64
	fromMe                       bool
	conv                         string
	atts, missing                int
}

func messagesByUID(t testing.TB, db *sql.DB) map[string]stored {
	t.Helper()
	rows, err := db.Query(`SELECT m.uid, m.kind, m.text, m.reply_to, m.details, m.flags, m.from_me, c.key,
		(SELECT count(*) FROM attachments a WHERE a.message_id = m.id),
		(SELECT count(*) FROM attachments a WHERE a.message_id = m.id AND a.sha256 IS NULL)
		FROM messages m JOIN conversations c ON c.id = m.conversation_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]stored{}
	for rows.Next() {
		var uid string
		var s stored
		if err := rows.Scan(&uid, &s.kind, &s.text, &s.replyTo, &s.details, &s.flags, &s.fromMe, &s.conv, &s.atts, &s.missing); err != nil {
			t.Fatal(err)
		}
		out[uid] = s
	}
	return out
}

func count(t testing.TB, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func hasNote(rep *archive.Report, sub string) bool {
	for _, n := range rep.Notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

// The modern schema with every kind: each message lands with its kind and parts.
func TestAndroidModernEveryKind(t *testing.T) {
	g := sample()
	root, media := whatsAppFolder(t, g, false)
	a := archivetest.Open(t)
	rep := run(t, a, androidImporter{}, importer.LocalSource(root), importer.Options{})
	// 23 message rows (status rows skipped) + 1 call only in call_log.
	if rep.MessagesAdded != len(g.msgs)+len(g.calls) {
		t.Errorf("added %d messages, want %d", rep.MessagesAdded, len(g.msgs)+len(g.calls))
	}
	if rep.MediaAdded != media {
		t.Errorf("added %d media files, want %d", rep.MediaAdded, media)
	}
	if !hasNote(rep, "3 status updates") {
		t.Errorf("no note on the 3 skipped status updates: %v", rep.Notes)
	}
	checkEveryKind(t, archivetest.SQL(t, a), true)
	db := archivetest.SQL(t, a)
	if n := count(t, db, `SELECT count(*) FROM reactions`); n != 3 {
		t.Errorf("%d reactions, want 3", n)
	}
	if n := count(t, db, `SELECT count(*) FROM poll_votes`); n != 2 {
		t.Errorf("%d poll votes, want 2", n)
	}
	if n := count(t, db, `SELECT count(*) FROM messages WHERE uid='wa:call:CALL1' AND kind='call' AND details LIKE '%"missed":true%'`); n != 1 {
		t.Errorf("the call only in call_log is not a missed call message")
	}
	if n := count(t, db, `SELECT count(*) FROM conversation_members cm JOIN conversations c ON c.id=cm.conversation_id WHERE c.key=?`, "jid:"+group); n != 3 {
		t.Errorf("group has %d members, want 3", n)
	}
	if n := count(t, db, `SELECT count(*) FROM participants WHERE name='Alice Example' AND phone='+491511111111'`); n != 1 {
		t.Errorf("Alice's name from wa.db and phone from her JID not on one participant")
	}
}

// checkEveryKind asserts what both schemas hold alike.
func checkEveryKind(t *testing.T, db *sql.DB, modern bool) {
	t.Helper()
	ms := messagesByUID(t, db)
	want := map[string]string{"wa:A1": "text", "wa:A3": "photo", "wa:A4": "video", "wa:A5": "audio", "wa:A6": "voice",
		"wa:A7": "document", "wa:A8": "sticker", "wa:A9": "gif", "wa:A10": "location", "wa:A11": "live_location",
		"wa:A12": "contact", "wa:A16": "deleted", "wa:A17": "call", "wa:G1": "system", "wa:G2": "system", "wa:G3": "text", "wa:B1": "text"}
	if modern {
		want["wa:A13"] = "photo"
		want["wa:G4"] = "poll"
	}
	for uid, k := range want {
		if ms[uid].kind != k {
			t.Errorf("%s: kind %q, want %q", uid, ms[uid].kind, k)
		}
	}
	if m := ms["wa:A1"]; m.conv != "jid:"+alice || m.text != "hello there" || m.fromMe {
		t.Errorf("A1 = %+v", m)
	}
	if !ms["wa:A2"].fromMe {
		t.Error("A2 (key_from_me) is not from me")
	}
	if ms["wa:A3"].text != "a photo" || ms["wa:A3"].atts != 1 || ms["wa:A3"].missing != 0 {
		t.Errorf("photo: %+v", ms["wa:A3"])
	}
	if ms["wa:A7"].missing != 1 {
		t.Errorf("the document whose file is not in Media/ is not a missing attachment: %+v", ms["wa:A7"])
	}
	if ms["wa:A14"].replyTo != "wa:A1" {
		t.Errorf("reply: reply_to %q, want wa:A1", ms["wa:A14"].replyTo)
	}
	if !strings.Contains(ms["wa:A12"].details, "Dora Card") || !strings.Contains(ms["wa:A12"].details, "+49 170 1234567") {
		t.Errorf("contact card details: %s", ms["wa:A12"].details)
	}
	if !strings.Contains(ms["wa:A10"].details, `"lat":52.52`) {
		t.Errorf("location details: %s", ms["wa:A10"].details)
	}
	if !strings.Contains(ms["wa:A11"].details, `"live":true`) {
		t.Errorf("live location details: %s", ms["wa:A11"].details)
	}
	if archive.Flags(ms["wa:A16"].flags)&archive.FlagDeleted == 0 {
		t.Error("revoked message without the deleted flag")
	}
	if !strings.Contains(ms["wa:A17"].details, `"video":true`) || !strings.Contains(ms["wa:A17"].details, `"duration_ms":65000`) {
		t.Errorf("call details: %s", ms["wa:A17"].details)
	}
	if !strings.Contains(ms["wa:G1"].details, "group_created") || !strings.Contains(ms["wa:G2"].details, `"member_added"`) {
		t.Errorf("system events: %s / %s", ms["wa:G1"].details, ms["wa:G2"].details)
	}
	if modern {
		if !strings.Contains(ms["wa:G2"].details, carol) {
			t.Errorf("member added without its target: %s", ms["wa:G2"].details)
		}
		if archive.Flags(ms["wa:A13"].flags)&archive.FlagViewOnce == 0 {
			t.Error("view-once photo without the flag")
		}
		if archive.Flags(ms["wa:A15"].flags)&archive.FlagEdited == 0 || !strings.Contains(ms["wa:A15"].details, "edited_at") {
			t.Errorf("edited message: %+v", ms["wa:A15"])
		}
		if !strings.Contains(ms["wa:G4"].details, "Pasta") {
			t.Errorf("poll options: %s", ms["wa:G4"].details)
		}
	}
	if m := ms["wa:B1"]; m.conv != "jid:"+bcast {
		t.Errorf("broadcast list message in %s", m.conv)
	}
	var title, kind string
	db.QueryRow(`SELECT title, kind FROM conversations WHERE key=?`, "jid:"+group).Scan(&title, &kind)
	if title != "Family Group" || kind != "group" {
		t.Errorf("group: %q %q", title, kind)
	}
	db.QueryRow(`SELECT title, kind FROM conversations WHERE key=?`, "jid:"+alice).Scan(&title, &kind)
	if title != "Alice Example" || kind != "direct" {
		t.Errorf("1:1 chat: %q %q", title, kind)
	}
	if n := count(t, db, `SELECT count(*) FROM conversations WHERE key LIKE '%status%'`); n != 0 {
		t.Error("status@broadcast became a conversation")
	}
}

// The legacy schema (messages, chat_list) holds the same chats.
func TestAndroidLegacyEveryKind(t *testing.T) {
	g := legacyOf(sample())
	root, media := whatsAppFolder(t, g, true)
	a := archivetest.Open(t)
	rep := run(t, a, androidImporter{}, importer.LocalSource(root), importer.Options{})
	if rep.MessagesAdded != len(g.msgs) {
		t.Errorf("added %d messages, want %d", rep.MessagesAdded, len(g.msgs))
	}
	if rep.MediaAdded != media {
		t.Errorf("added %d media files, want %d", rep.MediaAdded, media)
	}
	if !hasNote(rep, "3 status updates") {
		t.Errorf("no note on the skipped status updates: %v", rep.Notes)
	}
	checkEveryKind(t, archivetest.SQL(t, a), false)
}
