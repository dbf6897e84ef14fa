package imessage

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/imessage/imessagetest"
	"github.com/chatvault/chatvault/importer/importertest"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/fixtures"
)

// writeHome lays out a home folder as an iPhone has it: Library/SMS/sms.db and the attachment
// files under Library/SMS/Attachments. It returns the database's path.
func writeHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	db := filepath.Join(home, "Library", "SMS", "sms.db")
	if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := imessagetest.Write(db); err != nil {
		t.Fatal(err)
	}
	for p, b := range imessagetest.Files() {
		full := filepath.Join(home, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestConformance(t *testing.T) {
	root := fixtures.Dir(t)
	bad := t.TempDir()
	write := func(name string, b []byte) importer.Source {
		p := filepath.Join(bad, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return importer.LocalSource(p)
	}
	good := writeHome(t)
	full, _ := os.ReadFile(good)
	other := filepath.Join(bad, "other.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES('x')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	importertest.Run(t, importertest.Case{
		Importer: imp{},
		Sources: []importer.Source{
			importer.LocalSource(good),
			importer.LocalSource(filepath.Join(root, "imessage", "plaso-imessage_chat.db")),
			importer.LocalSource(filepath.Join(root, "ios-backup", "mvt-backup", "3d", "3d0d7e5fb2ce288813306e4d4636395e047a3d28")),
		},
		Bad: []importer.Source{
			write("notes.txt", []byte("not a database\n")),
			write("truncated.db", full[:len(full)/3]),
			importer.LocalSource(other),
		},
		OwnSamples: []string{"imessage", "ios-backup"},
	})
}

// convByKey imports src and returns the conversations by key.
func importOne(t *testing.T, src importer.Source) (*archive.Archive, map[string]archive.ConversationSummary, *archive.Report) {
	t.Helper()
	a := archivetest.Open(t)
	rep, err := importer.Run(context.Background(), a, imp{}, src, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	convs, err := a.Conversations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]archive.ConversationSummary{}
	for _, c := range convs {
		out[c.Key] = c
	}
	return a, out, rep
}

// Counts established with sqlite3 on the fixtures:
//
//	plaso chat.db: SELECT chat_id, count(*) FROM chat_message_join j JOIN message m ON
//	m.ROWID = j.message_id GROUP BY chat_id → chat 1 (+447775446518): 8, chat 2
//	(jondoh2015@icloud.com): 2; message rows 10.
//	mvt sms.db: 1 message row, handle 1 "apple", no chat tables.
func TestFixtureCounts(t *testing.T) {
	root := fixtures.Dir(t)
	_, convs, rep := importOne(t, importer.LocalSource(filepath.Join(root, "imessage", "plaso-imessage_chat.db")))
	if rep.MessagesAdded != 10 || len(convs) != 2 || convs["imsg:+447775446518"].Messages != 8 || convs["imsg:jondoh2015@icloud.com"].Messages != 2 {
		t.Errorf("plaso chat.db: %d messages, conversations %+v", rep.MessagesAdded, convs)
	}
	_, convs, rep = importOne(t, importer.LocalSource(filepath.Join(root, "ios-backup", "mvt-backup", "3d", "3d0d7e5fb2ce288813306e4d4636395e047a3d28")))
	if rep.MessagesAdded != 1 || convs["imsg:apple"].Messages != 1 {
		t.Errorf("mvt sms.db: %d messages, conversations %+v", rep.MessagesAdded, convs)
	}
}

// Every kind of row the generated database holds lands as the importer maps it.
func TestGeneratedDatabase(t *testing.T) {
	a, convs, rep := importOne(t, importer.LocalSource(writeHome(t)))
	if len(convs) != 2 || convs[imessagetest.DirectKey].Messages != imessagetest.DirectMessages || convs[imessagetest.GroupKey].Messages != imessagetest.GroupMessages {
		t.Fatalf("conversations: %+v", convs)
	}
	if g := convs[imessagetest.GroupKey]; g.Title != "Hiking" || g.Kind != archive.ConvGroup || g.Participants < 2 {
		t.Errorf("group: %+v", g)
	}
	if rep.MediaAdded != 4 {
		t.Errorf("%d media files added, want 4 (one of five is missing)", rep.MediaAdded)
	}
	msgs := map[string]*archive.Message{}
	for _, c := range convs {
		err := a.EachMessage(context.Background(), archive.MessageQuery{ConversationID: c.ID, WithParts: true}, func(m *archive.Message) error {
			cp := *m
			msgs[m.UID] = &cp
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	get := func(n int) *archive.Message {
		m := msgs["imsg:"+imessagetest.GUID(n)]
		if m == nil {
			t.Fatalf("row %d not imported", n)
		}
		return m
	}
	for _, n := range []int{5, 6, 7, 18} {
		if msgs["imsg:"+imessagetest.GUID(n)] != nil {
			t.Errorf("tapback row %d imported as a message", n)
		}
	}
	if m := get(2); len(m.Reactions) != 1 || m.Reactions[0].Emoji != "❤️" || !m.FromMe {
		t.Errorf("row 2: %+v", m)
	}
	if m := get(1); len(m.Reactions) != 0 {
		t.Errorf("row 1: a removed like is still there: %+v", m.Reactions)
	}
	if m := get(3); m.Details == nil || m.Details.Via != "SMS" || m.Text != "an SMS" {
		t.Errorf("row 3: %+v", m)
	}
	if m := get(4); m.Text != "Text only in attributedBody" {
		t.Errorf("row 4: %q", m.Text)
	}
	if m := get(8); m.ReplyTo != "imsg:"+imessagetest.GUID(2) {
		t.Errorf("row 8 reply to %q", m.ReplyTo)
	}
	if m := get(9); m.Text != "See you at 9" || m.Flags&archive.FlagEdited == 0 || len(m.Revisions) != 1 || m.Revisions[0].Text != "See you at 8" {
		t.Errorf("row 9: %q flags %v revisions %+v", m.Text, m.Flags, m.Revisions)
	}
	if m := get(10); m.Kind != archive.KindDeleted || m.Details.DeletedAt == 0 {
		t.Errorf("row 10: %+v", m)
	}
	if m := get(11); m.Kind != archive.KindPhoto || m.Text != "Look" || len(m.Attachments) != 1 || m.Attachments[0].SHA256 == "" || len(m.Reactions) != 1 || m.Reactions[0].Emoji != "🔥" {
		t.Errorf("row 11: %+v", m)
	}
	if m := get(12); m.Kind != archive.KindVoice {
		t.Errorf("row 12: kind %s", m.Kind)
	}
	if m := get(13); m.Kind != archive.KindLocation || m.Details.Location == nil || m.Details.Location.Lat == nil || *m.Details.Location.Lat != 52.516275 {
		t.Errorf("row 13: %+v", m)
	}
	if m := get(14); m.Kind != archive.KindSticker {
		t.Errorf("row 14: kind %s", m.Kind)
	}
	if m := get(15); m.Kind != archive.KindSystem || m.Details.Event == nil || m.Details.Event.Type != "group_renamed" || m.Details.Event.Targets[0] != "Hiking 2" {
		t.Errorf("row 15: %+v", m.Details)
	}
	if m := get(16); m.Details.Event == nil || m.Details.Event.Type != "member_added" || m.Details.Event.Targets[0] != "+4917600000001" {
		t.Errorf("row 16: %+v", m.Details)
	}
	if m := get(17); len(m.Attachments) != 1 || m.Attachments[0].SHA256 != "" || m.Attachments[0].Details.Missing != "not in backup" {
		t.Errorf("row 17: %+v", m.Attachments)
	}
}

// countingFS counts the attachment files opened through it.
type countingFS struct {
	fs.FS
	opened *int
}

func (c countingFS) Open(name string) (fs.File, error) {
	if strings.Contains(name, "/Attachments/") {
		*c.opened++
	}
	return c.FS.Open(name)
}

func (c countingFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.FS, name) }

// Importing the same database again reads none of the attachment files again: the archive
// holds those messages with their files.
func TestReimportSkipsStoredMedia(t *testing.T) {
	db := writeHome(t)
	home := filepath.Dir(filepath.Dir(filepath.Dir(db)))
	opened := 0
	src := importer.Source{FS: countingFS{os.DirFS(home), &opened}, Path: "Library/SMS/sms.db", Name: db}
	a := archivetest.Open(t)
	if _, err := importer.Run(context.Background(), a, imp{}, src, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	// 4 files staged, and the location card read for its coordinates.
	if opened != 5 {
		t.Fatalf("first import opened %d attachment files, want 5", opened)
	}
	opened = 0
	rep, err := importer.Run(context.Background(), a, imp{}, src, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Row 17's file is missing: it is looked for (Stat), never opened.
	if opened != 0 || rep.MessagesAdded != 0 {
		t.Errorf("second import opened %d attachment files, added %d messages", opened, rep.MessagesAdded)
	}
}

// The chat of each message is looked up through chat_message_join's index on message_id where
// the database has one (iOS's has), through a grouped join where it has none: both give the same
// archive, a message joined to two chats going to the first either way.
func TestChatLookupWithAndWithoutIndex(t *testing.T) {
	var prints [][]byte
	for _, index := range []bool{false, true} {
		path := writeHome(t)
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		stmts := []string{`INSERT INTO chat_message_join(chat_id, message_id) SELECT max(chat_id) + 1000, min(message_id) FROM chat_message_join`}
		if index {
			stmts = append(stmts, `CREATE INDEX chat_message_join_idx_message_id ON chat_message_join(message_id, chat_id)`)
		}
		for _, q := range stmts {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		a, _, rep := importOne(t, importer.LocalSource(path))
		if !strings.Contains(strings.Join(rep.Notes, "\n"), "1 messages belong to more than one chat") {
			t.Errorf("index %v: notes %q", index, rep.Notes)
		}
		prints = append(prints, importertest.Fingerprint(t, a))
	}
	if !bytes.Equal(prints[0], prints[1]) {
		t.Errorf("the archive differs with the index:\n%s\n---\n%s", prints[0], prints[1])
	}
}
