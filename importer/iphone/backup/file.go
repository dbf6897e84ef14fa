package backup

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"time"
)

// openFile is a regular file opened from the backup: plain bytes or a cbcReader. It implements
// fs.File, io.Seeker and io.ReaderAt.
type openFile struct {
	r      io.ReaderAt
	closer io.Closer
	info   fileInfo

	mu     sync.Mutex
	pos    int64
	closed bool
}

var errClosed = errors.New("file already closed")

func (f *openFile) Stat() (fs.FileInfo, error) { return f.info, nil }

func (f *openFile) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, errClosed
	}
	n, err := f.readAt(p, f.pos)
	f.pos += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

func (f *openFile) ReadAt(p []byte, off int64) (int, error) {
	f.mu.Lock()
	closed := f.closed
	f.mu.Unlock()
	if closed {
		return 0, errClosed
	}
	return f.readAt(p, off)
}

func (f *openFile) readAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("%s: negative offset", f.info.name)
	}
	if off >= f.info.size {
		return 0, io.EOF
	}
	short := false
	if int64(len(p)) > f.info.size-off {
		p = p[:f.info.size-off]
		short = true
	}
	n, err := f.r.ReadAt(p, off)
	if err == io.EOF && n == len(p) {
		err = nil
	}
	if err == nil && short {
		err = io.EOF
	}
	return n, err
}

func (f *openFile) Seek(offset int64, whence int) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, errClosed
	}
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = f.pos + offset
	case io.SeekEnd:
		abs = f.info.size + offset
	default:
		return 0, fmt.Errorf("%s: bad whence %d", f.info.name, whence)
	}
	if abs < 0 {
		return 0, fmt.Errorf("%s: seek to negative offset", f.info.name)
	}
	f.pos = abs
	return abs, nil
}

func (f *openFile) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return errClosed
	}
	f.closed = true
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// fileInfo describes a backed-up file or folder from its manifest record.
type fileInfo struct {
	name  string
	size  int64
	mode  fs.FileMode
	mtime time.Time
	rec   *File // nil for folders only implied by their contents
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return i.mode }
func (i fileInfo) ModTime() time.Time { return i.mtime }
func (i fileInfo) IsDir() bool        { return i.mode.IsDir() }

// Sys returns a copy of the manifest record (*File), or nil for a folder that has none. A copy:
// the record itself is remembered for the next lookup.
func (i fileInfo) Sys() any {
	if i.rec == nil {
		return nil
	}
	r := *i.rec
	return &r
}

// emptyReader serves zero-length files without touching the disk.
type emptyReader struct{}

func (emptyReader) ReadAt([]byte, int64) (int, error) { return 0, io.EOF }
