package archive

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A process killed between publishing an import's media files and committing the import leaves
// files nothing refers to; the next open removes them, and only them.
func TestPublishedButUncommittedMediaRemovedOnOpen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	im, err := a.BeginImport(ctx, ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "kept"})
	if err != nil {
		t.Fatal(err)
	}
	kept, _, err := im.PutMedia(strings.NewReader("a photo the archive keeps"), "image/jpeg", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}

	// The import that dies: its file is published, the commit never happens.
	im, err = a.BeginImport(ctx, ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "killed"})
	if err != nil {
		t.Fatal(err)
	}
	orphan, _, err := im.PutMedia(strings.NewReader("a photo of an import that died"), "image/jpeg", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.media.publish(im.staged); err != nil {
		t.Fatal(err)
	}
	stageDir := a.media.stageDir.path
	// The journal may name a file a committed import refers to (the same photo in two imports).
	f, _ := os.OpenFile(filepath.Join(stageDir, journalName), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(kept + "\n")
	f.Close()
	im.staged, im.created = nil, nil // as after SIGKILL: nothing is undone by the process itself
	im.Rollback()
	a.media.stageDir.lock.Unlock() // the process is gone: its lock with it
	if _, err := os.Stat(a.media.path(orphan)); err != nil {
		t.Fatalf("setup: the published file is not there: %v", err)
	}

	b, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := os.Stat(a.media.path(orphan)); !os.IsNotExist(err) {
		t.Errorf("the dead import's published file is still there (%v)", err)
	}
	if _, err := os.Stat(a.media.path(kept)); err != nil {
		t.Errorf("a file the archive refers to was removed: %v", err)
	}
	if _, err := os.Stat(stageDir); !os.IsNotExist(err) {
		t.Errorf("the dead import's staging folder is still there (%v)", err)
	}
	a.media.stageDir = nil
	a.Close()
}
