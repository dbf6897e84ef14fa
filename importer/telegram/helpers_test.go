package telegram

import (
	"context"
	"testing"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// importInto imports src into a and fails the test on an error.
func importInto(t *testing.T, a *archive.Archive, src importer.Source, opts importer.Options) *archive.Report {
	t.Helper()
	rep, err := importer.Run(context.Background(), a, tgImporter{}, src, opts)
	if err != nil {
		t.Fatalf("import %s: %v", src, err)
	}
	return rep
}

// countsByTitle reads the archive's messages per conversation title straight from SQL.
func countsByTitle(t *testing.T, a *archive.Archive) map[string]int {
	t.Helper()
	rows, err := archivetest.SQL(t, a).Query(`SELECT c.title, count(m.id) FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id GROUP BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var title string
		var n int
		if err := rows.Scan(&title, &n); err != nil {
			t.Fatal(err)
		}
		out[title] += n
	}
	return out
}

func fresh(t *testing.T) *archive.Archive { return archivetest.Open(t) }

// row is one stored message as the tests look at it.
type row struct {
	uid, kind, text, replyTo, details, sender string
	flags                                     int64
	ts                                        int64
	offset                                    *int64
	fromMe                                    bool
}

// messagesByUID reads every message of the conversation keyed key.
func messagesByUID(t *testing.T, a *archive.Archive, key string) map[string]row {
	t.Helper()
	rows, err := archivetest.SQL(t, a).Query(`SELECT m.uid, m.kind, m.text, m.reply_to, m.details, coalesce(p.key, ''), m.flags, m.ts, m.ts_offset, m.from_me
		FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN participants p ON p.id = m.sender_id
		WHERE c.key = ?`, key)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]row{}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.uid, &r.kind, &r.text, &r.replyTo, &r.details, &r.sender, &r.flags, &r.ts, &r.offset, &r.fromMe); err != nil {
			t.Fatal(err)
		}
		out[r.uid] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
