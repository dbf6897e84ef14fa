package backup

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// errSymlink is returned when opening a symlink: links in a backup point into the phone's file
// system, and following them could leave the domain.
var errSymlink = errors.New("is a symlink; symlinks are not followed")

// FS returns a read-only file system over one domain's files, named by their path relative to
// the domain ("Library/SMS/sms.db" in "HomeDomain"). Opened files implement io.Seeker and
// io.ReaderAt, so modernc.org/sqlite/vfs can read a database straight out of the backup.
// Symlinks are listed but not followed; Stat reports them as symlinks. Folders that have no
// record of their own but hold recorded files are listed too.
func (b *Backup) FS(domain string) fs.FS { return &domainFS{b: b, domain: domain} }

type domainFS struct {
	b      *Backup
	domain string
}

var (
	_ fs.StatFS    = (*domainFS)(nil)
	_ fs.ReadDirFS = (*domainFS)(nil)
)

// rel turns an fs path into the manifest's relativePath ("." is the domain root, "").
func rel(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return "", nil
	}
	return name, nil
}

// lookup finds the record for name, or a folder implied by records below it. Recent answers
// are remembered (recent.go): an importer stats a media file and a worker opens it moments later.
func (d *domainFS) lookup(op, name string) (fileInfo, error) {
	stmts, err := d.b.lookups() // a closed or locked backup answers nothing, remembered or not
	if err != nil {
		return fileInfo{}, &fs.PathError{Op: op, Path: name, Err: err}
	}
	key := d.domain + "\x00" + name
	if info, found, ok := d.b.recent.get(key); ok {
		if !found {
			return fileInfo{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		return info, nil
	}
	info, err := d.query(stmts, op, name)
	switch {
	case err == nil:
		d.b.recent.put(key, info, true)
	case errors.Is(err, fs.ErrNotExist):
		d.b.recent.put(key, fileInfo{}, false)
	}
	return info, err
}

func (d *domainFS) query(stmts *lookupStmts, op, name string) (fileInfo, error) {
	p, err := rel(op, name)
	if err != nil {
		return fileInfo{}, err
	}
	row := stmts.record.QueryRow(d.domain, p)
	f, err := scanFile(row)
	if err == nil {
		return recordInfo(&f), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fileInfo{}, &fs.PathError{Op: op, Path: name, Err: err}
	}
	// A folder without its own record still exists when something is recorded below it.
	var one int
	lo, hi := childRange(p)
	err = stmts.below.QueryRow(d.domain, lo, hi).Scan(&one)
	if err == nil {
		return fileInfo{name: path.Base(name), mode: fs.ModeDir | 0o555}, nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fileInfo{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return fileInfo{}, &fs.PathError{Op: op, Path: name, Err: err}
}

// childRange bounds the relativePaths strictly below folder p: "p/" < x < "p0" ('0' follows
// '/'); for the root, every non-empty path.
func childRange(p string) (string, string) {
	if p == "" {
		return "", "\U0010FFFF\U0010FFFF"
	}
	return p + "/", p + "0"
}

func recordInfo(f *File) fileInfo {
	name := path.Base(f.Path)
	if f.Path == "" {
		name = "."
	}
	size := f.Size
	if f.IsDir() {
		size = 0
	}
	return fileInfo{name: name, size: size, mode: f.Mode, mtime: f.MTime, rec: f}
}

func (d *domainFS) Stat(name string) (fs.FileInfo, error) {
	return d.lookup("stat", name)
}

func (d *domainFS) Open(name string) (fs.File, error) {
	info, err := d.lookup("open", name)
	if err != nil {
		return nil, err
	}
	switch {
	case info.IsDir():
		return &dirFile{fsys: d, name: name, info: info}, nil
	case info.mode&fs.ModeSymlink != 0:
		return nil, &fs.PathError{Op: "open", Path: name, Err: errSymlink}
	case !info.mode.IsRegular():
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("not a regular file (mode %v)", info.mode)}
	}
	f, err := d.b.openContent(info)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f, nil
}

// openContent opens the stored content of a regular file: <dir>/<id[:2]>/<id>.
func (b *Backup) openContent(info fileInfo) (*openFile, error) {
	rec := info.rec
	if rec.Size == 0 {
		// Empty files are served without their content file, which holds at most padding.
		return &openFile{r: emptyReader{}, info: info}, nil
	}
	if len(rec.ID) != 40 || strings.Trim(rec.ID, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("record has a bad fileID %q", rec.ID)
	}
	p := filepath.Join(b.dir, rec.ID[:2], rec.ID)
	f, err := os.Open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("content %s/%s is missing from the backup: %w", rec.ID[:2], rec.ID, fs.ErrNotExist)
		}
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if b.kb == nil {
		// Plain content is served as stored. Its length can differ from the record's Size
		// (trimmed test backups replace files), and the bytes on disk are the truth.
		info.size = st.Size()
		return &openFile{r: f, closer: f, info: info}, nil
	}
	if rec.WrappedKey == nil {
		f.Close()
		return nil, fmt.Errorf("record of an encrypted backup has no EncryptionKey")
	}
	key, err := b.kb.unwrapWithClass(rec.WrappedKey, "EncryptionKey")
	if err == nil && len(key) != 32 {
		err = fmt.Errorf("EncryptionKey unwraps to %d bytes, want 32", len(key))
	}
	var r *cbcReader
	if err == nil {
		r, err = newCBCReader(f, key, rec.Size, rec.ID)
	}
	if err == nil {
		err = r.checkPadding(st.Size())
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &openFile{r: r, closer: f, info: info}, nil
}

func (d *domainFS) ReadDir(name string) ([]fs.DirEntry, error) {
	info, err := d.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a folder")}
	}
	p, _ := rel("readdir", name)
	db, err := d.b.manifestDB()
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	lo, hi := childRange(p)
	// Only direct children need their record decoded; deeper rows just name a subfolder.
	rows, err := db.Query(`SELECT relativePath, flags,
		CASE WHEN instr(substr(relativePath, ?4), '/') = 0 THEN file END
		FROM Files WHERE domain = ?1 AND relativePath > ?2 AND relativePath < ?3`,
		d.domain, lo, hi, utf8.RuneCountInString(lo)+1)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	defer rows.Close()
	children := map[string]fs.DirEntry{}
	for rows.Next() {
		var rp string
		var flags sql.NullInt64
		var blob []byte
		if err := rows.Scan(&rp, &flags, &blob); err != nil {
			return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
		}
		sub := strings.TrimPrefix(rp, lo)
		if sub == "" {
			continue
		}
		base, deeper, _ := strings.Cut(sub, "/")
		childPath := path.Join(p, base)
		if deeper != "" || strings.HasSuffix(sub, "/") {
			if _, seen := children[base]; !seen {
				children[base] = &dirEntry{fsys: d, path: childPath, name: base, typ: fs.ModeDir}
			}
			continue
		}
		f, err := makeFile("", d.domain, rp, int(flags.Int64), blob)
		if err != nil {
			return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
		}
		children[base] = &dirEntry{fsys: d, path: childPath, name: base, typ: f.Mode.Type()}
	}
	if err := rows.Err(); err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	out := make([]fs.DirEntry, 0, len(children))
	for _, e := range children {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

type dirEntry struct {
	fsys *domainFS
	path string
	name string
	typ  fs.FileMode
}

func (e *dirEntry) Name() string               { return e.name }
func (e *dirEntry) IsDir() bool                { return e.typ.IsDir() }
func (e *dirEntry) Type() fs.FileMode          { return e.typ }
func (e *dirEntry) Info() (fs.FileInfo, error) { return e.fsys.Stat(e.path) }

// dirFile is an opened folder.
type dirFile struct {
	fsys    *domainFS
	name    string
	info    fileInfo
	entries []fs.DirEntry
	read    bool
}

func (f *dirFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: f.name, Err: errors.New("is a folder")}
}
func (f *dirFile) Close() error { return nil }

func (f *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if !f.read {
		es, err := f.fsys.ReadDir(f.name)
		if err != nil {
			return nil, err
		}
		f.entries, f.read = es, true
	}
	if n <= 0 {
		es := f.entries
		f.entries = nil
		return es, nil
	}
	if len(f.entries) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(f.entries))
	es := f.entries[:n]
	f.entries = f.entries[n:]
	return es, nil
}
