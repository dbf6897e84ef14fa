package archive

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"
)

// An import that mixes messages already present, new ones and a repeat within one insert batch
// must give every new message (and its attachment and index entry) its own id.
func TestImportMixesNewAndPresentMessages(t *testing.T) {
	a := openTemp(t)
	first := make([]string, 100)
	for i := range first {
		first[i] = fmt.Sprintf("first %d", i)
	}
	importMessages(t, a, "chat", first)

	ctx := context.Background()
	im, err := a.BeginImport(ctx, ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "second"})
	if err != nil {
		t.Fatal(err)
	}
	cid, _ := im.Conversation(Conversation{Service: "test", Key: "chat", Title: "chat", Kind: ConvGroup})
	base := time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC)
	add := func(i int) {
		t.Helper()
		m := &Message{ConversationID: cid, UID: fmt.Sprintf("u%06d", i), Time: base.Add(time.Duration(i) * time.Minute),
			Kind: KindPhoto, Text: fmt.Sprintf("second %d", i), Attachments: []Attachment{{Kind: KindPhoto, FileName: fmt.Sprintf("f%06d.jpg", i)}}}
		if err := im.AddMessage(m); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 200; i++ {
		add(i)
		if i == 150 {
			add(i) // the same message again, in the same batch
		}
	}
	rep, err := im.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if rep.MessagesAdded != 100 || rep.MessagesPresent != 101 || rep.AttachmentsAdded != 100 {
		t.Fatalf("added %d, present %d, attachments %d; want 100, 101, 100", rep.MessagesAdded, rep.MessagesPresent, rep.AttachmentsAdded)
	}
	rows, err := a.db.Query(`SELECT m.uid, a.file_name FROM attachments a JOIN messages m ON m.id = a.message_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var uid, file string
		if err := rows.Scan(&uid, &file); err != nil {
			t.Fatal(err)
		}
		if "f"+uid[1:]+".jpg" != file {
			t.Errorf("attachment %s belongs to message %s", file, uid)
		}
		n++
	}
	if n != 100 {
		t.Errorf("%d attachments, want 100", n)
	}
	hits, err := a.Search(ctx, SearchQuery{Text: "second", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 100 {
		t.Fatalf("search found %d new messages, want 100", len(hits))
	}
	for _, h := range hits {
		if h.Message.UID < "u000100" || h.Message.Text != "second "+fmt.Sprint(mustAtoi(t, h.Message.UID[1:])) {
			t.Errorf("hit %s %q", h.Message.UID, h.Message.Text)
		}
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
