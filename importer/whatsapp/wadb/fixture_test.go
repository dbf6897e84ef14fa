package wadb

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/importertest"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/fixtures"
)

// keySecrets hands out one secret, as --whatsapp-key-file would.
type keySecrets []byte

func (k keySecrets) Secret(_ context.Context, name, _ string) ([]byte, error) {
	if name != keyFlag || k == nil {
		return nil, importer.ErrNoSecret
	}
	return append([]byte(nil), k...), nil
}

// The wa-crypt-tools fixture (app 2.22.5.13) is a half-migrated database: `message` holds only
// its placeholder row and `messages` 10 rows, the placeholder and 9 status updates
// (sqlite3: SELECT key_remote_jid, count(*) FROM messages GROUP BY 1 → -1|1, status@broadcast|9).
// So it imports no message and says it skipped 9 status updates; every encrypted copy of it gives
// the same archive as the plain file.
func TestAndroidFixtures(t *testing.T) {
	dir := fixtures.Path(t, "whatsapp-android-db")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	plain := archivetest.Open(t)
	rep := run(t, plain, androidImporter{}, importer.LocalSource(filepath.Join(dir, "wacrypt-msgstore.db")), importer.Options{})
	if rep.MessagesAdded != 0 || !hasNote(rep, "9 status updates") {
		t.Errorf("plain fixture: %d messages added, notes %v; want 0 and 9 status updates skipped", rep.MessagesAdded, rep.Notes)
	}
	want := importertest.Fingerprint(t, plain)
	rootKey := read("wacrypt-encrypted_backup.key")
	hexKey := []byte(strings.ToUpper(hexOf(rootKey[len(rootKey)-32:])))
	for _, c := range []struct {
		file string
		key  []byte
	}{
		{"wacrypt-msgstore.db.crypt12", read("wacrypt-key")},
		{"wacrypt-msgstore.db.crypt14", read("wacrypt-key")},
		{"wacrypt-msgstore-noexpiry.db.crypt14", read("wacrypt-key")},
		{"wacrypt-msgstore.db.crypt15", rootKey},
		{"wacrypt-msgstore.db.crypt15", hexKey},
	} {
		a := archivetest.Open(t)
		src := importer.LocalSource(filepath.Join(dir, c.file))
		if s := (androidImporter{}).Detect(src); strings.HasPrefix(c.file, "wacrypt-msgstore.db") && s == 0 {
			t.Errorf("Detect scores 0 on %s", c.file)
		}
		rep := run(t, a, androidImporter{}, src, importer.Options{Secrets: keySecrets(c.key)})
		if !hasNote(rep, "9 status updates") {
			t.Errorf("%s: notes %v", c.file, rep.Notes)
		}
		if got := importertest.Fingerprint(t, a); !bytes.Equal(got, want) {
			t.Errorf("%s gives another archive than the plain database", c.file)
		}
	}
	// The WhatsApp folder as copied off the phone: Databases/msgstore.db.crypt15 (+ Media/).
	folder := filepath.Join(t.TempDir(), "WhatsApp")
	writeFile(t, filepath.Join(folder, "Databases", "msgstore.db.crypt15"), string(read("wacrypt-msgstore.db.crypt15")))
	writeFile(t, filepath.Join(folder, "Media", ".nomedia"), "")
	fa := archivetest.Open(t)
	if s := (androidImporter{}).Detect(importer.LocalSource(folder)); s == 0 {
		t.Error("Detect scores 0 on a WhatsApp folder")
	}
	run(t, fa, androidImporter{}, importer.LocalSource(folder), importer.Options{Secrets: keySecrets(hexKey)})
	if got := importertest.Fingerprint(t, fa); !bytes.Equal(got, want) {
		t.Error("the WhatsApp folder gives another archive than the plain database")
	}
	// Wrong key, no key: one clear line, nothing imported.
	a := archivetest.Open(t)
	src := importer.LocalSource(filepath.Join(dir, "wacrypt-msgstore.db.crypt15"))
	wrong := bytes.Repeat([]byte("12345678"), 8)
	_, err := importer.Run(context.Background(), a, androidImporter{}, src, importer.Options{Secrets: keySecrets(wrong)})
	if err == nil || !strings.Contains(err.Error(), "wrong key") {
		t.Errorf("wrong key: %v", err)
	}
	_, err = importer.Run(context.Background(), a, androidImporter{}, src, importer.Options{})
	var se *importer.SourceError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "--whatsapp-key") {
		t.Errorf("no key: %v", err)
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
