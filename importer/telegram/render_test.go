package telegram

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/export/html"
	"github.com/chatvault/chatvault/importer"
)

// An imported Telegram chat shows in the HTML export with its hidden-target links as links, its
// code as escaped text, and its missing media with Telegram's reason.
func TestHTMLExportShowsTelegramMessages(t *testing.T) {
	a := fresh(t)
	importInto(t, a, importer.LocalSource(writeGenerated(t)), importer.Options{})
	out := filepath.Join(t.TempDir(), "html")
	if _, err := html.Export(context.Background(), a, out, html.Options{Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	var pages strings.Builder
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			b, _ := os.ReadFile(p)
			pages.Write(b)
		}
		return nil
	})
	s := pages.String()
	for _, want := range []string{
		`<a href="https://example.org/?a=1&amp;b=%3c2%3e" rel="noopener noreferrer nofollow" target="_blank">site</a>`,
		`x&lt;y`,
		`File not included. Change data exporting settings to download.`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the HTML export lacks %s", want)
		}
	}
	if strings.Contains(s, "x<y") {
		t.Error("message text is not escaped")
	}
}
