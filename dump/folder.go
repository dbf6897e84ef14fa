package dump

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chatvault/chatvault/internal/tree"
)

// WriteFolder writes a dump tree as plain files under dir: a readable copy of the archive for
// people and other programs, and what tests compare.
func WriteFolder(ctx context.Context, root tree.Dir, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return root.Entries(ctx, func(e tree.Entry) error {
		p := filepath.Join(dir, e.Name())
		switch e := e.(type) {
		case tree.Dir:
			return WriteFolder(ctx, e, p)
		case tree.File:
			r, err := e.Open(ctx)
			if err != nil {
				return err
			}
			defer r.Close()
			f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if err != nil {
				return err
			}
			if _, err := io.Copy(f, r); err != nil {
				f.Close()
				return fmt.Errorf("write %s: %w", p, err)
			}
			return f.Close()
		}
		return fmt.Errorf("unknown entry %T", e)
	})
}

// Folder reads a dump from plain files.
type Folder string

// Open opens a file of the dump; paths that would leave the folder are refused.
func (f Folder) Open(_ context.Context, p string) (io.ReadCloser, error) {
	if strings.Contains(p, "..") || strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("invalid path %q in dump", p)
	}
	return os.Open(filepath.Join(string(f), filepath.FromSlash(p)))
}

// List names the entries of a folder of the dump.
func (f Folder) List(ctx context.Context, dir string) ([]string, error) {
	r, err := f.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	r.Close()
	entries, err := os.ReadDir(filepath.Join(string(f), filepath.FromSlash(dir)))
	if err != nil {
		return nil, err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, nil
}
