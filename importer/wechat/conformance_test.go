package wechat

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/importertest"
)

// badIOS is an app folder whose MM.sqlite is not a database, and one with no account at all.
func badIOS(t *testing.T) []importer.Source {
	root := t.TempDir()
	junk := filepath.Join(root, "junk", "Documents", "0123456789abcdef0123456789abcdef", "DB")
	os.MkdirAll(junk, 0o700)
	os.WriteFile(filepath.Join(junk, "MM.sqlite"), []byte("SQLite format 3\x00 truncated"), 0o600)
	empty := filepath.Join(root, "empty", "Documents")
	os.MkdirAll(empty, 0o700)
	return []importer.Source{importer.LocalSource(filepath.Dir(filepath.Dir(filepath.Dir(junk)))), importer.LocalSource(filepath.Dir(empty))}
}

func TestConformanceIOS(t *testing.T) {
	dir, _ := writeIOS(t)
	importertest.Run(t, importertest.Case{
		Importer:   iosImporter{},
		Sources:    []importer.Source{importer.LocalSource(dir)},
		Bad:        badIOS(t),
		OwnSamples: []string{"wechat"},
	})
}
