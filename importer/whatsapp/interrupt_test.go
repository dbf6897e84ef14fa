package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
)

// An import stopped half-way (Ctrl-C) while messages, the search index and media copies are all
// in flight on their goroutines leaves the archive and the media store exactly as they were.
func TestInterruptedImportChangesNothing(t *testing.T) {
	dir := t.TempDir()
	var chat bytes.Buffer
	if err := wachat.Generate(&chat, 20_000, wachat.GenOptions{Seed: 7, MediaRate: 0.05}); err != nil {
		t.Fatal(err)
	}
	chatPath := filepath.Join(dir, "WhatsApp Chat with Bench.txt")
	if err := os.WriteFile(chatPath, chat.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	names := regexp.MustCompile(`[A-Za-z0-9_-]+\.(jpg|opus|mp4|webp|pdf|vcf)`).FindAllString(chat.String(), -1)
	for i, n := range names {
		os.WriteFile(filepath.Join(dir, n), bytes.Repeat([]byte{byte(i)}, 4096+i), 0o600)
	}

	a := newArchive(t)
	first := filepath.Join(t.TempDir(), "WhatsApp Chat with Kai.txt")
	os.WriteFile(first, []byte("24/12/2023, 18:30 - Kai: Merry Christmas\n"), 0o600)
	if _, err := importPath(t, a, first, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	unchanged := stateOf(t, a)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := importer.Options{TZ: time.UTC, Progress: func(done, total int64) {
		if done > total/2 {
			cancel()
		}
	}}
	_, err := importer.Run(ctx, a, txtImporter{}, importer.LocalSource(dir), opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want an interrupted import, got %v", err)
	}
	unchanged.check(t, a)
	if hits, _ := a.Search(context.Background(), archive.SearchQuery{Text: "Merry"}); len(hits) != 1 {
		t.Fatalf("search after the interrupted import found %d, want 1", len(hits))
	}
	// And the next import of the same export goes through whole.
	rep, err := importer.Run(context.Background(), a, txtImporter{}, importer.LocalSource(dir), importer.Options{TZ: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if rep.MessagesAdded < 20_000 || rep.MediaAdded == 0 {
		t.Fatalf("after the interruption: %d messages, %d media added", rep.MessagesAdded, rep.MediaAdded)
	}
}
