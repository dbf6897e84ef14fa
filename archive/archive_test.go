package archive

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openTemp(t testing.TB) *Archive {
	t.Helper()
	a, err := Open(context.Background(), filepath.Join(t.TempDir(), "archive"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// importMessages imports texts as messages of one conversation, at one-minute steps.
func importMessages(t testing.TB, a *Archive, conv string, texts []string) *Report {
	t.Helper()
	ctx := context.Background()
	im, err := a.BeginImport(ctx, ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: conv})
	if err != nil {
		t.Fatal(err)
	}
	cid, err := im.Conversation(Conversation{Service: "test", Key: conv, Title: conv, Kind: ConvGroup})
	if err != nil {
		t.Fatal(err)
	}
	pid, err := im.Participant(Participant{Service: "test", Key: "alice", Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC)
	for i, text := range texts {
		err := im.AddMessage(&Message{ConversationID: cid, UID: fmt.Sprintf("u%06d", i), Time: base.Add(time.Duration(i) * time.Minute),
			SenderID: pid, Kind: KindText, Text: text, Raw: "raw " + text, SrcPos: fmt.Sprintf("line %d", i+1)})
		if err != nil {
			t.Fatal(err)
		}
	}
	rep, err := im.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestImportIsIdempotent(t *testing.T) {
	a := openTemp(t)
	texts := make([]string, 150) // more than one insert batch
	for i := range texts {
		texts[i] = fmt.Sprintf("message number %d", i)
	}
	rep := importMessages(t, a, "chat", texts)
	if rep.MessagesAdded != 150 || rep.MessagesPresent != 0 {
		t.Fatalf("first import: added %d present %d", rep.MessagesAdded, rep.MessagesPresent)
	}
	rep = importMessages(t, a, "chat", append(texts, "one more"))
	if rep.MessagesAdded != 1 || rep.MessagesPresent != 150 {
		t.Fatalf("second import: added %d present %d, want 1 and 150", rep.MessagesAdded, rep.MessagesPresent)
	}
	st, err := a.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != 151 || st.Conversations != 1 || st.Imports != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestRollbackLeavesArchiveAndMediaUnchanged(t *testing.T) {
	a := openTemp(t)
	importMessages(t, a, "chat", []string{"before"})
	ctx := context.Background()
	im, err := a.BeginImport(ctx, ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "x"})
	if err != nil {
		t.Fatal(err)
	}
	cid, _ := im.Conversation(Conversation{Service: "test", Key: "other", Title: "Other"})
	sha, _, err := im.PutMedia(strings.NewReader("a photo"), "image/jpeg", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := im.AddMessage(&Message{ConversationID: cid, UID: "x", Time: time.Now(), Text: "never", Kind: KindPhoto,
		Attachments: []Attachment{{Kind: KindPhoto, FileName: "p.jpg", SHA256: sha}}}); err != nil {
		t.Fatal(err)
	}
	if err := im.Rollback(); err != nil {
		t.Fatal(err)
	}
	st, _ := a.Stats(ctx)
	if st.Messages != 1 || st.Conversations != 1 || st.MediaFiles != 0 || st.Imports != 1 {
		t.Fatalf("after rollback: %+v", st)
	}
	if _, err := os.Stat(a.media.path(sha)); !os.IsNotExist(err) {
		t.Fatalf("media file left behind after rollback: %v", err)
	}
	if left := stagedFiles(t, a); len(left) != 0 {
		t.Fatalf("staged media left behind after rollback: %v", left)
	}
	if hits, _ := a.Search(ctx, SearchQuery{Text: "never"}); len(hits) != 0 {
		t.Fatalf("rolled-back message is searchable")
	}
}

func TestMediaStoredOnce(t *testing.T) {
	a := openTemp(t)
	ctx := context.Background()
	im, err := a.BeginImport(ctx, ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "x"})
	if err != nil {
		t.Fatal(err)
	}
	s1, n, err := im.PutMedia(strings.NewReader("same bytes"), "", 0)
	if err != nil || n != 10 {
		t.Fatal(err, n)
	}
	s2, _, _ := im.PutMedia(strings.NewReader("same bytes"), "", 0)
	if s1 != s2 {
		t.Fatal("same content, different names")
	}
	if _, _, err := im.PutMedia(strings.NewReader("too long for the limit"), "", 5); err == nil {
		t.Fatal("limit not enforced")
	}
	rep, err := im.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if rep.MediaAdded != 1 || rep.MediaBytesAdded != 10 {
		t.Fatalf("report %+v", rep)
	}
	f, err := a.OpenMedia(s1)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := a.OpenMedia("../../etc/passwd"); err == nil {
		t.Fatal("path traversal through a media name")
	}
}

func TestSearchFindsWordsAndCJKSubstrings(t *testing.T) {
	a := openTemp(t)
	importMessages(t, a, "chat", []string{
		"Where is my passport?",
		"我的护照丢了",
		"パスポートを忘れた",
		"Résumé attached",
		"nothing here",
		`quote " and * and (parens) AND OR NOT`,
	})
	ctx := context.Background()
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"passport", []string{"Where is my passport?"}},
		{"PASS", []string{"Where is my passport?"}},
		{"护照", []string{"我的护照丢了"}},
		{"护", []string{"我的护照丢了"}},
		{"ポート", []string{"パスポートを忘れた"}},
		{"resume", []string{"Résumé attached"}},
		{`"my passport"`, []string{"Where is my passport?"}},
		{`"passport my"`, nil},
		{"is passport", []string{"Where is my passport?"}},
		{`and * (parens) "OR" NOT"`, []string{`quote " and * and (parens) AND OR NOT`}},
		{"absent", nil},
	} {
		hits, err := a.Search(ctx, SearchQuery{Text: tc.q})
		if err != nil {
			t.Errorf("%q: %v", tc.q, err)
			continue
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Message.Text)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("search %q = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestSearchNewestFirstAndLimit(t *testing.T) {
	a := openTemp(t)
	var texts []string
	for i := 0; i < 1200; i++ {
		texts = append(texts, fmt.Sprintf("common word %d", i))
	}
	importMessages(t, a, "chat", texts)
	hits, err := a.Search(context.Background(), SearchQuery{Text: "common", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hits {
		got = append(got, h.Message.Text)
	}
	if want := "[common word 1199 common word 1198 common word 1197]"; fmt.Sprint(got) != want {
		t.Fatalf("got %v want %v", got, want)
	}
}

// reopenAfter imports a findable message, closes the archive, lets damage change the index
// file, reopens the archive and checks that search still finds the message.
func reopenAfter(t *testing.T, what string, damage func(dir string)) *Archive {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "a")
	ctx := context.Background()
	a, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	importMessages(t, a, "chat", []string{"findable words"})
	a.Close()
	damage(dir)
	a, err = Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	hits, err := a.Search(ctx, SearchQuery{Text: "findable"})
	if err != nil || len(hits) != 1 {
		t.Fatalf("after %s: %v hits, err %v", what, len(hits), err)
	}
	return a
}

func TestIndexCatchesUpWhenDeleted(t *testing.T) {
	reopenAfter(t, "losing the index", func(dir string) {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(filepath.Join(dir, indexName+suffix))
		}
	})
}

func TestOpenRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600)
	if _, err := Open(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "not a chatvault archive") {
		t.Fatalf("err = %v", err)
	}
}

func TestEachMessagePagesInOrder(t *testing.T) {
	a := openTemp(t)
	var texts []string
	for i := 0; i < 1234; i++ {
		texts = append(texts, fmt.Sprint(i))
	}
	importMessages(t, a, "chat", texts)
	var got []string
	err := a.EachMessage(context.Background(), MessageQuery{Desc: true, Limit: 1001}, func(m *Message) error {
		got = append(got, m.Text)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1001 || got[0] != "1233" || got[1000] != "233" {
		t.Fatalf("got %d messages, first %s last %s", len(got), got[0], got[len(got)-1])
	}
}

// An index written by another version (another FTS5 definition) is rebuilt, not used.
func TestIndexOfAnotherVersionIsRebuilt(t *testing.T) {
	a := reopenAfter(t, "an old index", func(dir string) {
		db, err := openDB(filepath.Join(dir, indexName), 1)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		// What version 1 wrote: another table definition, no user_version, and a watermark.
		if _, err := db.Exec(`DROP TABLE fts; CREATE VIRTUAL TABLE fts USING fts5(body, content='', contentless_delete=1); PRAGMA user_version = 0`); err != nil {
			t.Fatal(err)
		}
	})
	var version int
	a.index.db.QueryRow(`PRAGMA user_version`).Scan(&version)
	if version != indexVersion {
		t.Errorf("index version %d, want %d", version, indexVersion)
	}
}

// Empty texts go to the statement as NULL (cheaper to bind) and must still be stored as empty
// text, not NULL.
func TestEmptyMessageColumnsStoredAsEmptyText(t *testing.T) {
	a := openTemp(t)
	importMessages(t, a, "chat", []string{"", "words"})
	rows, err := a.db.Query(`SELECT typeof(text), text, typeof(reply_to), reply_to, typeof(details), details FROM messages ORDER BY uid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var tt, text, tr, reply, td, details string
		if err := rows.Scan(&tt, &text, &tr, &reply, &td, &details); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %q %s %q %s %q", tt, text, tr, reply, td, details))
	}
	want := []string{`text "" text "" text ""`, `text "words" text "" text ""`}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored %q, want %q", got, want)
	}
}
