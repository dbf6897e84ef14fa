package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

func openString(s string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }
}

// Files staged ahead are published when added, removed when not added, and removed on rollback.
func TestStagedMediaPublishedOnlyWhenAdded(t *testing.T) {
	a := openTemp(t)
	ctx := context.Background()

	im, err := a.BeginImport(ctx, ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "x"})
	if err != nil {
		t.Fatal(err)
	}
	var pending []*PendingMedia
	for i := 0; i < 10; i++ {
		pending = append(pending, im.StageMedia(openString(fmt.Sprintf("photo %d", i)), 0))
	}
	failing := im.StageMedia(func() (io.ReadCloser, error) { return nil, errors.New("unreadable") }, 0)
	tooBig := im.StageMedia(openString("a very large video"), 5)
	var added []string
	for _, p := range pending[:5] { // the other five are never added
		sha, _, err := im.AddMedia(p, "image/jpeg")
		if err != nil {
			t.Fatal(err)
		}
		added = append(added, sha)
	}
	if _, _, err := im.AddMedia(failing, ""); err == nil || !strings.Contains(err.Error(), "unreadable") {
		t.Errorf("AddMedia of an unreadable file: %v", err)
	}
	if _, _, err := im.AddMedia(tooBig, ""); !errors.Is(err, ErrMediaTooLarge) {
		t.Errorf("AddMedia of a file over the limit: %v", err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, sha := range added {
		if _, err := os.Stat(a.media.path(sha)); err != nil {
			t.Errorf("added media not published: %v", err)
		}
	}
	if st, _ := a.Stats(ctx); st.MediaFiles != 5 {
		t.Errorf("%d media files recorded, want 5", st.MediaFiles)
	}
	if left := stagedFiles(t, a); len(left) != 0 {
		t.Errorf("staged files never added were left behind: %v", left)
	}

	im, err = a.BeginImport(ctx, ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "y"})
	if err != nil {
		t.Fatal(err)
	}
	p := im.StageMedia(openString("rolled back"), 0)
	sha, _, err := im.AddMedia(p, "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	im.StageMedia(openString("never added, rolled back"), 0)
	if err := im.Rollback(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a.media.path(sha)); !os.IsNotExist(err) {
		t.Errorf("media of a rolled-back import published: %v", err)
	}
	if left := stagedFiles(t, a); len(left) != 0 {
		t.Errorf("staged files left behind after rollback: %v", left)
	}
}
