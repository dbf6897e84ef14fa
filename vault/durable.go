package vault

import (
	"context"
	"fmt"
	"strings"

	"github.com/kopia/kopia/repo/blob"

	"github.com/chatvault/chatvault/internal/syncfs"
)

// durableStorage makes a folder vault survive a power cut or a drive pulled out right after a
// backup. Kopia's filesystem store writes each blob to a temporary file and renames it, without
// syncing, so the operating system may put an index on the disk before the packs it names.
// Before writing any blob that is not a pack (index, session marker, format, key slot) this
// wrapper flushes the filesystem, so whatever refers to packs lands after them; Close flushes
// again, so a finished backup is on the drive when chatvault says it is done.
type durableStorage struct {
	blob.Storage
	dir   string
	flush func(dir string) error // syncfs.Dir; a test records the calls
}

func (s durableStorage) sync() error {
	if s.flush == nil {
		return syncfs.Dir(s.dir)
	}

	return s.flush(s.dir)
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

	return s.Storage.PutBlob(ctx, id, data, opts) //nolint:wrapcheck
}

func (s durableStorage) Close(ctx context.Context) error {
	err := s.sync()
	if cerr := s.Storage.Close(ctx); err == nil {
		err = cerr
	}

	return err
}

// GetShardedPathAndFilePath passes through what the filesystem store tells about where a blob
// lives (the disk-full cleanup in guardedStorage needs it).
func (s durableStorage) GetShardedPathAndFilePath(ctx context.Context, id blob.ID) (string, string, error) {
	sh, ok := s.Storage.(interface {
		GetShardedPathAndFilePath(ctx context.Context, id blob.ID) (string, string, error)
	})
	if !ok {
		return "", "", fmt.Errorf("%s: not a sharded store", s.dir)
	}

	return sh.GetShardedPathAndFilePath(ctx, id) //nolint:wrapcheck
}
