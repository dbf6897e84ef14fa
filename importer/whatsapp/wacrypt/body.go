package wacrypt

import (
	"bytes"
	"crypto/md5"
	"errors"
	"fmt"
	"hash"
	"io"
)

// body reads the ciphertext of a backup, holding back its trailer: the
// last bytes are only known to be the tag, MD5 and (crypt12) number suffix
// once the file has ended.
//
//	crypt12:    ... | tag(16) | MD5(file[:-20]) | "--NN"
//	crypt14/15: ... | tag(16) | MD5(file[:-16])   or   ... | tag(16)
//
// crypt14/15 have the MD5 only on single-file backups, so a 16-byte MD5
// and a 16-byte tag cannot be told apart by position: the MD5 is
// recomputed, and if it does not match, the last 16 bytes are the tag and
// the 16 before them ciphertext.
type body struct {
	r          io.Reader
	format     Format
	hold       int // trailer bytes kept back
	buf        []byte
	start, end int // unread bytes buf[start:end]; the last hold are kept back
	eof        bool
	resolved   bool
	read       int64 // bytes read from r
	want       int64 // bytes r should give, or -1
	md5        hash.Hash
	tag        [16]byte
	md5OK      bool   // the MD5 was present and matched
	suffix     string // crypt12: last two digits of the owner's number
}

func newBody(r io.Reader, h *Header, header []byte, want int64) *body {
	b := &body{r: r, format: h.Format, hold: 32, want: want, md5: md5.New()}
	if h.Format == Crypt12 {
		b.hold = 36
	}
	b.buf = make([]byte, 64<<10+b.hold)
	b.md5.Write(header)
	return b
}

func (b *body) Read(p []byte) (int, error) {
	for {
		if n := b.end - b.start - b.hold; n > 0 {
			n = copy(p, b.buf[b.start:b.start+n])
			if !b.resolved {
				b.md5.Write(b.buf[b.start : b.start+n])
			}
			b.start += n
			return n, nil
		}
		if b.resolved {
			return 0, io.EOF
		}
		if b.eof {
			if err := b.resolve(); err != nil {
				return 0, err
			}
			continue
		}
		if err := b.fill(); err != nil {
			return 0, err
		}
	}
}

func (b *body) fill() error {
	if b.start > 0 {
		b.end = copy(b.buf, b.buf[b.start:b.end])
		b.start = 0
	}
	n, err := b.r.Read(b.buf[b.end:])
	b.end += n
	b.read += int64(n)
	switch {
	case errors.Is(err, io.EOF):
		b.eof = true
		if b.want >= 0 && b.read < b.want {
			return fmt.Errorf("%w: the file ended %d bytes early", ErrTruncated, b.want-b.read)
		}
	case err != nil:
		return fmt.Errorf("reading the backup: %w", err)
	}
	return nil
}

func (b *body) resolve() error {
	t := b.buf[b.start:b.end]
	if len(t) < b.hold {
		return fmt.Errorf("%w: the file ends before its %d-byte trailer", ErrTruncated, b.hold)
	}
	b.md5.Write(t[:16])
	sum := b.md5.Sum(nil)
	switch b.format {
	case Crypt12:
		copy(b.tag[:], t[:16])
		b.md5OK = bytes.Equal(sum, t[16:32])
		if t[32] == '-' && t[33] == '-' {
			b.suffix = string(t[34:36])
		}
	default:
		if bytes.Equal(sum, t[16:32]) {
			copy(b.tag[:], t[:16])
			b.md5OK = true
		} else {
			// No MD5: the first 16 held-back bytes are ciphertext.
			copy(b.tag[:], t[16:32])
			b.hold = 16
		}
	}
	b.resolved = true
	return nil
}
