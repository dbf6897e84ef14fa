package tgjson

import (
	"errors"
	"io"
)

// errTooLarge is returned by the filter when the decoder would have to hold more than the limit
// of unread bytes: one JSON value (a message, a string) is too big.
var errTooLarge = errors.New("value too large")

// errTooDeep is returned by the filter when objects and arrays nest deeper than its maximum.
var errTooDeep = errors.New("nested too deep")

// filter sits between the file and encoding/json. Telegram Desktop writes control characters
// inside strings as \xNN (and older or hand-made files carry them raw); JSON forbids both, so the
// filter rewrites them as \u00NN. It tracks whether it is inside a string and after a backslash,
// drops a leading UTF-8 byte order mark, remembers where it changed the length of the stream so
// positions can be told in the file's own bytes, and refuses to run further ahead of the decoder
// than the size limit allows.
type filter struct {
	src  io.Reader
	buf  []byte // raw bytes read from src, buf[pos:end] not yet used
	pos  int
	end  int
	eof  error  // error from src once seen
	tail []byte // rewritten bytes not yet delivered (an expansion cut short by a small p)

	inString bool
	escaped  bool // the previous byte in the string was an unescaped backslash
	started  bool // at least one byte was looked at (for the byte order mark)

	out int64 // bytes delivered to the decoder

	// marks record expansions: at output position pos, delta more bytes than the file had.
	// Queries come in increasing order, so entries before head are already summed in cum.
	marks []mark
	head  int
	cum   int64

	limit    int64 // how far out may run ahead of consumed; 0 means no limit
	consumed int64 // the decoder's position, set by the Reader before each call

	depth    int   // current nesting of objects and arrays
	maxDepth int   // 0 means no limit
	deepAt   int64 // output position of the bracket that went too deep
}

type mark struct {
	pos   int64
	delta int64
}

func newFilter(src io.Reader, limit int64) *filter {
	return &filter{src: src, buf: make([]byte, 32<<10), limit: limit}
}

func (f *filter) note(delta int64) {
	f.marks = append(f.marks, mark{pos: f.out, delta: delta})
}

// origin maps a position in the rewritten stream to the same position in the file. Calls must
// come with non-decreasing positions (a smaller one is answered approximately).
func (f *filter) origin(p int64) int64 {
	for f.head < len(f.marks) && f.marks[f.head].pos < p {
		f.cum += f.marks[f.head].delta
		f.head++
	}
	if f.head > 1024 && f.head*2 > len(f.marks) {
		n := copy(f.marks, f.marks[f.head:])
		f.marks = f.marks[:n]
		f.head = 0
	}
	if o := p - f.cum; o > 0 {
		return o
	}
	return 0
}

// plainInString and plainOutside are the bytes the filter passes on without a look, inside a
// string (not after a backslash) and between strings.
var plainInString, plainOutside = func() (in, out [256]bool) {
	for c := range 256 {
		in[c] = c >= 0x20 && c != '"' && c != '\\'
		out[c] = c != '"' && c != '{' && c != '[' && c != '}' && c != ']'
	}
	return in, out
}()

func hexDigit(b byte) byte { return "0123456789abcdef"[b&0xf] }

func (f *filter) Read(p []byte) (int, error) {
	if f.limit > 0 {
		room := f.limit - (f.out - f.consumed)
		if room <= 0 {
			return 0, errTooLarge
		}
		if int64(len(p)) > room {
			p = p[:room]
		}
	}
	n := 0
	for n < len(p) {
		if len(f.tail) > 0 {
			c := copy(p[n:], f.tail)
			f.tail = f.tail[c:]
			n += c
			f.out += int64(c)
			continue
		}
		if f.pos == f.end {
			if n > 0 {
				break // deliver what we have before blocking on the source again
			}
			if f.eof != nil {
				return 0, f.eof
			}
			m, err := f.src.Read(f.buf)
			f.pos, f.end = 0, m
			if err != nil {
				f.eof = err
			}
			continue
		}
		b := f.buf[f.pos]
		if !f.started {
			f.started = true
			if b == 0xEF && f.end-f.pos >= 3 && f.buf[f.pos+1] == 0xBB && f.buf[f.pos+2] == 0xBF {
				f.pos += 3
				f.note(-3)
				continue
			}
		}
		// Copy the run of bytes that need no look (most of the file) at once.
		if !f.escaped {
			plain := &plainOutside
			if f.inString {
				plain = &plainInString
			}
			src := f.buf[f.pos:min(f.end, f.pos+len(p)-n)]
			i := 0
			for i < len(src) && plain[src[i]] {
				i++
			}
			if i > 0 {
				copy(p[n:], src[:i])
				n += i
				f.pos += i
				f.out += int64(i)
				continue
			}
		}
		f.pos++
		var rep []byte
		switch {
		case !f.inString:
			switch b {
			case '"':
				f.inString = true
			case '{', '[':
				f.depth++
				if f.maxDepth > 0 && f.depth > f.maxDepth {
					f.deepAt = f.out
					f.eof, f.pos, f.end = errTooDeep, 0, 0
					return n, nil
				}
			case '}', ']':
				f.depth--
			}
		case f.escaped:
			f.escaped = false
			if b == 'x' { // Telegram's \xNN: the two hex digits follow and pass unchanged
				f.note(2)
				rep = []byte("u00")
			}
		case b == '\\':
			f.escaped = true
		case b == '"':
			f.inString = false
		case b < 0x20:
			f.note(5)
			rep = []byte{'\\', 'u', '0', '0', hexDigit(b >> 4), hexDigit(b)}
		}
		if rep == nil {
			p[n] = b
			n++
			f.out++
			continue
		}
		f.tail = rep
	}
	return n, nil
}
