package telegram

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/importertest"
	"github.com/chatvault/chatvault/internal/fixtures"
)

// The importer passes the conformance suite on every Telegram JSON fixture and on a generated
// whole-account export folder with media, with bad inputs of each kind.
func TestConformance(t *testing.T) {
	root := fixtures.Dir(t)
	dir := filepath.Join(root, "telegram-json")
	var sources []importer.Source
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), "NEGATIVE") || strings.HasSuffix(e.Name(), "target.json") {
			continue
		}
		sources = append(sources, importer.LocalSource(filepath.Join(dir, e.Name())))
	}
	gen := writeGenerated(t)
	sources = append([]importer.Source{importer.LocalSource(gen)}, sources...)
	bad := t.TempDir()
	write := func(name, body string) importer.Source {
		p := filepath.Join(bad, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return importer.LocalSource(p)
	}
	full, err := os.ReadFile(filepath.Join(gen, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	importertest.Run(t, importertest.Case{
		Importer: tgImporter{},
		Sources:  sources,
		Bad: []importer.Source{
			importer.LocalSource(filepath.Join(dir, "tgchatparser-NEGATIVE-invalid-json.json")),
			importer.LocalSource(filepath.Join(dir, "chatminer-telegram-target.json")),
			importer.LocalSource(filepath.Join(root, "telegram-html", "langchain-jimmeny")),
			write("truncated.json", string(full[:len(full)*2/3])),
			write("empty-folder-file.json", ""),
		},
		OwnSamples: []string{"telegram-json", "telegram-html"},
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
