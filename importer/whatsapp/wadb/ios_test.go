package wadb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/fixtures"
)

func iosFolder(t testing.TB) (string, []iosMsg, int) {
	dir := filepath.Join(t.TempDir(), "AppDomainGroup-group.net.whatsapp.WhatsApp.shared")
	msgs, chats := iosSample()
	writeIOS(t, dir, msgs, chats)
	return dir, msgs, iosMedia(t, dir, msgs, "Media/491511111111@s.whatsapp.net/g/h/doc.pdf")
}

func TestIOSEveryKind(t *testing.T) {
	dir, msgs, media := iosFolder(t)
	a := archivetest.Open(t)
	src := importer.Source{FS: os.DirFS(dir), Path: ".", Name: dir} // as the iPhone-backup container hands it over
	if s := (iosImporter{}).Detect(src); s < 50 {
		t.Errorf("Detect scores %d on the app group folder", s)
	}
	rep := run(t, a, iosImporter{}, src, importer.Options{})
	if rep.MessagesAdded != len(msgs)-1 || !hasNote(rep, "1 status updates") {
		t.Errorf("added %d messages (want %d, the status one skipped), notes %v", rep.MessagesAdded, len(msgs)-1, rep.Notes)
	}
	if rep.MediaAdded != media {
		t.Errorf("%d media files added, want %d", rep.MediaAdded, media)
	}
	ms := messagesByUID(t, archivetest.SQL(t, a))
	want := map[string]string{"wa:I1": "text", "wa:I3": "photo", "wa:I4": "video", "wa:I5": "voice", "wa:I6": "contact", "wa:I7": "location",
		"wa:I8": "document", "wa:I9": "gif", "wa:I10": "deleted", "wa:I11": "sticker", "wa:I13": "photo", "wa:I14": "call", "wa:IG1": "system", "wa:IG2": "text"}
	for uid, k := range want {
		if ms[uid].kind != k {
			t.Errorf("%s: kind %q, want %q", uid, ms[uid].kind, k)
		}
	}
	if ms["wa:I12"].replyTo != "wa:I1" {
		t.Errorf("reply_to %q, want wa:I1 (ZMETADATA field 5)", ms["wa:I12"].replyTo)
	}
	if !ms["wa:I2"].fromMe || ms["wa:I1"].fromMe {
		t.Error("ZISFROMME not mapped")
	}
	if ms["wa:I8"].missing != 1 || ms["wa:I3"].missing != 0 {
		t.Errorf("missing media: document %+v, photo %+v", ms["wa:I8"], ms["wa:I3"])
	}
	if archive.Flags(ms["wa:I13"].flags)&archive.FlagViewOnce == 0 {
		t.Error("view-once photo without the flag")
	}
	if !strings.Contains(ms["wa:IG1"].details, "group_created") || !strings.Contains(ms["wa:I6"].details, "Dora Card") {
		t.Errorf("details: %s / %s", ms["wa:IG1"].details, ms["wa:I6"].details)
	}
	db := archivetest.SQL(t, a)
	if n := count(t, db, `SELECT count(*) FROM participants WHERE name='Alice Example' AND phone='+491511111111'`); n != 1 {
		t.Error("Alice's name from ContactsV2 not on her participant")
	}
	if n := count(t, db, `SELECT count(*) FROM participants WHERE name='Bobby'`); n != 1 {
		t.Error("Bob's push name not used")
	}
	if n := count(t, db, `SELECT count(*) FROM conversations WHERE key LIKE '%status%'`); n != 0 {
		t.Error("a status pseudo-chat became a conversation")
	}
}

// mvtFolder copies the mvt fixture's hashed ChatStorage and ContactsV2 (MANIFEST.tsv: fileIDs
// 7c7fba66… and b8548dc3…) under their real names into a temporary app group folder.
func mvtFolder(t testing.TB) string {
	base := fixtures.Path(t, "ios-backup/mvt-backup")
	dir := filepath.Join(t.TempDir(), "AppDomainGroup-group.net.whatsapp.WhatsApp.shared")
	for name, id := range map[string]string{"ChatStorage.sqlite": "7c/7c7fba66680ef796b916b067077cc246adacf01d", "ContactsV2.sqlite": "b8/b8548dc30aa1030df0ce18ef08b882cf7ab5212f"} {
		b, err := os.ReadFile(filepath.Join(base, id))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), string(b))
	}
	return dir
}

// The mvt fixture: 3 messages, 2 in the 1:1 chat (Z_PK 1) and 1 in the group (Z_PK 2)
// (sqlite3: SELECT ZCHATSESSION, count(*) FROM ZWAMESSAGE GROUP BY 1 → 1|2, 2|1). It has no
// ZSTANZAID column, so messages get content keys. The 1:1 chat is filed under a LID
// (100000000000001@lid); its ContactsV2 pairs that LID with 14155550100@s.whatsapp.net (ZLID,
// ZWHATSAPPID), so the chat is the one with that number, found by the LID too.
func TestIOSFixture(t *testing.T) {
	dir := mvtFolder(t)
	a := archivetest.Open(t)
	rep := run(t, a, iosImporter{}, importer.LocalSource(dir), importer.Options{})
	if rep.MessagesAdded != 3 {
		t.Errorf("%d messages, want 3", rep.MessagesAdded)
	}
	db := archivetest.SQL(t, a)
	for key, want := range map[string]int{"jid:14155550100@s.whatsapp.net": 2, "jid:120000000000000001@g.us": 1} {
		if n := count(t, db, `SELECT count(*) FROM messages m JOIN conversations c ON c.id=m.conversation_id WHERE c.key=?`, key); n != want {
			t.Errorf("%s: %d messages, want %d", key, n, want)
		}
	}
	var title string
	db.QueryRow(`SELECT title FROM conversations WHERE key='jid:14155550100@s.whatsapp.net'`).Scan(&title)
	if title != "Alice Example" {
		t.Errorf("1:1 chat title %q", title)
	}
	if n := count(t, db, `SELECT count(*) FROM conversation_ids i JOIN conversations c ON c.id=i.conversation_id
		WHERE i.ident='jid:100000000000001@lid' AND c.key='jid:14155550100@s.whatsapp.net'`); n != 1 {
		t.Error("the chat is not found by its LID")
	}
}
