package sqlcipher

import (
	"errors"
	"io"
	"io/fs"
	"time"
)

// FS returns a read-only file system holding one file, name, whose contents are the plaintext
// database, for modernc.org/sqlite/vfs. Any other name does not exist (so SQLite finds no
// journal or WAL beside it). The header's write/read versions are shown as 1 (rollback journal)
// even when the file says 2 (WAL): a WAL database cannot be opened read-only without its -shm,
// and the pages SQLite needs are all in the main file once WeChat has checkpointed.
func (db *DB) FS(name string) fs.FS { return &dbFS{db: db, name: name} }

type dbFS struct {
	db   *DB
	name string
}

func (f *dbFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name != f.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &dbFile{db: f.db, name: name}, nil
}

// dbFile is one open handle: its own offset over the shared DB.
type dbFile struct {
	db   *DB
	name string
	off  int64
}

func (f *dbFile) Read(b []byte) (int, error) {
	n, err := f.db.ReadAt(b, f.off)
	// Offsets 18 and 19 are the header's write and read versions: 2 (WAL) → 1 (rollback).
	for i := max(int64(18), f.off); i < 20 && i < f.off+int64(n); i++ {
		if b[i-f.off] == 2 {
			b[i-f.off] = 1
		}
	}
	f.off += int64(n)
	return n, err
}

func (f *dbFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += f.off
	case io.SeekEnd:
		offset += f.db.size
	default:
		return 0, errors.New("sqlcipher: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("sqlcipher: seek before the start")
	}
	f.off = offset
	return offset, nil
}

func (f *dbFile) Stat() (fs.FileInfo, error) { return fileInfo{f.name, f.db.size}, nil }
func (f *dbFile) Close() error               { return nil }

type fileInfo struct {
	name string
	size int64
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return 0o444 }
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return nil }
