package vault

import (
	"context"
	"fmt"
	"testing"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/blob/filesystem"
)

// The folder store is flushed before every blob that may refer to packs, and on close, and not
// for the packs themselves (a backup writes many).
func TestFolderVaultFlushesBeforeWhatReferencesPacks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fs, err := filesystem.New(ctx, &filesystem.Options{Path: dir}, true)
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	st := durableStorage{Storage: fs, dir: dir, flush: func(string) error { log = append(log, "flush"); return nil }}
	for _, id := range []blob.ID{"p0123", "q0456", "p0789", "xn0_abc", "s0def", "kopia.repository", "chatvault.password"} {
		if err := st.PutBlob(ctx, id, bytesBlob("data"), blob.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		log = append(log, string(id))
	}
	if err := st.Close(ctx); err != nil {
		t.Fatal(err)
	}
	want := "[p0123 q0456 p0789 flush xn0_abc flush s0def flush kopia.repository flush chatvault.password flush]"
	if got := fmt.Sprint(log); got != want {
		t.Fatalf("writes and flushes:\n got %s\nwant %s", got, want)
	}
}
