package wacrypt

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
)

const chunkSize = 64 << 10

var (
	sqliteMagic = []byte("SQLite format 3\x00")
	zipMagic    = []byte("PK\x03\x04")
)

// Decrypt reads a whole backup from r (size bytes long, as from Stat; -1 if
// unknown) and writes the database it holds to w, streaming: memory stays
// bounded (under 1 MiB of buffers) whatever the size.
//
// A wrong key is reported as ErrWrongKey before anything is written to w,
// from the key file's salts (crypt12/14) or from the first decrypted bytes,
// which must be a zlib stream that starts a SQLite database (or a ZIP, as in
// sticker backups) or, uncompressed, a SQLite database. A backup protected
// by a WhatsApp password or passkey gives ErrNeedsServer instead when the key
// does not open it.
//
// Plaintext reaches w before the GCM tag, which covers the whole file, can
// be checked (see gcmStream): when Decrypt returns an error, everything
// written to w must be discarded. A file cut short gives ErrTruncated and a
// damaged or altered one ErrCorrupt. The returned header is the file's, with
// JIDSuffix filled from the trailer for crypt12.
func Decrypt(r io.Reader, size int64, key *Key, w io.Writer) (*Header, error) {
	if key == nil || key.kind == 0 {
		return nil, errors.New("wacrypt: no key")
	}
	h, raw, err := readHeader(r)
	if err != nil {
		return nil, err
	}
	aesKey, err := keyFor(h, key)
	if err != nil {
		return h, err
	}
	b := newBody(r, h, raw, -1)
	if size >= 0 {
		if size < int64(h.Len+b.hold) {
			return h, fmt.Errorf("%w: %d bytes, too short for a %s backup", ErrTruncated, size, h.Format)
		}
		b.want = size - int64(h.Len)
		b.r = io.LimitReader(r, b.want)
	}
	s, err := newGCMStream(aesKey, h.IV, chunkSize)
	if err != nil {
		return h, err
	}
	pr := bufio.NewReaderSize(&plainReader{b, s}, chunkSize)
	if err := copyPlain(pr, h, w); err != nil {
		return h, err
	}
	// The compressed stream is over; the tag covers any ciphertext after it.
	if _, err := io.Copy(io.Discard, pr); err != nil {
		return h, err
	}
	if !s.verify(b.tag[:]) {
		return h, fmt.Errorf("%w: the GCM authentication tag does not match", ErrCorrupt)
	}
	if h.Format == Crypt12 {
		if !b.md5OK {
			return h, fmt.Errorf("%w: the MD5 checksum in the trailer does not match", ErrCorrupt)
		}
		h.JIDSuffix = b.suffix
	}
	return h, nil
}

// keyFor checks that key fits the backup and returns its AES key.
func keyFor(h *Header, key *Key) ([]byte, error) {
	switch h.Format {
	case Crypt15:
		if key.kind != RootKey {
			return nil, fmt.Errorf("%w: a crypt15 (end-to-end) backup needs the 64-digit key or the encrypted_backup.key file, not the crypt12/14 'key' file", ErrWrongKey)
		}
		return key.backupKey()
	default:
		if key.kind != KeyFile {
			return nil, fmt.Errorf("%w: a %s backup needs the 'key' file from /data/data/com.whatsapp/files/key, not a 64-digit or crypt15 key", ErrWrongKey, h.Format)
		}
		if len(h.ServerSalt) == 32 && subtle.ConstantTimeCompare(h.ServerSalt, key.serverSalt[:]) != 1 ||
			len(h.GoogleIDSalt) == 16 && subtle.ConstantTimeCompare(h.GoogleIDSalt, key.googleIDSalt[:]) != 1 {
			return nil, fmt.Errorf("%w: the key file belongs to another phone or account (its salts differ from the backup's)", ErrWrongKey)
		}
		return bytes.Clone(key.aes[:]), nil
	}
}

// plainReader decrypts the body as it is read.
type plainReader struct {
	b *body
	s *gcmStream
}

func (p *plainReader) Read(buf []byte) (int, error) {
	n, err := p.b.Read(buf)
	p.s.decrypt(buf[:n])
	return n, err
}

// copyPlain checks the start of the plaintext, then inflates it into w.
func copyPlain(pr *bufio.Reader, h *Header, w io.Writer) error {
	head, err := pr.Peek(2)
	if err != nil {
		return readErr(err, "at the start of the data")
	}
	var src io.Reader
	switch {
	case zlibHeader(head):
		zr, err := zlib.NewReader(pr)
		if err != nil {
			return wrongKey(h, "the data is not a zlib stream")
		}
		src = zr
	default:
		if m, _ := pr.Peek(len(sqliteMagic)); !bytes.Equal(m, sqliteMagic) {
			return wrongKey(h, "the decrypted data is neither zlib nor SQLite")
		}
		src = pr
	}

	first := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(src, first); err != nil {
		if errors.As(err, new(flate.CorruptInputError)) {
			return wrongKey(h, "the decrypted data does not inflate")
		}
		return readErr(err, "at the start of the database")
	}
	if !bytes.Equal(first, sqliteMagic) && !bytes.HasPrefix(first, zipMagic) {
		return wrongKey(h, "the decrypted data is neither a SQLite database nor a ZIP archive")
	}
	if _, err := w.Write(first); err != nil {
		return fmt.Errorf("writing the database: %w", err)
	}
	written := int64(len(first))
	buf := make([]byte, chunkSize)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return fmt.Errorf("writing the database: %w", werr)
			}
			written += int64(n)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return readErr(err, fmt.Sprintf("after %d bytes of database", written))
		}
	}
}

// zlibHeader reports a valid zlib header: deflate, window <= 32 KiB, no
// preset dictionary, check bits. A wrong key passes it about once in 2000.
func zlibHeader(b []byte) bool {
	return b[0]&0x0f == 8 && b[0]>>4 <= 7 && b[1]&0x20 == 0 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}

func wrongKey(h *Header, why string) error {
	if h.NeedsServer() {
		return fmt.Errorf("%w (%s)", ErrNeedsServer, why)
	}
	return fmt.Errorf("%w (%s)", ErrWrongKey, why)
}

// readErr names a failure while reading the plaintext.
func readErr(err error, where string) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, ErrTruncated), errors.Is(err, ErrCorrupt):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%w: the compressed database ends early, %s", ErrTruncated, where)
	case errors.As(err, &corrupt):
		return fmt.Errorf("%w: compressed data is invalid %s", ErrCorrupt, where)
	case errors.Is(err, zlib.ErrChecksum):
		return fmt.Errorf("%w: the zlib checksum does not match %s", ErrCorrupt, where)
	}
	return err
}
