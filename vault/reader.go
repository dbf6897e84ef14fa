package vault

import (
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kopia/kopia/fs"
	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/snapshot"
	"github.com/kopia/kopia/snapshot/snapshotfs"
)

// EntryInfo describes a file or directory inside a snapshot.
type EntryInfo struct {
	Name    string    `json:"name"`
	Path    string    `json:"path"` // slash path from the snapshot root, no leading slash
	IsDir   bool      `json:"isDir"`
	Size    int64     `json:"size"` // for a directory, the total size of its files
	ModTime time.Time `json:"modTime"`
}

// SnapshotReader reads files straight out of a snapshot, without restoring
// it: restore streams each file to its place, and the viewer browses a
// snapshot in place. Reads are random access. Safe for concurrent use.
type SnapshotReader struct {
	v    *Vault
	rep  repo.Repository
	info SnapshotInfo
	root fs.Directory

	// dirs remembers the last directories looked up: kopia decodes a directory's whole listing
	// each time a fresh directory object is asked for a child, so reading the files of one folder
	// one by one would decode it once per file.
	mu   sync.Mutex
	dirs []cachedDir
}

type cachedDir struct {
	path string
	dir  fs.Directory
}

const cachedDirs = 8

func (r *SnapshotReader) cachedDir(p string) (fs.Directory, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.dirs {
		if c.path == p {
			return c.dir, true
		}
	}
	return nil, false
}

func (r *SnapshotReader) rememberDir(p string, d fs.Directory) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.dirs {
		if c.path == p {
			return
		}
	}
	if len(r.dirs) == cachedDirs {
		r.dirs = r.dirs[1:]
	}
	r.dirs = append(r.dirs, cachedDir{p, d})
}

// OpenSnapshot opens a snapshot by ID, unique ID prefix, or "latest".
func (v *Vault) OpenSnapshot(ctx context.Context, id string) (*SnapshotReader, error) {
	m, err := v.findSnapshot(ctx, v.rep, id)
	if err != nil {
		return nil, err
	}

	return newSnapshotReader(v, v.rep, m)
}

func newSnapshotReader(v *Vault, rep repo.Repository, m *snapshot.Manifest) (*SnapshotReader, error) {
	root, err := snapshotfs.SnapshotRoot(rep, m)
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", m.ID, err)
	}

	dir, ok := root.(fs.Directory)
	if !ok {
		return nil, fmt.Errorf("snapshot %s: root is not a directory", m.ID)
	}

	return &SnapshotReader{v: v, rep: rep, info: snapshotInfo(m), root: dir}, nil
}

// Info describes the snapshot being read.
func (r *SnapshotReader) Info() SnapshotInfo { return r.info }

// Close releases the reader. Files opened from it must be closed separately.
func (r *SnapshotReader) Close() error { return nil }

// cleanPath turns "", ".", "/" into the root and rejects paths that would
// climb out of it.
func cleanPath(p string) ([]string, string, error) {
	if strings.ContainsRune(p, 0) {
		return nil, "", fmt.Errorf("invalid path %q", p)
	}

	c := strings.TrimPrefix(path.Clean("/"+p), "/")
	if c == "" {
		return nil, "", nil
	}

	return strings.Split(c, "/"), c, nil
}

func (r *SnapshotReader) lookup(ctx context.Context, p string) (fs.Entry, string, error) {
	if err := r.v.usable(); err != nil {
		return nil, "", err
	}

	parts, clean, err := cleanPath(p)
	if err != nil {
		return nil, "", err
	}

	var cur fs.Entry = r.root

	start := 0
	for i := len(parts) - 1; i > 0; i-- {
		if d, ok := r.cachedDir(strings.Join(parts[:i], "/")); ok {
			cur, start = d, i
			break
		}
	}

	for i := start; i < len(parts); i++ {
		part := parts[i]
		dir, ok := cur.(fs.Directory)
		if !ok {
			return nil, "", fmt.Errorf("%s: %w (%s is a file)", clean, ErrNotFound, strings.Join(parts[:i], "/"))
		}

		e, err := dir.Child(ctx, part)
		if err != nil {
			if errors.Is(err, fs.ErrEntryNotFound) {
				return nil, "", fmt.Errorf("%s: %w", clean, ErrNotFound)
			}

			return nil, "", fmt.Errorf("reading %s: %w", strings.Join(parts[:i], "/"), err)
		}

		if d, ok := e.(fs.Directory); ok && i < len(parts)-1 {
			r.rememberDir(strings.Join(parts[:i+1], "/"), d)
		}

		cur = e
	}

	return cur, clean, nil
}

func entryInfo(e fs.Entry, p string) EntryInfo {
	name := ""
	if p != "" {
		name = path.Base(p)
	}

	return EntryInfo{
		Name:    name,
		Path:    p,
		IsDir:   e.IsDir(),
		Size:    e.Size(),
		ModTime: e.ModTime().UTC(),
	}
}

// Stat describes the entry at p.
func (r *SnapshotReader) Stat(ctx context.Context, p string) (EntryInfo, error) {
	e, clean, err := r.lookup(r.v.kctx(ctx), p)
	if err != nil {
		return EntryInfo{}, err
	}

	return entryInfo(e, clean), nil
}

// ReadDir lists the directory at p in name order.
func (r *SnapshotReader) ReadDir(ctx context.Context, p string) ([]EntryInfo, error) {
	ctx = r.v.kctx(ctx)

	e, clean, err := r.lookup(ctx, p)
	if err != nil {
		return nil, err
	}

	dir, ok := e.(fs.Directory)
	if !ok {
		return nil, fmt.Errorf("%s: not a directory", clean)
	}

	return readDir(ctx, dir, clean)
}

func readDir(ctx context.Context, dir fs.Directory, clean string) ([]EntryInfo, error) {
	// Kopia returns a directory's entries in map order; sort them.
	entries, err := fs.GetAllEntries(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("reading directory %q: %w", clean, err)
	}

	out := make([]EntryInfo, len(entries))
	for i, c := range entries {
		out[i] = entryInfo(c, path.Join(clean, c.Name()))
	}

	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })

	return out, nil
}

// Open opens the file at p for reading and returns its size.
func (r *SnapshotReader) Open(ctx context.Context, p string) (io.ReadSeekCloser, int64, error) {
	ctx = r.v.kctx(ctx)

	e, clean, err := r.lookup(ctx, p)
	if err != nil {
		return nil, 0, err
	}

	f, ok := e.(fs.File)
	if !ok {
		return nil, 0, fmt.Errorf("%s: not a file", clean)
	}

	rd, err := f.Open(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("opening %s: %w", clean, err)
	}

	return rd, f.Size(), nil
}

// Walk calls fn for p and everything below it, depth first in name order,
// each directory before its contents. Returning io/fs.SkipDir from fn for a
// directory skips its contents; any other error stops the walk.
func (r *SnapshotReader) Walk(ctx context.Context, p string, fn func(EntryInfo) error) error {
	ctx = r.v.kctx(ctx)

	e, clean, err := r.lookup(ctx, p)
	if err != nil {
		return err
	}

	err = walk(ctx, e, clean, fn)
	if errors.Is(err, iofs.SkipDir) {
		return nil
	}

	return err
}

func walk(ctx context.Context, e fs.Entry, p string, fn func(EntryInfo) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}

	if err := fn(entryInfo(e, p)); err != nil {
		return err
	}

	dir, ok := e.(fs.Directory)
	if !ok {
		return nil
	}

	entries, err := fs.GetAllEntries(ctx, dir)
	if err != nil {
		return fmt.Errorf("reading directory %q: %w", p, err)
	}

	fs.Sort(entries)

	for _, c := range entries {
		err := walk(ctx, c, path.Join(p, c.Name()), fn)
		if errors.Is(err, iofs.SkipDir) && c.IsDir() {
			continue
		}

		if err != nil {
			return err
		}
	}

	return nil
}
