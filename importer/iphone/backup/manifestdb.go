package backup

import (
	"cmp"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"modernc.org/sqlite/vfs"

	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver, as chatvault opens it
)

// manifestFS serves the one file "Manifest.db" to SQLite through modernc.org/sqlite/vfs: the
// plain file, or the encrypted one decrypted block by block. The VFS is read-only and the
// database is opened immutable, so SQLite creates no -wal, -shm or journal in the backup.
type manifestFS struct {
	open func() (fs.File, error)
}

func (m manifestFS) Open(name string) (fs.File, error) {
	if name != "Manifest.db" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return m.open()
}

// openManifestDB opens Manifest.db read-only; key is the Manifest.db key of an encrypted
// backup, nil for a plain file.
func (b *Backup) openManifestDB(key []byte) error {
	path := filepath.Join(b.dir, "Manifest.db")
	// A non-empty -wal holds changes not yet in Manifest.db (a backup still being written or
	// interrupted); reading without it would give a stale, maybe inconsistent list.
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		return fmt.Errorf("iPhone backup %s: Manifest.db-wal holds unsaved changes (is a backup running?); let Finder finish or redo the backup", b.dir)
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("iPhone backup %s: %w", b.dir, err)
	}
	size := st.Size()
	info := fileInfo{name: "Manifest.db", size: size, mode: 0o444, mtime: st.ModTime()}
	open := func() (fs.File, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		return &openFile{r: f, closer: f, info: info}, nil
	}
	if key != nil {
		if size%16 != 0 || size < 512 {
			return fmt.Errorf("iPhone backup %s: encrypted Manifest.db is %d bytes, not a whole number of AES blocks holding a database", b.dir, size)
		}
		// SQLite files are whole pages (>= 512 bytes), so a ciphertext 16 bytes past a
		// page multiple carries one block of PKCS#7 padding; otherwise there is none.
		if size%512 == 16 {
			info.size = size - 16
		}
		open = func() (fs.File, error) {
			f, err := os.Open(path)
			if err != nil {
				return nil, err
			}
			r, err := newCBCReader(f, key, info.size, "Manifest.db")
			if err != nil {
				f.Close()
				return nil, err
			}
			return &openFile{r: r, closer: f, info: info}, nil
		}
	}
	if err := checkSQLiteHeader(open); err != nil {
		if key != nil {
			return fmt.Errorf("iPhone backup %s: Manifest.db does not decrypt to a database (damaged ManifestKey or file): %w", b.dir, err)
		}
		return fmt.Errorf("iPhone backup %s: Manifest.db: %w (an encrypted Manifest.db in a backup without Manifest.plist?)", b.dir, err)
	}
	name, v, err := vfs.New(manifestFS{open: open})
	if err != nil {
		return fmt.Errorf("iPhone backup %s: %w", b.dir, err)
	}
	// temp_store: whatever SQLite would put in a temporary file stays in memory, as the VFS has
	// no place for one.
	db, err := sql.Open("sqlite", "file:Manifest.db?vfs="+name+"&mode=ro&immutable=1&_pragma=temp_store(2)")
	if err == nil {
		// Media files are opened from several goroutines at once. With database/sql's two idle
		// connections the others were closed after each lookup and the next one opened a fresh
		// connection, which reads the schema and the index pages again.
		db.SetMaxIdleConns(manifestConns)
		var n int
		err = db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type='table' AND name='Files'`).Scan(&n)
		if err == nil && n != 1 {
			err = fmt.Errorf("no Files table")
		}
	}
	var stmts *lookupStmts
	if err == nil {
		stmts, err = prepareLookups(db)
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		v.Close()
		return fmt.Errorf("iPhone backup %s: Manifest.db: %w", b.dir, err)
	}
	b.mu.Lock()
	b.db, b.dbVFS, b.stmts = db, v, stmts
	b.mu.Unlock()
	return nil
}

func checkSQLiteHeader(open func() (fs.File, error)) error {
	f, err := open()
	if err != nil {
		return err
	}
	defer f.Close()
	h := make([]byte, 16)
	if _, err := io.ReadFull(f, h); err != nil {
		return fmt.Errorf("reading header: %w", err)
	}
	if string(h) != "SQLite format 3\x00" {
		return fmt.Errorf("not an SQLite database")
	}
	return nil
}

// manifestConns is how many Manifest.db connections stay open: one per importer goroutine that
// looks files up (the importer and the archive's media workers).
const manifestConns = 8

// manifest returns the opened Manifest.db, or ErrLocked.
func (b *Backup) manifestDB() (*sql.DB, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.openedLocked(); err != nil {
		return nil, err
	}
	return b.db, nil
}

// lookups returns the prepared queries of the opened Manifest.db, or ErrLocked.
func (b *Backup) lookups() (*lookupStmts, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.openedLocked(); err != nil {
		return nil, err
	}
	return b.stmts, nil
}

func (b *Backup) openedLocked() error {
	if b.closed {
		return fmt.Errorf("iPhone backup %s: closed", b.dir)
	}
	if b.db == nil {
		return ErrLocked
	}
	return nil
}

// lookupStmts are the queries behind Stat and Open, prepared once: parsing the SQL again for
// each of a backup's thousands of media files cost as much as running it.
type lookupStmts struct {
	record, below *sql.Stmt
}

func prepareLookups(db *sql.DB) (*lookupStmts, error) {
	record, err := db.Prepare(`SELECT fileID, domain, relativePath, flags, file FROM Files WHERE domain = ? AND relativePath = ?`)
	if err != nil {
		return nil, err
	}
	below, err := db.Prepare(`SELECT 1 FROM Files WHERE domain = ? AND relativePath > ? AND relativePath < ? LIMIT 1`)
	if err != nil {
		record.Close()
		return nil, err
	}
	return &lookupStmts{record: record, below: below}, nil
}

func (s *lookupStmts) close() {
	s.record.Close()
	s.below.Close()
}

// Unlock opens an encrypted backup with its password: it derives the key from the keybag
// (PBKDF2 with the keybag's iteration counts, which takes a few seconds on real backups: 10
// million rounds of HMAC-SHA256), unwraps the class keys and opens Manifest.db, decrypting it
// block by block on read, in memory. A wrong password gives ErrWrongPassword. Unlocking a plain
// backup does nothing.
func (b *Backup) Unlock(password []byte) error {
	if b.kb == nil {
		return nil
	}
	b.unlockMu.Lock()
	defer b.unlockMu.Unlock()
	if _, err := b.manifestDB(); err == nil {
		return nil
	}
	kek, err := b.kb.deriveKEK(password)
	if err != nil {
		return fmt.Errorf("iPhone backup %s: %w", b.dir, err)
	}
	if err := b.kb.unlockClasses(kek); err != nil {
		if err == ErrWrongPassword {
			return err
		}
		return fmt.Errorf("iPhone backup %s: %w", b.dir, err)
	}
	var key []byte
	// Before iOS 10.2 Manifest.db itself is not encrypted and there is no ManifestKey.
	if len(b.manifest.ManifestKey) > 0 {
		if key, err = b.kb.unwrapWithClass(b.manifest.ManifestKey, "ManifestKey"); err != nil {
			return fmt.Errorf("iPhone backup %s: %w", b.dir, err)
		}
		if len(key) != 32 {
			return fmt.Errorf("iPhone backup %s: ManifestKey unwraps to %d bytes, want 32", b.dir, len(key))
		}
	}
	return b.openManifestDB(key)
}

// File is one record of Manifest.db.
type File struct {
	ID         string // SHA-1 of domain + "-" + path; the content is at <ID[:2]>/<ID>
	Domain     string
	Path       string      // relative to the domain; "" is the domain's root folder
	Flags      int         // as stored: 1 file, 2 folder, 4 symlink (some backups store 0)
	Size       int64       // content size in bytes
	Mode       fs.FileMode // type and permission bits
	MTime      time.Time
	Class      uint32 // data-protection class
	WrappedKey []byte // EncryptionKey: 4-byte little-endian class + 40-byte wrapped key; nil when plain
	Target     string // symlink target
}

// Manifest flags values.
const (
	FlagFile    = 1
	FlagDir     = 2
	FlagSymlink = 4
)

// IsDir, IsRegular and IsSymlink tell the kind of record. The Mode's type bits decide when the
// record has them; Flags otherwise (a record with flags 0 and a regular Mode exists).
func (f *File) IsDir() bool     { return f.Mode.IsDir() }
func (f *File) IsSymlink() bool { return f.Mode&fs.ModeSymlink != 0 }
func (f *File) IsRegular() bool { return f.Mode.IsRegular() }

// Unix st_mode type bits.
const (
	sIFMT  = 0o170000
	sIFDIR = 0o040000
	sIFREG = 0o100000
	sIFLNK = 0o120000
)

func makeFile(id, domain, path string, flags int, blob []byte) (File, error) {
	f := File{ID: id, Domain: domain, Path: path, Flags: flags}
	var m mbFile
	if len(blob) > 0 {
		var err error
		if m, err = decodeMBFile(blob); err != nil {
			return f, fmt.Errorf("Manifest.db record %s (%s %s): %w", id, domain, path, err)
		}
	}
	f.Size = m.Size
	f.MTime = time.Unix(m.LastModified, 0).UTC()
	f.Class = m.ProtectionClass
	f.WrappedKey = m.EncryptionKey
	f.Target = m.Target
	f.Mode = fs.FileMode(m.Mode & 0o777)
	kind := m.Mode & sIFMT
	switch {
	case kind == sIFDIR || (kind == 0 && flags == FlagDir):
		f.Mode |= fs.ModeDir
		f.Size = 0
	case kind == sIFLNK || (kind == 0 && flags == FlagSymlink):
		f.Mode |= fs.ModeSymlink
	case kind == sIFREG || (kind == 0 && flags == FlagFile):
	default:
		f.Mode |= fs.ModeIrregular
	}
	return f, nil
}

// Files lists the records whose domain starts with domainPrefix ("" for all), ordered by domain
// and path. They are sorted here, not by SQLite, whose sorter would hold a second copy of every
// record (in memory: temp_store; before that setting, a spill to a temporary file the read-only
// VFS cannot give failed with "disk I/O error" on a MediaDomain of 40,000 files).
func (b *Backup) Files(domainPrefix string) ([]File, error) {
	db, err := b.manifestDB()
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(`SELECT fileID, domain, relativePath, flags, file FROM Files
		WHERE substr(domain, 1, length(?1)) = ?1`, domainPrefix)
	if err != nil {
		return nil, fmt.Errorf("iPhone backup %s: Manifest.db: %w", b.dir, err)
	}
	defer rows.Close()
	var out []File
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, fmt.Errorf("iPhone backup %s: %w", b.dir, err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("iPhone backup %s: Manifest.db: %w", b.dir, err)
	}
	slices.SortFunc(out, func(x, y File) int {
		return cmp.Or(strings.Compare(x.Domain, y.Domain), strings.Compare(x.Path, y.Path))
	})
	return out, nil
}

func scanFile(rows interface{ Scan(...any) error }) (File, error) {
	var (
		id, domain, path sql.NullString
		flags            sql.NullInt64
		blob             []byte
	)
	if err := rows.Scan(&id, &domain, &path, &flags, &blob); err != nil {
		return File{}, fmt.Errorf("Manifest.db: %w", err)
	}
	return makeFile(id.String, domain.String, path.String, int(flags.Int64), blob)
}
