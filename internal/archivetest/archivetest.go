// Package archivetest gives tests a fresh archive in a temporary folder, closed when the test
// ends. (The archive package's own tests cannot import it and keep their own.)
package archivetest

import (
	"database/sql"

	"context"
	"path/filepath"
	"testing"

	"github.com/chatvault/chatvault/archive"
)

// Open creates an empty archive for the test.
func Open(t testing.TB) *archive.Archive {
	t.Helper()
	a, err := archive.Open(context.Background(), filepath.Join(t.TempDir(), "archive"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// SQL opens the archive's database read-only for a test to check what an import stored, row by
// row. Only tests may look at the schema this way: everything else asks the archive.
func SQL(t testing.TB, a *archive.Archive) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(a.Dir(), "archive.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
