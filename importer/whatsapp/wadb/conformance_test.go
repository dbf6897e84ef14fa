package wadb

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/importertest"
	"github.com/chatvault/chatvault/internal/fixtures"
)

// badSQLite writes the bad inputs both importers must refuse: a truncated database, one
// without the message tables (a wa.db), an unrelated SQLite file, a file that is no database.
func badSQLite(t *testing.T, good string) []importer.Source {
	dir := t.TempDir()
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	trunc := filepath.Join(dir, "msgstore-truncated.db")
	writeFile(t, trunc, string(b[:len(b)/3]))
	wa := filepath.Join(dir, "no-messages", "msgstore.db")
	writeWaDB(t, wa, sample())
	other := filepath.Join(dir, "unrelated.sqlite")
	db := openNew(t, other)
	execAll(t, db, `CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)`, `INSERT INTO notes(body) VALUES('x')`)
	db.Close()
	text := filepath.Join(dir, "ChatStorage.sqlite")
	writeFile(t, text, "not a database at all")
	return []importer.Source{importer.LocalSource(trunc), importer.LocalSource(wa), importer.LocalSource(other), importer.LocalSource(text)}
}

func TestConformanceAndroid(t *testing.T) {
	fx := fixtures.Dir(t)
	modern, _ := whatsAppFolder(t, sample(), false)
	legacy, _ := whatsAppFolder(t, legacyOf(rekeyed(sample(), "L")), true)
	file := filepath.Join(t.TempDir(), "msgstore.db")
	writeModern(t, file, rekeyed(sample(), "F"))
	bad := badSQLite(t, filepath.Join(modern, "Databases", "msgstore.db"))
	bad = append(bad, importer.LocalSource(filepath.Join(fx, "whatsapp-android-db", "wacrypt-msgstore.db.crypt15"))) // no key given
	importertest.Run(t, importertest.Case{
		Importer:   androidImporter{},
		Sources:    []importer.Source{importer.LocalSource(modern), importer.LocalSource(legacy), importer.LocalSource(file)},
		Bad:        bad,
		OwnSamples: []string{"whatsapp-android-db"},
	})
}

func TestConformanceIOS(t *testing.T) {
	fixtures.Dir(t)
	dir, _, _ := iosFolder(t)
	other := filepath.Join(t.TempDir(), "other")
	msgs, chats := iosSample()
	for i := range msgs {
		msgs[i].stanza = "F" + msgs[i].stanza
	}
	writeIOS(t, other, msgs, chats)
	importertest.Run(t, importertest.Case{
		Importer: iosImporter{},
		Sources: []importer.Source{importer.LocalSource(dir), importer.LocalSource(mvtFolder(t)), importer.LocalSource(filepath.Join(other, "ChatStorage.sqlite")),
			importer.LocalSource(extrasFolder(t)), importer.LocalSource(callFolder(t))},
		Bad:        badSQLite(t, filepath.Join(dir, "ChatStorage.sqlite")),
		OwnSamples: []string{"ios-backup"},
	})
}
