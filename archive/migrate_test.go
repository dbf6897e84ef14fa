package archive

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// An archive made by the previous chatvault (schema 1, testdata/schema1/README.md) opens, is
// upgraded, and keeps every message: the iPhone and Android exports of one chat, stored twice under
// schema 1, become one message each, the other copy's lines kept as a second provenance.
func TestMigrationFromSchema1KeepsEveryMessage(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"archive.db", "index.db"} {
		b, err := os.ReadFile(filepath.Join("testdata", "schema1", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// As if it had been backed up: every month current, so the test sees the migration mark them.
	db, err := sql.Open("sqlite", filepath.Join(dir, "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE dump_months SET digest = 'x', digest_of = changed_at`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ctx := context.Background()
	a, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var version int
	a.db.QueryRow(`PRAGMA user_version`).Scan(&version)
	if version != SchemaVersion {
		t.Fatalf("schema %d after open, want %d", version, SchemaVersion)
	}
	convs, err := a.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	kinds := map[string]ConversationKind{}
	for _, c := range convs {
		counts[c.Title], kinds[c.Title] = c.Messages, c.Kind
	}
	if counts["Bea"] != 6 || counts["Climbing group"] != 4 || kinds["Climbing group"] != ConvGroup {
		t.Fatalf("after migration: %v %v, want Bea 6 and a group of 4", counts, kinds)
	}
	texts := map[string]int{}
	withTwoSources := 0
	for _, m := range allMessages(t, a) {
		texts[m.Text]++
		if len(m.Sources) == 1 {
			withTwoSources++
		}
	}
	for text, n := range map[string]int{"Morning! Coffee later?": 1, "yes": 2, "see you at 3": 1, "running late": 1, "no worries": 1, "Sunday at the crag?": 1} {
		if texts[text] != n {
			t.Errorf("%q: %d messages, want %d", text, texts[text], n)
		}
	}
	if withTwoSources != 5 {
		t.Errorf("%d messages record the other export as a second source, want 5", withTwoSources)
	}
	// Importing the Android export again adds nothing: its keys are the migrated ones.
	var n int
	a.db.QueryRow(`SELECT count(*) FROM messages WHERE uid LIKE '________T______-%'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d keys still carry seconds", n)
	}
	for conv, wantCurrent := range map[int64]bool{1: false, 2: true} {
		months, _ := a.DumpMonths(ctx, conv)
		for _, m := range months {
			if m.Current() != wantCurrent {
				t.Errorf("conversation %d month %s: current %v, want %v (only the re-keyed chat is re-dumped)", conv, m.Month, m.Current(), wantCurrent)
			}
		}
	}
}
