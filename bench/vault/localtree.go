// Package vaultbench measures the vault: backup throughput of media files
// against kopia's own CLI on the same files with the same settings, and the
// peak memory of a backup and of a full restore. See README.md.
package vaultbench

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/chatvault/chatvault/vault"
)

// LocalTree presents a folder on disk as a vault.Dir, the way the archive's
// media store is backed up: sizes and times from stat, so unchanged files
// are never reopened.
func LocalTree(path string) (vault.Dir, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}

	return localDir{path: path, info: st}, nil
}

type localDir struct {
	path string
	info os.FileInfo
}

func (d localDir) Name() string       { return d.info.Name() }
func (d localDir) ModTime() time.Time { return d.info.ModTime() }

func (d localDir) Entries(ctx context.Context, fn func(vault.Entry) error) error {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return err
	}

	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })

	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}

		info, err := e.Info()
		if err != nil {
			return err
		}

		p := filepath.Join(d.path, e.Name())

		switch {
		case info.IsDir():
			err = fn(localDir{path: p, info: info})
		case info.Mode().IsRegular():
			err = fn(localFile{path: p, info: info})
		}

		if err != nil {
			return err
		}
	}

	return nil
}

type localFile struct {
	path string
	info os.FileInfo
}

func (f localFile) Name() string       { return f.info.Name() }
func (f localFile) ModTime() time.Time { return f.info.ModTime() }
func (f localFile) Size() int64        { return f.info.Size() }

func (f localFile) Open(context.Context) (io.ReadCloser, error) { return os.Open(f.path) }
