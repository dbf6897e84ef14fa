package archive

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Check reports what a dead process left without removing it, and never reports (or touches) the
// private folders of a process that is alive.
func TestCheckLeftoversDryRun(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, _, err := a.media.stage(strings.NewReader("living"), 0); err != nil { // this process's, held
		t.Fatal(err)
	}
	// This living process is between publishing a file and committing: not an orphan.
	sha := "ab" + strings.Repeat("0", 62)
	os.MkdirAll(filepath.Join(dir, "media", "ab"), 0o700)
	os.WriteFile(filepath.Join(dir, "media", "ab", sha), []byte("publishing"), 0o600)
	os.WriteFile(filepath.Join(a.media.stageDir.path, journalName), []byte(sha+"\n"), 0o600)
	dead := filepath.Join(dir, "tmp", "import-dead")
	os.MkdirAll(dead, 0o700)
	os.WriteFile(filepath.Join(dead, "msgstore.db"), []byte("decrypted"), 0o600)

	h, err := Check(ctx, dir, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Leftovers) != 1 || h.Leftovers[0].Path != dead || h.Leftovers[0].Files != 1 || h.Leftovers[0].Bytes != 9 {
		t.Errorf("leftovers = %+v, want only %s with 1 file of 9 bytes", h.Leftovers, dead)
	}
	if _, err := os.Stat(filepath.Join(dead, "msgstore.db")); err != nil {
		t.Errorf("the check removed what it found: %v", err)
	}
	if _, err := os.Stat(dead + ".lock"); !os.IsNotExist(err) {
		t.Errorf("the check left a lock file it made (%v)", err)
	}
	if len(stagedFiles(t, a)) != 2 { // its staged file and its journal
		t.Errorf("the living process's staged file was touched: %v", stagedFiles(t, a))
	}
	if len(h.Orphans) != 0 {
		t.Errorf("a living import's published file reported as an orphan: %+v", h.Orphans)
	}
	if !h.Index.OK() || len(h.Integrity) != 0 {
		t.Errorf("a fresh archive: index %+v, integrity %v", h.Index, h.Integrity)
	}
}

// A media file whose bytes no longer match its name is found with ReadMedia, and only then.
func TestCheckReadMedia(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	im, err := a.BeginImport(ctx, ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "x"})
	if err != nil {
		t.Fatal(err)
	}
	sha, _, err := im.PutMedia(strings.NewReader("a photo"), "image/jpeg", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if err := os.WriteFile(filepath.Join(dir, "media", sha[:2], sha), []byte("a phot0"), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := Check(ctx, dir, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Mismatched) != 0 || h.MediaFiles != 1 {
		t.Errorf("without ReadMedia: mismatched %v, files %d", h.Mismatched, h.MediaFiles)
	}
	h, err = Check(ctx, dir, CheckOptions{ReadMedia: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Mismatched) != 1 || !strings.HasSuffix(h.Mismatched[0], sha) || h.MediaRead != 7 || h.OK() {
		t.Errorf("with ReadMedia: mismatched %v, read %d, ok %v", h.Mismatched, h.MediaRead, h.OK())
	}
}
