package sqlitefs

import "io"

// Read-ahead for an immutable file (sqlitefs opens databases immutable: they do not change while
// open). SQLite reads one page at a time; an import walks a table's leaves and its side tables'
// leaves in row order, several interleaved streams that each move forward. A few windows, the
// least recently used one refilled on a miss, serve those streams from memory.
const (
	windowBytes = 64 << 10
	windows     = 8 // 512 KiB per open database
)

type window struct {
	off  int64
	buf  []byte // what was read at off (shorter than windowBytes at the end of the file)
	used uint64
}

type readAhead struct {
	r    io.ReaderAt
	w    [windows]window
	tick uint64
}

// ReadAt serves p from a window, filling one when no window holds all of it; reads larger than a
// window go to the file.
func (a *readAhead) ReadAt(p []byte, off int64) (int, error) {
	if len(p) > windowBytes/2 {
		return a.r.ReadAt(p, off)
	}
	a.tick++
	lru := 0
	for i := range a.w {
		w := &a.w[i]
		if w.buf != nil && off >= w.off && off+int64(len(p)) <= w.off+int64(len(w.buf)) {
			w.used = a.tick
			return copy(p, w.buf[off-w.off:]), nil
		}
		if w.used < a.w[lru].used {
			lru = i
		}
	}
	w := &a.w[lru]
	if w.buf == nil {
		w.buf = make([]byte, windowBytes)
	}
	start := off - off%windowBytes
	if off+int64(len(p)) > start+windowBytes {
		start = off // a read across the window's end: start the window at it
	}
	n, err := a.r.ReadAt(w.buf[:windowBytes], start)
	if n < windowBytes && err == nil {
		err = io.EOF // ReadAt reads all or says why not
	}
	if err != nil && err != io.EOF {
		w.buf, w.used = nil, 0
		return a.r.ReadAt(p, off)
	}
	w.off, w.buf, w.used = start, w.buf[:n], a.tick
	if off >= start+int64(n) {
		return 0, io.EOF
	}
	got := copy(p, w.buf[off-start:])
	if got < len(p) {
		return got, io.EOF
	}
	return got, nil
}
