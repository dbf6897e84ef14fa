package wadb

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/chatvault/chatvault/importer"
)

// androidFiles is where a msgstore.db and what belongs to it are inside a source.
type androidFiles struct {
	msgstore string // plain or encrypted
	wadb     string // wa.db (plain or encrypted) beside it, "" if none
	root     string // the WhatsApp folder (Media/ inside it), "" when not reachable
}

var (
	msgstoreName = regexp.MustCompile(`^msgstore(-\d{4}-\d{2}-\d{2}\.\d+)?\.db(\.crypt1[245])?$`)
	sqliteMagic  = []byte("SQLite format 3\x00")
)

func isEncrypted(name string) bool { return strings.Contains(path.Base(name), ".crypt1") }

// locateAndroid finds the msgstore of a source: the file itself, or inside a WhatsApp folder
// (Databases/msgstore.db…) or a Databases folder. A plain msgstore.db wins over backups; among
// backups the undated one, then the newest dated one.
func locateAndroid(src importer.Source) (androidFiles, bool) {
	st, err := src.Stat()
	if err != nil {
		return androidFiles{}, false
	}
	if !st.IsDir() {
		dir := path.Dir(src.Path)
		f := androidFiles{msgstore: src.Path, wadb: sibling(src.FS, dir, "wa.db")}
		if path.Base(dir) == "Databases" {
			f.root = path.Dir(dir)
		}
		return f, true
	}
	dbDir, root := src.Path, ""
	if isDir(src.FS, join(src.Path, "Databases")) {
		dbDir, root = join(src.Path, "Databases"), src.Path
	} else if path.Base(src.Path) == "Databases" {
		root = path.Dir(src.Path)
	} else if isDir(src.FS, join(src.Path, "Media")) {
		root = src.Path
	}
	entries, err := fs.ReadDir(src.FS, dbDir)
	if err != nil {
		return androidFiles{}, false
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && msgstoreName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return androidFiles{}, false
	}
	sort.Slice(names, func(i, j int) bool { return msgstoreRank(names[i]) > msgstoreRank(names[j]) })
	return androidFiles{msgstore: join(dbDir, names[0]), wadb: sibling(src.FS, dbDir, "wa.db"), root: root}, true
}

// msgstoreRank orders candidates: plain first, then the undated backup, then dated ones by date.
func msgstoreRank(name string) string {
	switch {
	case !isEncrypted(name):
		return "3" + name
	case strings.HasPrefix(name, "msgstore.db"):
		return "2" + name
	}
	return "1" + name
}

func sibling(fsys fs.FS, dir, name string) string {
	for _, n := range []string{name, name + ".crypt15", name + ".crypt14", name + ".crypt12"} {
		p := join(dir, n)
		if st, err := fs.Stat(fsys, p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

func join(dir, name string) string {
	if dir == "." || dir == "" {
		return name
	}
	return dir + "/" + name
}

func isDir(fsys fs.FS, p string) bool {
	st, err := fs.Stat(fsys, p)
	return err == nil && st.IsDir()
}

// head reads up to n bytes from the start of a file.
func head(fsys fs.FS, p string, n int) []byte {
	f, err := fsys.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	b := make([]byte, n)
	k, _ := io.ReadFull(f, b)
	return b[:k]
}

// sqliteWith reports whether a file is a SQLite database whose first bytes (the schema usually
// sits in the first pages) mention every one of words.
func sqliteWith(fsys fs.FS, p string, words ...string) bool {
	b := head(fsys, p, 64<<10)
	if !bytes.HasPrefix(b, sqliteMagic) {
		return false
	}
	for _, w := range words {
		if !bytes.Contains(b, []byte(w)) {
			return false
		}
	}
	return true
}
