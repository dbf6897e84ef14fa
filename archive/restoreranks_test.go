package archive

import (
	"context"
	"testing"
	"time"
)

// A restore into an empty archive records each conversation's source ranks from the imports its
// messages name, without scanning the messages.
func TestRestoreRecordsTheRanksOfItsMessagesImports(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	im, err := a.BeginImport(ctx, ImportInfo{Importer: "chatvault-restore", ImporterVersion: "2", Restore: true})
	if err != nil {
		t.Fatal(err)
	}
	dbImport, err := im.AddImportRecord(ImportRecord{Key: "db", Importer: "whatsapp-db", ImporterVersion: "1"})
	if err != nil {
		t.Fatal(err)
	}
	textImport, err := im.AddImportRecord(ImportRecord{Key: "text", Importer: "whatsapp", ImporterVersion: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.tx.ExecContext(ctx, `UPDATE imports SET rank = ? WHERE id = ?`, RankDatabase, dbImport); err != nil {
		t.Fatal(err)
	}
	both, err := im.Conversation(Conversation{Service: "whatsapp", Key: "both", Title: "Both", Kind: ConvDirect})
	if err != nil {
		t.Fatal(err)
	}
	textOnly, err := im.Conversation(Conversation{Service: "whatsapp", Key: "text", Title: "Text", Kind: ConvDirect})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for i, m := range []Message{
		{ConversationID: both, UID: "1", Time: at, Text: "from the database", ImportID: dbImport},
		{ConversationID: both, UID: "2", Time: at.Add(time.Minute), Text: "from the export", ImportID: textImport},
		{ConversationID: textOnly, UID: "1", Time: at, Text: "from the export", ImportID: textImport},
	} {
		if err := im.AddMessage(&m); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	for conv, want := range map[int64]int64{both: rankBit(RankDatabase) | rankBit(RankExport), textOnly: rankBit(RankExport)} {
		var got int64
		if err := a.db.QueryRowContext(ctx, `SELECT message_ranks FROM conversations WHERE id = ?`, conv).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("conversation %d: message_ranks %b, want %b", conv, got, want)
		}
	}
}
