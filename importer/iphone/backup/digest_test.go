package backup

import (
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chatvault/chatvault/importer/iphone/backup/backuptest"
)

// RecordsDigest does not depend on the order of the records, and changes with any record of
// its domain and prefix, and with nothing else.
func TestRecordsDigest(t *testing.T) {
	at := time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC)
	files := []backuptest.File{
		{Domain: "HomeDomain", Path: "Library/SMS/sms.db", Data: []byte("db"), MTime: at},
		{Domain: "HomeDomain", Path: "Library/SMS/Attachments/a.jpg", Data: []byte("a"), MTime: at},
		{Domain: "HomeDomain", Path: "Library/Notes/notes.db", Data: []byte("n"), MTime: at},
		{Domain: "MediaDomain", Path: "Library/SMS/Attachments/b.jpg", Data: []byte("b"), MTime: at},
	}
	digest := func(files []backuptest.File, reorder ...string) string {
		t.Helper()
		dir := t.TempDir()
		if err := backuptest.Write(dir, backuptest.Options{}, files); err != nil {
			t.Fatal(err)
		}
		if len(reorder) > 0 {
			db, err := sql.Open("sqlite", filepath.Join(dir, "Manifest.db"))
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range reorder {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
		}
		b, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		d, err := b.RecordsDigest("HomeDomain", "Library/SMS/")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	base := digest(files)
	// The same records, stored in the other order (and, the records being the same, the same
	// inode numbers and keys in them).
	if d := digest(files, `CREATE TABLE f2 AS SELECT * FROM Files ORDER BY rowid DESC`, `DELETE FROM Files`,
		`INSERT INTO Files SELECT * FROM f2`, `DROP TABLE f2`); d != base {
		t.Errorf("records in another order: %s, want %s", d, base)
	}
	outside := slices.Clone(files)
	outside[2].Data, outside[3].Data = []byte("notes changed"), []byte("other domain changed")
	if d := digest(outside); d != base {
		t.Errorf("a change outside the prefix or domain changed the digest")
	}
	for i, change := range []func(f *backuptest.File){
		func(f *backuptest.File) { f.MTime = at.Add(time.Second) },
		func(f *backuptest.File) { f.Data = []byte("db2") },
	} {
		changed := slices.Clone(files)
		change(&changed[0])
		if d := digest(changed); d == base {
			t.Errorf("change %d of sms.db's record left the digest as it was", i)
		}
	}
	if d := digest(files[1:]); d == base {
		t.Errorf("a record fewer left the digest as it was")
	}
}
