package watch

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// partialSuffixes are the names browsers and download tools give a file while it is still being
// downloaded (Chrome/Edge .crdownload, Firefox .part, Safari .download, Opera .opdownload, and
// generic temporaries). They are never imported; the finished file gets its real name.
var partialSuffixes = []string{".crdownload", ".part", ".partial", ".download", ".opdownload", ".tmp", ".temp"}

// ignored says whether a name is never looked at: partial downloads, hidden files and Office
// lock files.
func ignored(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
		return true
	}
	return isPartial(name)
}

func isPartial(name string) bool {
	lower := strings.ToLower(name)
	for _, s := range partialSuffixes {
		if strings.HasSuffix(lower, s) {
			return true
		}
	}
	return false
}

// hasPartialSibling says whether a download of name is still running beside it: Firefox creates
// the final name empty and writes to name.part until it is done.
func hasPartialSibling(name string, names map[string]bool) bool {
	for _, s := range partialSuffixes {
		if names[name+s] {
			return true
		}
	}
	return false
}

// fingerprint is what a file or export folder looks like now; while it changes, the file is
// still being written.
type fingerprint struct {
	size  int64
	mtime int64 // newest modification, Unix nanoseconds
	files int   // folders: how many files are inside
}

// look takes the fingerprint of a file, or of a folder with everything inside it.
func look(path string, info fs.FileInfo) (fingerprint, error) {
	if !info.IsDir() {
		return fingerprint{size: info.Size(), mtime: info.ModTime().UnixNano(), files: 1}, nil
	}
	fp := fingerprint{mtime: info.ModTime().UnixNano()}
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		i, err := d.Info()
		if err != nil {
			return err
		}
		if i.Mode().IsRegular() {
			fp.size += i.Size()
			fp.files++
		}
		fp.mtime = max(fp.mtime, i.ModTime().UnixNano())
		return nil
	})
	return fp, err
}

// readable says whether the file can be opened now: on Windows a file another program is still
// writing usually cannot be.
func readable(path string, dir bool) bool {
	if dir {
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// digest is the SHA-256 of a file's content, or, for a folder, of its files' relative paths,
// sizes and contents in name order: the same export is recognised under any name.
func digest(path string, dir bool) (string, error) {
	if !dir {
		return fileDigest(path)
	}
	type entry struct {
		rel  string
		size int64
	}
	var entries []entry
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		i, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(path, p)
		entries = append(entries, entry{filepath.ToSlash(rel), i.Size()})
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].rel < entries[j].rel })
	h := sha256.New()
	for _, e := range entries {
		d, err := fileDigest(filepath.Join(path, filepath.FromSlash(e.rel)))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%s\n", e.rel, e.size, d)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func fileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// unchanged says whether a decided file still looks as it did: for a file its size and
// modification time, for a folder its own modification time (which changes when something is
// added to or removed from it), so settled folders are not walked on every poll.
func (f *File) unchanged(info fs.FileInfo) bool {
	if !f.ModTime.Equal(info.ModTime()) {
		return false
	}
	return info.IsDir() || f.Size == info.Size()
}
