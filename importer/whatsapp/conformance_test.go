package whatsapp

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/importertest"
	"github.com/chatvault/chatvault/internal/fixtures"
)

// The WhatsApp text importer passes the conformance suite on real exports of each shape (.txt,
// .zip, a folder with media), with bad inputs of each kind.
func TestConformance(t *testing.T) {
	root := fixtures.Dir(t)
	src := func(rel string) importer.Source { return importer.LocalSource(filepath.Join(root, rel)) }
	bad := t.TempDir()
	write := func(name, body string) importer.Source {
		p := filepath.Join(bad, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return importer.LocalSource(p)
	}
	folder := filepath.Join(t.TempDir(), "container")
	os.MkdirAll(folder, 0o700)
	b, _ := os.ReadFile(filepath.Join(root, "whatsapp-txt", "pustur-short-chat.txt"))
	os.WriteFile(filepath.Join(folder, "pustur-short-chat.txt"), b, 0o600)
	importertest.Run(t, importertest.Case{
		Importer: txtImporter{},
		Sources: []importer.Source{
			src("whatsapp-txt/pustur-short-chat.txt"),
			src("whatsapp-txt/whatstk-lorem-ios-brackets.txt"),
			src("whatsapp-zip/chatanalytics-4A_11M.zip"),
			src("whatsapp-export-dirs/whatsreader-android-group-with-media"),
			src("whatsapp-txt/nmoya-2012-ios-us-12h-italian-real.txt"),
		},
		Bad: []importer.Source{
			write("not-a-chat.txt", "just some notes\nnothing like a chat\n"),
			write("broken.zip", "PK\x03\x04 truncated"),
		},
		OwnSamples: []string{"whatsapp-txt", "whatsapp-zip", "whatsapp-export-dirs", "whatsapp-snippets", "signal"},
		Container:  &importertest.Found{Source: importer.LocalSource(folder), Importer: txtImporter{}},
	})
}
