package wachat

import (
	"bytes"
	"fmt"
	"io"
)

// lineReader splits a stream into lines without ever holding more than
// one line (plus a read buffer) in memory.
//
// A line ends at LF, CR LF, and any run of CRs followed by LF (the 2012 iOS
// exports end lines with CR CR LF; that is one line break, not a blank line
// in between). A CR that is not followed by CRs and LF is a line break of
// its own (classic Mac files). Lines are returned without their terminator.
type lineReader struct {
	r          io.Reader
	buf        []byte
	start, end int // the unread window is buf[start:end]
	eof        bool
	max        int // longest line allowed, in bytes
	line       int // number of the last line returned
	err        error
}

const readBufSize = 64 << 10

func newLineReader(r io.Reader, max int) *lineReader {
	size := readBufSize
	if max+1 < size {
		size = max + 1
	}
	return &lineReader{r: r, buf: make([]byte, size), max: max}
}

// next returns the next line, valid until the next call, or io.EOF after
// the last one, or another error (a *LineError for a line that is too
// long). After an error it keeps returning that error.
func (lr *lineReader) next() ([]byte, error) {
	if lr.err != nil {
		return nil, lr.err
	}
	for {
		w := lr.buf[lr.start:lr.end]
		if n := bytes.IndexByte(w, '\n'); n >= 0 {
			seg := w[:n]
			if c := bytes.IndexByte(seg, '\r'); c >= 0 {
				k := c
				for k < n && w[k] == '\r' {
					k++
				}
				if k == n {
					lr.start += n + 1 // CRs then LF: one line break
				} else {
					lr.start += c + 1 // a lone CR
				}
				return lr.emit(seg[:c])
			}
			lr.start += n + 1
			return lr.emit(seg)
		}
		if c := bytes.IndexByte(w, '\r'); c >= 0 {
			k := c
			for k < len(w) && w[k] == '\r' {
				k++
			}
			if k < len(w) || lr.eof {
				lr.start += c + 1 // a lone CR (or CRs at the very end of the input)
				return lr.emit(w[:c])
			}
			// The CRs reach the end of what was read: whether an LF
			// follows decides what they mean, so read more.
		} else if lr.eof {
			if len(w) == 0 {
				lr.err = io.EOF
				return nil, io.EOF
			}
			lr.start = lr.end
			return lr.emit(w)
		}
		if err := lr.fill(); err != nil {
			lr.err = err
			return nil, err
		}
	}
}

func (lr *lineReader) emit(line []byte) ([]byte, error) {
	lr.line++
	if len(line) > lr.max {
		lr.err = lr.tooLong()
		return nil, lr.err
	}
	return line, nil
}

func (lr *lineReader) tooLong() error {
	return &LineError{Line: lr.line + 1, Err: fmt.Errorf("%w: over %s without a line break, far more than WhatsApp writes: not a chat export, or a damaged one", ErrLineTooLong, sizeText(lr.max))}
}

// fill reads more input, first making room: it moves the unread window to
// the front of the buffer and, when the window fills the whole buffer (a
// long line), grows the buffer, but never beyond what the longest allowed
// line needs.
func (lr *lineReader) fill() error {
	if lr.start > 0 {
		copy(lr.buf, lr.buf[lr.start:lr.end])
		lr.end -= lr.start
		lr.start = 0
	}
	if lr.end == len(lr.buf) {
		if lr.end > lr.max+1 {
			// No terminator within max+2 bytes (a line may be followed by
			// a CR CR LF): the line is too long. Stop before reading the
			// rest of it.
			return lr.tooLong()
		}
		size := 2 * len(lr.buf)
		if size > lr.max+2 {
			size = lr.max + 2
		}
		nb := make([]byte, size)
		copy(nb, lr.buf[:lr.end])
		lr.buf = nb
	}
	// Fill the buffer completely (or to the end of the input): next scans
	// the whole window again after each fill, so small reads (a pipe, a
	// decompressor) would otherwise make long lines quadratic.
	for lr.end < len(lr.buf) {
		n, err := lr.r.Read(lr.buf[lr.end:])
		lr.end += n
		if err == io.EOF {
			lr.eof = true
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// sizeText says a byte count the way the error messages do: whole MiB when it is one.
func sizeText(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
