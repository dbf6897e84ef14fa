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
// filter rewrites them as \u00NN. It also leaves out the whitespace between tokens (a third of
// Telegram's indented files), so the decoder and the message decoder see a third fewer bytes and
// a message's record needs no compacting. It tracks whether it is inside a string and after a
// backslash, drops a leading UTF-8 byte order mark, remembers where it changed the length of the
// stream so positions can be told in the file's own bytes, and refuses to run further ahead of
// the decoder than the size limit allows.
type filter struct {
	src  io.Reader
	buf  []byte // raw bytes read from src, buf[pos:end] not yet used
	pos  int
	end  int
	eof  error  // error from src once seen
	tail []byte // rewritten bytes not yet delivered (an expansion cut short by a small p)
	rep  [6]byte

	inString     bool
	escaped      bool    // the previous byte in the string was an unescaped backslash
	afterLiteral bool    // the last byte outside strings was part of a number, true, false or null
	kept         []int64 // output positions of whitespace between tokens that was passed on
	keptUntil    int64   // and whitespace may have been passed on anywhere before this position
	started      bool    // at least one byte was looked at (for the byte order mark)

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
	f.trimMarks()
}

// dropped records k bytes of whitespace left out before output position f.out: that position
// and every later one lie k bytes further on in the file.
func (f *filter) dropped(k int) {
	if n := len(f.marks); n > f.head && f.marks[n-1].pos == f.out-1 {
		f.marks[n-1].delta -= int64(k) // a run cut by the end of a read
		return
	}
	f.marks = append(f.marks, mark{pos: f.out - 1, delta: -int64(k)})
	f.trimMarks()
}

// maxPendingMarks bounds the marks and kept positions ahead of the decoder: 1 MiB of marks. A
// value with more whitespace runs than that between its tokens has the rest passed on as it is
// (the decoder skips it and the message's record is compacted), instead of a mark for each:
// 15 MiB of `"", ` took 196 MiB of marks.
const maxPendingMarks = 1 << 16

// trimMarks folds the marks behind the decoder into cum, so a long section read without asking
// for positions (skipped, or one large value) does not grow the list without end: the Reader
// never asks for a position before the one it last told the filter (consumed).
func (f *filter) trimMarks() {
	if len(f.marks)-f.head > 4096 {
		f.origin(f.consumed)
	}
	if len(f.kept) > 4096 {
		f.spaceWithin(f.consumed, f.consumed)
	}
}

// spaceWithin reports whether whitespace between tokens was passed on in the output positions
// [start, end), and forgets the positions before start (calls come in increasing order).
func (f *filter) spaceWithin(start, end int64) bool {
	i := 0
	for i < len(f.kept) && f.kept[i] < start {
		i++
	}
	if i > 0 {
		f.kept = f.kept[:copy(f.kept, f.kept[i:])]
	}
	return start < f.keptUntil || len(f.kept) > 0 && f.kept[0] < end
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
			var m int
			var err error
			if !f.started {
				// Enough for the byte order mark, however little the source gives at a time.
				m, err = io.ReadAtLeast(f.src, f.buf, 3)
				if err == io.ErrUnexpectedEOF {
					err = io.EOF
				}
			} else {
				m, err = f.src.Read(f.buf)
			}
			f.pos, f.end = 0, m
			if err != nil {
				f.eof = err
			}
			continue
		}
		if !f.started {
			f.started = true
			if f.end-f.pos >= 3 && f.buf[f.pos] == 0xEF && f.buf[f.pos+1] == 0xBB && f.buf[f.pos+2] == 0xBF {
				f.pos += 3
				// Before position 0, so that the first byte, too, maps 3 bytes on.
				f.marks = append(f.marks, mark{pos: -1, delta: -3})
				continue
			}
		}
		// Pass on at once everything up to the next byte to rewrite.
		src := f.buf[f.pos:min(f.end, f.pos+len(p)-n)]
		i, act := f.scan(src)
		copy(p[n:], src[:i])
		n += i
		f.pos += i
		f.out += int64(i)
		switch act {
		case actControl:
			b := f.buf[f.pos]
			f.pos++
			f.note(5)
			f.rep = [6]byte{'\\', 'u', '0', '0', hexDigit(b >> 4), hexDigit(b)}
			f.tail = f.rep[:]
		case actHexEscape: // Telegram's \xNN: the two hex digits follow and pass unchanged
			f.pos++
			f.note(2)
			f.rep = [6]byte{'u', '0', '0'}
			f.tail = f.rep[:3]
		case actSpace:
			k := 1
			for f.pos+k < f.end && isSpace(f.buf[f.pos+k]) {
				k++
			}
			if len(f.marks)-f.head < maxPendingMarks {
				f.pos += k
				f.dropped(k)
				break
			}
			// Too many marks the decoder has not passed yet (one huge value of short tokens):
			// pass the whitespace on instead, so the marks stay bounded.
			k = min(k, len(p)-n)
			copy(p[n:], f.buf[f.pos:f.pos+k])
			n += k
			f.pos += k
			f.out += int64(k)
			f.keptUntil = f.out
		case actTooDeep:
			f.deepAt = f.out
			f.eof, f.pos, f.end = errTooDeep, 0, 0
			return n, nil
		}
	}
	return n, nil
}

// What scan stopped at.
const (
	actNone      = iota // the end of its input
	actControl          // a control character inside a string
	actHexEscape        // the x of a \x escape
	actTooDeep          // a bracket one level deeper than allowed
	actSpace            // whitespace between tokens that can be dropped
)

// stringStop marks the bytes inside a string that scan must look at: the closing quote, a
// backslash and control characters. Everything else is skipped a byte at a time in a tight loop,
// which is most of a file (message texts).
var stringStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// scan follows the strings, escapes and nesting of src and returns how many of its bytes pass
// unchanged, and why it stopped there. The byte it stops at is not consumed.
func (f *filter) scan(src []byte) (int, int) {
	in, esc, depth, lit := f.inString, f.escaped, f.depth, f.afterLiteral
	i, act := 0, actNone
loop:
	for i < len(src) {
		c := src[i]
		if in {
			if esc {
				esc = false
				if c == 'x' {
					act = actHexEscape
					break loop
				}
				i++
				continue
			}
			for !stringStop[c] {
				if i++; i == len(src) {
					break loop
				}
				c = src[i]
			}
			switch c {
			case '"':
				in = false
			case '\\':
				esc = true
			default:
				act = actControl
				break loop
			}
			i++
			continue
		}
		switch c {
		case '"':
			in, lit = true, false
		case '{', '[':
			if f.maxDepth > 0 && depth >= f.maxDepth {
				act = actTooDeep
				break loop
			}
			depth++
			lit = false
		case '}', ']':
			depth--
			lit = false
		case ',', ':':
			lit = false
		case ' ', '\t', '\n', '\r':
			// Dropped unless it follows a number or literal, where it may separate two of them
			// (`[1 2]` must stay an error, not become 12).
			if !lit {
				act = actSpace
				break loop
			}
			if len(f.kept) < maxPendingMarks {
				f.kept = append(f.kept, f.out+int64(i))
			} else {
				f.keptUntil = f.out + int64(i) + 1
			}
		default:
			lit = true
		}
		i++
	}
	f.inString, f.escaped, f.depth, f.afterLiteral = in, esc, depth, lit
	return i, act
}
