package backup

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
	"os"
)

// cbcReader serves the plaintext of an AES-256-CBC file encrypted with a zero IV, decrypting
// only the blocks a read touches: in CBC each block's IV is the ciphertext block before it, so
// any block decrypts from the file alone. Safe for concurrent ReadAt (os.File.ReadAt is).
type cbcReader struct {
	f     *os.File
	block cipher.Block
	size  int64 // plaintext bytes served; the padding after them is never returned
	name  string
}

// cbcChunk bounds the ciphertext held per step of a large read.
const cbcChunk = 1 << 20

func newCBCReader(f *os.File, key []byte, size int64, name string) (*cbcReader, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &cbcReader{f: f, block: block, size: size, name: name}, nil
}

func (c *cbcReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("%s: negative offset", c.name)
	}
	if off >= c.size {
		return 0, io.EOF
	}
	want := len(p)
	if int64(want) > c.size-off {
		want = int(c.size - off)
	}
	done := 0
	for done < want {
		n := min(want-done, cbcChunk)
		if err := c.decryptRange(p[done:done+n], off+int64(done)); err != nil {
			return done, err
		}
		done += n
	}
	if done < len(p) {
		return done, io.EOF
	}
	return done, nil
}

// decryptRange fills p with plaintext from off; the range lies inside the plaintext.
func (c *cbcReader) decryptRange(p []byte, off int64) error {
	if n := len(p) &^ 15; off%16 == 0 && n > 0 {
		// Whole blocks from a block boundary, as a file copied from its start is read: the
		// ciphertext goes straight into p and is decrypted in place, with no buffer per read.
		if err := c.decryptBlocks(p[:n], off); err != nil {
			return err
		}
		if n == len(p) {
			return nil
		}
		p, off = p[n:], off+int64(n)
	}
	first := off &^ 15
	end := (off + int64(len(p)) + 15) &^ 15
	start := first - 16 // the IV block
	if first == 0 {
		start = 0
	}
	buf := make([]byte, end-start)
	if _, err := c.f.ReadAt(buf, start); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: encrypted file is truncated at %d bytes: %w", c.name, end, io.ErrUnexpectedEOF)
		}
		return fmt.Errorf("%s: %w", c.name, err)
	}
	iv := make([]byte, 16)
	ct := buf
	if first > 0 {
		copy(iv, buf[:16])
		ct = buf[16:]
	}
	cipher.NewCBCDecrypter(c.block, iv).CryptBlocks(ct, ct)
	copy(p, ct[off-first:])
	return nil
}

// decryptBlocks fills p, a whole number of blocks starting on a block boundary inside the
// plaintext, with plaintext from off.
func (c *cbcReader) decryptBlocks(p []byte, off int64) error {
	var iv [16]byte
	err := error(nil)
	if off > 0 {
		_, err = c.f.ReadAt(iv[:], off-16)
	}
	if err == nil {
		_, err = c.f.ReadAt(p, off)
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: encrypted file is truncated at %d bytes: %w", c.name, off+int64(len(p)), io.ErrUnexpectedEOF)
		}
		return fmt.Errorf("%s: %w", c.name, err)
	}
	cipher.NewCBCDecrypter(c.block, iv[:]).CryptBlocks(p, p)
	return nil
}

// checkPadding verifies that the ciphertext is exactly the PKCS#7-padded plaintext: its length
// is size rounded up to the next whole block (a full block when size is a multiple of 16) and
// the last block ends in valid padding. A file cut on a block boundary fails here, not with
// garbage at the end of the last read.
func (c *cbcReader) checkPadding(clen int64) error {
	want := (c.size/16 + 1) * 16
	if clen != want {
		return fmt.Errorf("%s: encrypted file is %d bytes, want %d for %d bytes of content (truncated or damaged)", c.name, clen, want, c.size)
	}
	pad := byte(clen - c.size)
	last := make([]byte, 16)
	iv := make([]byte, 16)
	if clen > 16 {
		b := make([]byte, 32)
		if _, err := c.f.ReadAt(b, clen-32); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		copy(iv, b[:16])
		copy(last, b[16:])
	} else if _, err := c.f.ReadAt(last, 0); err != nil {
		return fmt.Errorf("%s: %w", c.name, err)
	}
	cipher.NewCBCDecrypter(c.block, iv).CryptBlocks(last, last)
	for _, x := range last[16-int(pad):] {
		if x != pad {
			return fmt.Errorf("%s: bad padding after decryption (wrong key or damaged file)", c.name)
		}
	}
	return nil
}
