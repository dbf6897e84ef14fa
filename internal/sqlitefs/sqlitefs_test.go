package sqlitefs

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

// A database in WAL mode, written by SQLite, reads through an fs.FS without a byte written beside it.
func TestOpenWALDatabaseReadOnly(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "app.db")
	os.MkdirAll(filepath.Dir(p), 0o700)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`PRAGMA journal_mode=WAL`, `CREATE TABLE message(id INTEGER PRIMARY KEY, text TEXT)`,
		`INSERT INTO message(text) VALUES ('hello'), ('world')`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	os.Remove(p + "-wal")
	os.Remove(p + "-shm")
	before, _ := os.ReadDir(filepath.Dir(p))

	d, err := Open(os.DirFS(dir), "sub/app.db")
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM message`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("count %d, %v", n, err)
	}
	tables, err := d.Tables()
	if err != nil || !tables["message"] {
		t.Fatalf("tables %v %v", tables, err)
	}
	cols, _ := d.Columns("message")
	if !cols["text"] || !cols["id"] {
		t.Fatalf("columns %v", cols)
	}
	if _, err := d.Exec(`INSERT INTO message(text) VALUES ('x')`); err == nil {
		t.Fatal("a write went through a read-only open")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadDir(filepath.Dir(p))
	if len(after) != len(before) {
		t.Fatalf("files beside the database changed: %v -> %v", before, after)
	}
	if _, err := Open(os.DirFS(dir), "../escape.db"); err == nil {
		t.Fatal("a path outside the file system opened")
	}
}
