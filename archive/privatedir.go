package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofrs/flock"
)

// Private folders hold what a running process has not committed yet: media files being staged,
// bytes an importer decrypted. Each process makes its own, with a lock file beside it that it holds
// while it lives. A folder whose lock nobody holds was left by a process that died (SIGKILL,
// power loss), and the next process to open the archive removes it: nothing is kept by a dead
// import, and nothing of a running one is touched.

type privateDir struct {
	path string
	lock *flock.Flock
}

func newPrivateDir(parent, prefix string) (*privateDir, error) {
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return nil, err
	}
	lock := flock.New(dir + ".lock")
	if ok, err := lock.TryLock(); err != nil || !ok {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("lock %s: %v", dir, err)
	}
	return &privateDir{path: dir, lock: lock}, nil
}

// remove deletes the folder and releases its lock.
func (d *privateDir) remove() error {
	err := os.RemoveAll(d.path)
	d.lock.Unlock()
	os.Remove(d.lock.Path())
	return err
}

// removeAbandoned removes the private folders (and loose files) under parent whose lock no living
// process holds. It returns how many it removed.
func removeAbandoned(parent string, before func(dir string) bool) (int, error) {
	entries, err := os.ReadDir(parent)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".lock") {
			continue
		}
		p := filepath.Join(parent, name)
		lock := flock.New(p + ".lock")
		ok, err := lock.TryLock()
		if err != nil || !ok {
			continue // a running process's
		}
		if before != nil && !before(p) {
			lock.Unlock()
			continue // kept for a later process
		}
		if os.RemoveAll(p) == nil {
			n++
		}
		lock.Unlock()
		os.Remove(lock.Path())
	}
	return n, nil
}

// PrivateTemp makes a private folder inside the archive folder for bytes an import must not
// leave anywhere else (decrypted databases). The caller removes it with os.RemoveAll; if the
// process dies first, the next Open removes it.
func (a *Archive) PrivateTemp(prefix string) (string, error) {
	d, err := newPrivateDir(filepath.Join(a.dir, "tmp"), prefix)
	if err != nil {
		return "", fmt.Errorf("archive %s: private temporary folder: %w", a.dir, err)
	}
	a.tempMu.Lock()
	a.temps = append(a.temps, d)
	a.tempMu.Unlock()
	return d.path, nil
}

// Leftovers removes what dead processes left in the archive folder (staged media, media files
// published for an import that never committed, decrypted temporary files) and says how many
// folders it removed.
func (a *Archive) Leftovers() (int, error) {
	n1, err := removeAbandoned(filepath.Join(a.dir, "tmp"), nil)
	if err != nil {
		return n1, err
	}
	n2, err := removeAbandoned(filepath.Join(a.media.root, ".tmp"), a.undoPublished)
	return n1 + n2, err
}

// Leftover is a private folder (or loose file) a dead process left, found without removing it.
type Leftover struct {
	Path  string `json:"path"`
	Files int    `json:"files"`
	Bytes int64  `json:"bytes"`
}

// findAbandoned lists what removeAbandoned would remove, touching nothing a process holds. A lock
// file it had to create to test the lock is removed again.
func findAbandoned(parent string) ([]Leftover, error) {
	entries, err := os.ReadDir(parent)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Leftover
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".lock") {
			continue
		}
		p := filepath.Join(parent, name)
		_, statErr := os.Stat(p + ".lock")
		lock := flock.New(p + ".lock")
		ok, err := lock.TryLock()
		if err != nil || !ok {
			continue // a running process's
		}
		lo := Leftover{Path: p}
		filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error { //nolint:errcheck // counting only
			if err == nil && d.Type().IsRegular() {
				lo.Files++
				if info, err := d.Info(); err == nil {
					lo.Bytes += info.Size()
				}
			}
			return nil
		})
		out = append(out, lo)
		lock.Unlock()
		if statErr != nil {
			os.Remove(lock.Path())
		}
	}
	return out, nil
}

// FindLeftovers lists what dead processes left in the archive folder at dir, without removing
// it (Leftovers, called by every Open, removes it).
func FindLeftovers(dir string) ([]Leftover, error) {
	a, err := findAbandoned(filepath.Join(dir, "tmp"))
	if err != nil {
		return a, err
	}
	b, err := findAbandoned(filepath.Join(dir, "media", ".tmp"))
	return append(a, b...), err
}
