package dump

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/internal/diskfree"
)

// A first backup measures every month (its digest, size and count go into meta.json before the
// upload starts) and then renders each again as kopia reads it: the second rendering was a
// quarter of the backup's CPU. The spool keeps what measuring rendered, so the upload reads it
// back instead. It is an optimisation only: a month that is not in it (the spool was full, a
// write failed) is rendered as before.
//
// The spool holds message text, so it never holds it in the clear: it lies in a private
// temporary folder inside the archive folder (removed when the dump closes, or by the next
// process if this one dies), encrypted with AES-256-CTR under a key that exists only in this
// process's memory. Each byte's keystream block follows from its file and position, so any
// month can be read back from where it starts; a month read back is checked against the digest
// measured when it was written.

// spoolMinMonths is how many stale months make the spool worth its files: a nightly backup
// renders a handful of months once, a first backup thousands twice.
const spoolMinMonths = twinMinMonths

// spoolReserve is the free space the spool always leaves on the archive's disk.
const spoolReserve = 1 << 30

type spool struct {
	dir   string
	block cipher.Block
	limit int64 // bytes it may write in all

	mu    sync.Mutex
	used  int64
	files []*spoolFile
	at    map[monthID]spoolRef
}

type monthID struct {
	conv  int64
	month string
}

// spoolFile is one measuring reader's file: each reader appends to its own, so none waits.
type spoolFile struct {
	s      *spool
	n      int // its number, which its keystream starts from
	f      *os.File
	w      *bufio.Writer
	stream cipher.Stream
	buf    []byte
	size   int64 // bytes written, buffered included
	broken bool  // a write failed: nothing in this file is used
}

// spoolRef is where a month starts in the spool; its size and digest are the month's own
// (archive.DumpMonth), which the upload opening it has.
type spoolRef struct {
	file *spoolFile
	off  int64
}

// spoolLimit is how many bytes the spool may write in dir, when the dump's media come to
// mediaBytes (a variable for tests). A folder vault may share the archive's disk, and the
// backup's free-space check runs with the spool already written: so the spool takes at most
// half of what is free beyond the reserve and a whole copy of the media, and the other half
// stays for the months' upload. A backup that fits without the spool still fits with it.
var spoolLimit = func(dir string, mediaBytes int64) int64 {
	if free, ok := diskfree.Bytes(dir); ok {
		return (free - spoolReserve - mediaBytes) / 2
	}
	return 1 << 30 // where the system cannot say how much is free
}

// newSpool makes the spool in a private folder of the archive, or returns nil (and the months
// are rendered twice, as without it) when there is no room for it.
func newSpool(privateTemp func(prefix string) (string, error), mediaBytes int64) *spool {
	dir, err := privateTemp("dump-")
	if err != nil {
		return nil
	}
	limit := spoolLimit(dir, mediaBytes)
	if limit <= 0 {
		os.RemoveAll(dir)
		return nil
	}
	key := make([]byte, 32)
	rand.Read(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		os.RemoveAll(dir)
		return nil
	}
	return &spool{dir: dir, block: block, limit: limit, at: map[monthID]spoolRef{}}
}

// keystream is the AES-CTR stream of file number n from byte off on.
func (s *spool) keystream(n int, off int64) cipher.Stream {
	var iv [aes.BlockSize]byte
	binary.BigEndian.PutUint64(iv[:8], uint64(n))
	binary.BigEndian.PutUint64(iv[8:], uint64(off/aes.BlockSize))
	st := cipher.NewCTR(s.block, iv[:])
	if skip := off % aes.BlockSize; skip > 0 {
		var b [aes.BlockSize]byte
		st.XORKeyStream(b[:skip], b[:skip])
	}
	return st
}

// file opens a new spool file for one reader, or nil if it cannot. Files are opened one after
// another, before the readers start.
func (s *spool) file() *spoolFile {
	s.mu.Lock()
	n := len(s.files)
	s.mu.Unlock()
	f, err := os.OpenFile(filepath.Join(s.dir, fmt.Sprintf("months-%d", n)), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil
	}
	sf := &spoolFile{s: s, n: n, f: f, w: bufio.NewWriterSize(f, 256<<10), stream: s.keystream(n, 0), buf: make([]byte, 32<<10)}
	s.mu.Lock()
	s.files = append(s.files, sf)
	s.mu.Unlock()
	return sf
}

// Write encrypts p into the file. It never fails: the month being measured must not, so a
// failed write only marks the file unusable.
func (f *spoolFile) Write(p []byte) (int, error) {
	if f.broken {
		return len(p), nil
	}
	for rest := p; len(rest) > 0; {
		chunk := rest[:min(len(rest), len(f.buf))]
		f.stream.XORKeyStream(f.buf[:len(chunk)], chunk)
		if _, err := f.w.Write(f.buf[:len(chunk)]); err != nil {
			f.broken = true
			return len(p), nil
		}
		rest = rest[len(chunk):]
	}
	f.size += int64(len(p))
	return len(p), nil
}

// room reports whether the spool may take another month (it may go over its limit by one).
func (f *spoolFile) room() bool {
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	return !f.broken && f.s.used < f.s.limit
}

// keep records that the month mm, just written from off on (size bytes), can be read back.
func (f *spoolFile) keep(mm monthID, off, size int64) {
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	f.s.used += size
	if !f.broken && f.size-off == size {
		f.s.at[mm] = spoolRef{file: f, off: off}
	}
}

// finish flushes every file: the months are read back only after all are measured.
func (s *spool) finish() {
	for _, f := range s.files {
		if !f.broken && f.w.Flush() != nil {
			f.broken = true
		}
		f.w = nil
	}
}

// open is the measured month mm read back, or nil if the spool does not have it.
func (s *spool) open(mm archive.DumpMonth) io.ReadCloser {
	s.mu.Lock()
	ref, ok := s.at[monthID{mm.ConversationID, mm.Month}]
	s.mu.Unlock()
	if !ok || ref.file.broken || ref.file.w != nil {
		return nil
	}
	return &spoolReader{r: io.NewSectionReader(ref.file.f, ref.off, mm.Size), stream: s.keystream(ref.file.n, ref.off), h: sha256.New(), want: mm.Digest, dir: s.dir}
}

// close removes the spool's files.
func (s *spool) close() {
	for _, f := range s.files {
		f.f.Close()
	}
	os.RemoveAll(s.dir)
}

// spoolReader decrypts a month as it is read and, at its end, checks it against the digest it
// was measured with: a disk that changed the bytes fails the backup instead of storing a month
// that does not match its meta.json.
type spoolReader struct {
	r      *io.SectionReader
	stream cipher.Stream
	h      hash.Hash
	want   string
	dir    string
}

func (r *spoolReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.stream.XORKeyStream(p[:n], p[:n])
	r.h.Write(p[:n])
	if err == io.EOF && hex.EncodeToString(r.h.Sum(nil)) != r.want {
		return n, fmt.Errorf("a month kept for the upload in %s changed on disk", r.dir)
	}
	return n, err
}

func (r *spoolReader) Close() error { return nil }
