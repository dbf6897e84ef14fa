package wachat

import "unsafe"

// arena makes strings for records without one allocation per string: it
// copies the bytes into a large block and returns strings that point into
// it. A block is never written again where a string points, so the strings
// are ordinary immutable strings; the garbage collector frees a block when
// no string from it is left. This keeps Parse at a few allocations per
// thousand messages, which is most of what reaching millions of messages a
// second takes. (A kept string keeps its block, at most arenaBlock bytes,
// alive.)
type arena struct {
	buf []byte
}

const (
	arenaBlock = 64 << 10
	arenaBig   = arenaBlock / 8 // longer strings get their own allocation
)

func (a *arena) string(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > arenaBig {
		return string(b)
	}
	if len(b) > cap(a.buf)-len(a.buf) {
		a.buf = make([]byte, 0, arenaBlock)
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[start], len(b))
}
