package telegram

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/telegram/tgjson"
)

// location is where an export's parts are: result.json and the folder media paths are relative
// to (the folder holding result.json).
type location struct {
	fsys fs.FS
	file string // result.json (or the file given)
	root string // its folder, "." at the file system's root
	html bool   // an HTML-only export folder
}

// locate finds result.json in a folder source, or takes the file given.
func locate(src importer.Source) (location, error) {
	st, err := src.Stat()
	if err != nil {
		return location{}, err
	}
	if !st.IsDir() {
		return location{fsys: src.FS, file: src.Path, root: path.Dir(src.Path)}, nil
	}
	loc := location{fsys: src.FS, root: src.Path, file: path.Join(src.Path, "result.json")}
	if _, err := fs.Stat(src.FS, loc.file); err == nil {
		return loc, nil
	}
	sub, err := fs.Sub(src.FS, src.Path)
	if err == nil && tgjson.DetectHTML(sub) {
		loc.html = true
		return loc, nil
	}
	return location{}, errors.New("no result.json in this folder")
}

// mediaPath turns a path written in result.json into a path in the file system, refusing any
// that would leave the export folder: absolute paths, "..", and symbolic links on the way.
func (l location) mediaPath(p string) (string, error) {
	p = strings.ReplaceAll(p, "\\", "/")
	if p == "" || strings.HasPrefix(p, "/") || !fs.ValidPath(p) {
		return "", fmt.Errorf("media path %q leaves the export folder", p)
	}
	full := path.Join(l.root, p)
	// Check every component below the export folder: a link could point anywhere.
	cur := l.root
	for _, part := range strings.Split(p, "/") {
		cur = path.Join(cur, part)
		fi, err := fs.Lstat(l.fsys, cur)
		if err != nil { // (file systems without links answer as Stat does)
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return "", fmt.Errorf("media path %q goes through a symbolic link", p)
		}
	}
	return full, nil
}

// openMedia opens a media file of the export.
func (l location) openMedia(p string) (io.ReadCloser, error) {
	full, err := l.mediaPath(p)
	if err != nil {
		return nil, err
	}
	f, err := l.fsys.Open(full)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("media path %q is not a regular file", p)
	}
	return f, nil
}
