package imessage

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/imessage/imessagetest"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// A person has one tapback per message. A newer sms.db in which the other person changed their
// ❤️ on row 2 to 👍 (and then took back the ❤️ that was already replaced) and the group member
// took back their 🔥 on row 11 leaves 👍 alone on row 2 and nothing on row 11; the newer
// database again changes nothing.
func TestNewerDatabaseChangesTapbacks(t *testing.T) {
	path := writeHome(t)
	a := archivetest.Open(t)
	load := func() *archive.Report {
		t.Helper()
		rep, err := importer.Run(context.Background(), a, imp{}, importer.LocalSource(path), importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	load()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	apple := func(min int) int64 {
		return imessagetest.Base.Add(time.Duration(min) * time.Minute).Sub(time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)).Nanoseconds()
	}
	for _, r := range []struct {
		n, chat, handle, typ int
		target, emoji        string
	}{
		{19, 1, 1, 2001, "p:0/" + imessagetest.GUID(2), ""},
		{20, 1, 1, 3000, "p:0/" + imessagetest.GUID(2), ""},
		{21, 3, 4, 3006, "p:0/" + imessagetest.GUID(11), "🔥"},
	} {
		if _, err := db.Exec(`INSERT INTO message(ROWID, guid, text, handle_id, service, date, is_from_me, associated_message_type, associated_message_guid, associated_message_emoji)
			VALUES(?,?,'',?,'iMessage',?,0,?,?,?)`, r.n, imessagetest.GUID(r.n), r.handle, apple(r.n), r.typ, r.target, r.emoji); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO chat_message_join VALUES(?,?)`, r.chat, r.n); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	rep := load()
	reactions := map[string][]string{}
	if err := a.EachMessage(context.Background(), archive.MessageQuery{WithParts: true}, func(m *archive.Message) error {
		for _, r := range m.Reactions {
			reactions[m.UID] = append(reactions[m.UID], r.Emoji)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	two, eleven := reactions["imsg:"+imessagetest.GUID(2)], reactions["imsg:"+imessagetest.GUID(11)]
	if len(two) != 1 || two[0] != "👍" || len(eleven) != 0 || rep.MessagesUpdated != 2 || rep.MessagesAdded != 0 {
		t.Errorf("newer sms.db: row 2 %v, row 11 %v, %d updated, %d added; want [👍], none, 2, 0", two, eleven, rep.MessagesUpdated, rep.MessagesAdded)
	}
	if rep := load(); rep.MessagesUpdated != 0 {
		t.Errorf("the newer sms.db again updated %d messages", rep.MessagesUpdated)
	}
}
