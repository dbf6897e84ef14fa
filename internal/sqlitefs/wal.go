package sqlitefs

import (
	"io"
	"io/fs"
)

// walAsRollback shows a WAL-mode database's header (bytes 18 and 19 = 2) as a rollback-journal one
// (1): a read-only, immutable open then reads the main file instead of failing for want of a
// -shm file it may not create. What the WAL held beyond the last checkpoint is not seen (a copied
// or backed-up database has it checkpointed, or its -wal file beside it, which is not applied).
type walAsRollback struct{ fs.FS }

func (w walAsRollback) Open(name string) (fs.File, error) {
	f, err := w.FS.Open(name)
	if err != nil {
		return nil, err
	}
	h := &headerFile{File: f}
	if ra, ok := f.(io.ReaderAt); ok {
		h.ra = &readAhead{r: ra}
	}
	return h, nil
}

// headerFile patches the header on its way to SQLite. SQLite's VFS adapter reads a page as a Seek
// and a Read: a file that can ReadAt gets both from its read-ahead windows, one system call for
// many pages, instead of two per page (msgstore.db's import spent a fifth of its time there).
type headerFile struct {
	fs.File
	off int64
	ra  *readAhead // nil: the file cannot ReadAt, so Seek and Read go to it
}

func (h *headerFile) Read(p []byte) (int, error) {
	var n int
	var err error
	if h.ra != nil {
		n, err = h.ra.ReadAt(p, h.off)
	} else {
		n, err = h.File.Read(p)
	}
	patch(p[:n], h.off)
	h.off += int64(n)
	return n, err
}

func (h *headerFile) Seek(off int64, whence int) (int64, error) {
	if h.ra != nil && whence == io.SeekStart && off >= 0 {
		h.off = off
		return off, nil
	}
	s, ok := h.File.(io.Seeker)
	if !ok {
		return 0, fs.ErrInvalid
	}
	n, err := s.Seek(off, whence)
	h.off = n
	return n, err
}

func (h *headerFile) ReadAt(p []byte, off int64) (int, error) {
	if h.ra == nil {
		return 0, fs.ErrInvalid
	}
	n, err := h.ra.ReadAt(p, off)
	patch(p[:n], off)
	return n, err
}

// patch rewrites header bytes 18 and 19 where the read covers them.
func patch(p []byte, off int64) {
	for _, at := range []int64{18, 19} {
		if i := at - off; i >= 0 && i < int64(len(p)) && p[i] == 2 {
			p[i] = 1
		}
	}
}
