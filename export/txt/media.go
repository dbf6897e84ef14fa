package txt

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// namer gives each media file of an export a plain, unique name: the attachment's own name made
// safe (so "IMG-20240303-WA0001.jpg" stays itself and the export re-imports with the same names),
// or one made from the content when the attachment has none. Two different files with the same
// name get " (2)", " (3)" before the extension.
type namer struct {
	used   map[string]string // name -> sha256
	taken  func(name string) bool
	prefer map[string]string // sha256 -> name already given
}

func newNamer(taken func(string) bool, reserved ...string) *namer {
	n := &namer{used: map[string]string{}, taken: taken, prefer: map[string]string{}}
	for _, r := range reserved {
		n.used[strings.ToLower(r)] = "-"
	}
	return n
}

// name returns the name for an attachment and whether the file still has to be written.
func (n *namer) name(a archive.Attachment) (string, bool) {
	base := a.FileName
	if strings.TrimSpace(base) == "" {
		ext, _ := export.SafeType(a.MIME, "")
		base = fmt.Sprintf("%s-%s.%s", strings.ToUpper(string(a.Kind)), a.SHA256[:12], ext)
	}
	base = export.FileName(base)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for i := 1; ; i++ {
		cand := base
		if i > 1 {
			cand = fmt.Sprintf("%s (%d)%s", stem, i, ext)
		}
		key := strings.ToLower(cand) // case-insensitive file systems
		switch sha, ok := n.used[key]; {
		case ok && sha == a.SHA256:
			return cand, false
		case ok:
			continue
		case n.taken != nil && n.taken(cand):
			n.used[key] = "-"
			continue
		}
		n.used[key] = a.SHA256
		return cand, true
	}
}

// folderMedia copies media files into a folder as the text names them.
type folderMedia struct {
	a     *archive.Archive
	dir   string
	names *namer
	files int
	bytes int64
}

func newFolderMedia(a *archive.Archive, dir string, reserved ...string) *folderMedia {
	f := &folderMedia{a: a, dir: dir}
	f.names = newNamer(func(name string) bool {
		_, err := os.Lstat(filepath.Join(dir, name))
		return err == nil
	}, reserved...)
	return f
}

func (f *folderMedia) Add(a archive.Attachment) (string, error) {
	name, write := f.names.name(a)
	if !write {
		return name, nil
	}
	src, err := f.a.OpenMedia(a.SHA256)
	if errors.Is(err, fs.ErrNotExist) {
		return name, nil // the text still names it; the importer will call it "not in export"
	}
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, err := os.OpenFile(filepath.Join(f.dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return "", err
	}
	n, err := io.Copy(dst, src)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("copy %s: %w", name, err)
	}
	f.files++
	f.bytes += n
	return name, nil
}

// zipMedia remembers the files the text names; they are added to the zip after the text.
type zipMedia struct {
	names *namer
	files []zipFile
}

type zipFile struct{ name, sha string }

func newZipMedia(reserved ...string) *zipMedia {
	return &zipMedia{names: newNamer(nil, reserved...)}
}

func (z *zipMedia) Add(a archive.Attachment) (string, error) {
	name, write := z.names.name(a)
	if write {
		z.files = append(z.files, zipFile{name, a.SHA256})
	}
	return name, nil
}
