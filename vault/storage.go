package vault

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/kopia/kopia/repo/blob"
)

// Kopia opens a repository from a JSON config file that names a storage type
// and its options, and rebuilds the storage from that. For S3, SFTP, B2 and
// the rest those options include the credentials, which kopia would then
// keep in plain text on disk. We avoid that: the vault opens the storage
// itself, registers the live object under a one-time random handle, and the
// config file names only the "chatvault-live" type and that handle. The
// file is useless outside this process and holds no secret.
const liveStorageType = "chatvault-live"

type liveOptions struct {
	Handle string `json:"handle"`
}

var live = struct {
	sync.Mutex
	m map[string]blob.Storage
}{m: map[string]blob.Storage{}}

func init() {
	blob.AddSupportedStorage(liveStorageType, liveOptions{}, openLive)
}

func openLive(_ context.Context, o *liveOptions, _ bool) (blob.Storage, error) {
	live.Lock()
	defer live.Unlock()

	st, ok := live.m[o.Handle]
	if !ok {
		return nil, errors.New("this kopia config is only valid inside the chatvault process that wrote it; connect with 'kopia repository connect' instead (see docs/vault-without-chatvault.md)")
	}

	delete(live.m, o.Handle)

	return st, nil
}

// registerLive hands st to the next repo.Open that names the returned handle.
// The caller must call the returned function when the open is over, so a
// failed open does not leave the storage in the table.
func registerLive(st blob.Storage) (string, func()) {
	var b [16]byte

	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])

	live.Lock()
	live.m[h] = st
	live.Unlock()

	return h, func() {
		live.Lock()
		delete(live.m, h)
		live.Unlock()
	}
}

// guardedStorage sits between kopia and the destination's storage. It
// refuses a write that would leave less than minFree bytes at a destination
// that can report its free space, and turns "disk full" into ErrNoSpace. The
// write that is refused fails before anything is written, so kopia never
// commits an index or manifest that points to a missing pack: the backup
// fails, the vault stays as it was.
//
// The vault owns the underlying storage; Close is a no-op so each kopia
// connection can "close" it without cutting off the others.
type guardedStorage struct {
	blob.Storage

	minFree int64

	mu          sync.Mutex
	unsupported bool      // the destination cannot report free space
	free        int64     // last known free bytes, minus what we wrote since
	checked     time.Time // when free was last read

	wmu     sync.Mutex
	written map[blob.ID]int64 // blobs written while a backup tracks them (checked.go)
}

// freeCheckInterval bounds how often free space is asked for. Local statfs
// is cheap; an SFTP statvfs is a round trip, hence the interval.
const freeCheckInterval = time.Second

func newGuardedStorage(st blob.Storage, minFree int64) *guardedStorage {
	return &guardedStorage{Storage: st, minFree: minFree}
}

func (g *guardedStorage) Close(context.Context) error { return nil }

// FreeSpace returns the free bytes at the destination, if it can tell.
func (g *guardedStorage) FreeSpace(ctx context.Context) (int64, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()

	return g.refreshLocked(ctx, true)
}

func (g *guardedStorage) refreshLocked(ctx context.Context, force bool) (int64, bool) {
	if g.unsupported {
		return 0, false
	}

	if !force && time.Since(g.checked) < freeCheckInterval {
		return g.free, true
	}

	c, err := g.Storage.GetCapacity(ctx)
	if err != nil {
		if errors.Is(err, blob.ErrNotAVolume) {
			g.unsupported = true
		}

		return 0, false
	}

	g.free = int64(c.FreeB) //nolint:gosec // a free byte count fits in int64
	g.checked = time.Now()

	return g.free, true
}

func (g *guardedStorage) PutBlob(ctx context.Context, id blob.ID, data blob.Bytes, opts blob.PutOptions) error {
	n := int64(data.Length())

	g.mu.Lock()
	free, known := g.refreshLocked(ctx, false)

	if known && free-n < g.minFree {
		g.mu.Unlock()

		return &NoSpaceError{Need: n, Free: free, Reserve: g.minFree}
	}

	g.free -= n
	g.mu.Unlock()

	err := g.Storage.PutBlob(ctx, id, data, opts)
	if err != nil && (errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)) {
		g.removeTempFiles(ctx, id)

		return fmt.Errorf("writing %s: %w: %w", id, ErrNoSpace, err)
	}

	if err == nil {
		g.wrote(ctx, id, n)
	}

	return err
}

// removeTempFiles deletes what kopia's filesystem store leaves behind when a
// write fails: it writes <blob>.f.tmp.<random> and renames on success, but
// does not remove the partial file when the disk fills up (and it retries,
// leaving one per attempt). Only sharded local stores have such files.
func (g *guardedStorage) removeTempFiles(ctx context.Context, id blob.ID) {
	sh, ok := g.Storage.(interface {
		GetShardedPathAndFilePath(ctx context.Context, id blob.ID) (string, string, error)
	})
	if !ok {
		return
	}

	_, file, err := sh.GetShardedPathAndFilePath(ctx, id)
	if err != nil {
		return
	}

	matches, _ := filepath.Glob(file + ".tmp.*")
	for _, m := range matches {
		_ = os.Remove(m)
	}
}
