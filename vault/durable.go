package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/kopia/kopia/repo/blob"

	"github.com/chatvault/chatvault/internal/syncfs"
)

// durableStorage makes a folder vault survive a power cut or a drive pulled out right after a
// backup. Kopia's filesystem store writes each blob to a temporary file and renames it, without
// syncing, so the operating system may put an index on the disk before the packs it names.
// Before writing any blob that is not a pack (index, session marker, format, key slot) this
// wrapper makes durable every blob written since the last time, so whatever refers to packs lands
// after them; Close does it again, so a finished backup is on the drive when chatvault says it is
// done.
//
// It syncs the files it wrote and their folders, not the whole filesystem (syncfs): with a vault
// on the system disk, syncfs waited for every other program's unwritten data too. Measured with
// 2.5 GB of another program's data not yet written: a backup with nothing new took 1.5-1.65 s
// instead of 0.5 s, kopia's own 0.8-0.9 s.
type durableStorage struct {
	blob.Storage
	dir     string
	pending *pendingBlobs
	flush   func(files, dirs []string) error // syncFiles; a test records the calls
}

func newDurableStorage(st blob.Storage, dir string) durableStorage {
	return durableStorage{Storage: st, dir: dir, pending: &pendingBlobs{dirs: map[string]bool{}}}
}

// pendingBlobs is what was written or removed since the last sync.
type pendingBlobs struct {
	mu    sync.Mutex
	files []string
	dirs  map[string]bool
	whole bool // a path was not known: sync the whole filesystem instead
}

// add notes a blob's file (empty when it was removed) and its folder, and the folders above it
// up to the vault's own: kopia makes shard folders as it needs them, and a new folder's entry in
// its parent must be durable too.
func (p *pendingBlobs) add(file, dir, root string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if file != "" {
		p.files = append(p.files, file)
	}
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		p.dirs[d] = true
		if d == filepath.Clean(root) || d == filepath.Dir(d) || !strings.HasPrefix(d, filepath.Clean(root)) {
			break
		}
	}
}

func (s durableStorage) note(ctx context.Context, id blob.ID, written bool) {
	dir, file, err := s.GetShardedPathAndFilePath(ctx, id)
	if err != nil {
		s.pending.mu.Lock()
		s.pending.whole = true
		s.pending.mu.Unlock()
		return
	}
	if !written {
		file = ""
	} else if isPack(id) {
		// Packs are made durable in a batch, before the next index; their write-out starts now,
		// so that batch waits for the last packs rather than for all of them.
		syncfs.StartWritebackPath(file)
	}
	s.pending.add(file, dir, s.dir)
}

func (s durableStorage) sync() error {
	p := s.pending
	p.mu.Lock()
	files, whole := p.files, p.whole
	dirs := make([]string, 0, len(p.dirs))
	for d := range p.dirs {
		dirs = append(dirs, d)
	}
	p.files, p.dirs, p.whole = nil, map[string]bool{}, false
	p.mu.Unlock()
	if whole {
		return syncfs.Dir(s.dir)
	}
	if s.flush != nil {
		return s.flush(files, dirs)
	}
	return syncFiles(files, dirs)
}

// syncFiles makes the files' contents and the folders' entries (the renames that put the
// files there) durable. A file removed since it was written needs nothing.
func syncFiles(files, dirs []string) error {
	for _, f := range files {
		if err := syncPath(f, os.O_RDWR); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if runtime.GOOS == "windows" {
		return nil // Windows cannot open a folder to flush it; its renames are journaled by NTFS
	}
	for _, d := range dirs {
		if err := syncPath(d, os.O_RDONLY); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func syncPath(path string, flag int) error {
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// isPack reports whether a blob holds contents (kopia's p and q packs): the blobs every other
// blob refers to.
func isPack(id blob.ID) bool {
	return strings.HasPrefix(string(id), "p") || strings.HasPrefix(string(id), "q")
}

func (s durableStorage) PutBlob(ctx context.Context, id blob.ID, data blob.Bytes, opts blob.PutOptions) error {
	if !isPack(id) {
		if err := s.sync(); err != nil {
			return fmt.Errorf("flushing %s to disk: %w", s.dir, err)
		}
	}
	if err := s.Storage.PutBlob(ctx, id, data, opts); err != nil {
		return err //nolint:wrapcheck
	}
	s.note(ctx, id, true)
	return nil
}

func (s durableStorage) DeleteBlob(ctx context.Context, id blob.ID) error {
	if err := s.Storage.DeleteBlob(ctx, id); err != nil {
		return err //nolint:wrapcheck
	}
	s.note(ctx, id, false)
	return nil
}

func (s durableStorage) Close(ctx context.Context) error {
	err := s.sync()
	if cerr := s.Storage.Close(ctx); err == nil {
		err = cerr
	}

	return err
}

// GetShardedPathAndFilePath passes through what the filesystem store tells about where a blob
// lives (the disk-full cleanup in guardedStorage needs it, and so does sync).
func (s durableStorage) GetShardedPathAndFilePath(ctx context.Context, id blob.ID) (string, string, error) {
	sh, ok := s.Storage.(interface {
		GetShardedPathAndFilePath(ctx context.Context, id blob.ID) (string, string, error)
	})
	if !ok {
		return "", "", fmt.Errorf("%s: not a sharded store", s.dir)
	}

	return sh.GetShardedPathAndFilePath(ctx, id) //nolint:wrapcheck
}
