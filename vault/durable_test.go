package vault

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/blob/filesystem"
)

// The folder store makes durable what was written since the last time before every blob that
// may refer to packs, and on close, and not for the packs themselves (a backup writes many).
// It syncs those files and their folders up to the vault's, not the whole filesystem.
func TestFolderVaultFlushesBeforeWhatReferencesPacks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fs, err := filesystem.New(ctx, &filesystem.Options{Path: dir}, true)
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	st := newDurableStorage(fs, dir)
	st.flush = func(files, dirs []string) error {
		var names []string
		for _, f := range files {
			names = append(names, filepath.Base(f))
		}
		for _, d := range dirs {
			if !strings.HasPrefix(d, dir) {
				t.Errorf("syncs %s, outside the vault %s", d, dir)
			}
		}
		if len(files) > 0 && !slices.Contains(dirs, filepath.Clean(dir)) {
			t.Errorf("the vault's own folder is not synced: %v", dirs)
		}
		log = append(log, "sync("+strings.Join(names, ",")+")")
		return syncFiles(files, dirs) // and the real calls work on real files
	}
	for _, id := range []blob.ID{"p0123", "q0456", "p0789", "xn0_abc", "s0def", "kopia.repository", "chatvault.password"} {
		if err := st.PutBlob(ctx, id, bytesBlob("data"), blob.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		log = append(log, string(id))
	}
	if err := st.DeleteBlob(ctx, "p0123"); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(ctx); err != nil {
		t.Fatal(err)
	}
	want := "[p0123 q0456 p0789 sync(p0123.f,q0456.f,p0789.f) xn0_abc sync(xn0_abc.f) s0def sync(s0def.f) kopia.repository " +
		"sync(kopia.repository.f) chatvault.password sync(chatvault.password.f)]"
	if got := fmt.Sprint(log); got != want {
		t.Fatalf("writes and syncs:\n got %s\nwant %s", got, want)
	}
}
