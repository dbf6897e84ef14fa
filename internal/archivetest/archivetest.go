// Package archivetest gives tests a fresh archive in a temporary folder, closed when the test
// ends. (The archive package's own tests cannot import it and keep their own.)
package archivetest

import (
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
