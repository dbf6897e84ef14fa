package sqlcipher

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"
)

// ErrWrongKey says page 1 did not decrypt with the key and parameters given: a wrong key, the
// wrong parameter set, or a file that is not SQLCipher at all. The wrapping error names the
// parameters tried.
var ErrWrongKey = errors.New("sqlcipher: wrong key or cipher parameters")

// ErrCorrupt is wrapped by read errors for a page whose HMAC does not match: the file is
// damaged or was changed. The wrapping error names the page.
var ErrCorrupt = errors.New("sqlcipher: page failed its HMAC check")

// sqliteMagic is what page 1 of a plain SQLite file starts with; SQLCipher stores the salt there.
const sqliteMagic = "SQLite format 3\x00"

// DB is an open encrypted database. Its ReadAt is safe for concurrent use.
type DB struct {
	r      io.ReaderAt
	p      Params
	size   int64 // whole pages only
	pages  int64
	block  cipher.Block
	macKey []byte
	mac    func() hash.Hash
	cache  *pageCache
	pool   sync.Pool // encrypted-page buffers
}

// Open checks that key and p decrypt page 1 of the size-byte file r and returns a reader of its
// plaintext. A trailing partial page (a copy taken mid-write) is left out of the plaintext.
func Open(r io.ReaderAt, size int64, key []byte, p Params) (*DB, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	ps := int64(p.PageSize)
	if size < ps {
		return nil, fmt.Errorf("sqlcipher: file of %d bytes is shorter than one %d-byte page", size, ps)
	}
	page1 := make([]byte, ps)
	if err := readFull(r, page1, 0); err != nil {
		return nil, fmt.Errorf("sqlcipher: reading page 1: %w", err)
	}
	salt := page1[:saltSize]
	if p.PlaintextHeader > 0 {
		salt = p.Salt
	} else if string(page1[:len(sqliteMagic)]) == sqliteMagic {
		return nil, fmt.Errorf("%w: page 1 begins with a plain SQLite header: an unencrypted database, or SQLCipher with a plaintext header (tried %v)", ErrWrongKey, p)
	}
	encKey, macKey, err := deriveKeys(key, salt, p)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, fmt.Errorf("sqlcipher: %w", err)
	}
	db := &DB{r: r, p: p, size: size / ps * ps, pages: size / ps, block: block, macKey: macKey, cache: newPageCache(cachePages)}
	if p.HMAC {
		db.mac = p.HMACHash.new()
	}
	db.pool.New = func() any { b := make([]byte, p.PageSize); return &b }

	plain := make([]byte, ps)
	if err := db.decrypt(1, page1, plain); err != nil {
		if errors.Is(err, ErrCorrupt) {
			return nil, fmt.Errorf("%w: page 1 HMAC does not match (tried %v)", ErrWrongKey, p)
		}
		return nil, err
	}
	if why := checkHeader(plain, p); why != "" {
		return nil, fmt.Errorf("%w: decrypted page 1 is not an SQLite header: %s (tried %v)", ErrWrongKey, why, p)
	}
	db.cache.put(1, plain)
	return db, nil
}

// checkHeader says what is wrong with a decrypted page 1, or "" when it is a plausible SQLite
// header for p. Without HMAC this is the only test of the key: page size, reserve, the fixed
// payload fractions 64/32/32 and a table b-tree page type together leave a wrong key about one
// chance in 2^45 of passing.
func checkHeader(b []byte, p Params) string {
	ps := int(binary.BigEndian.Uint16(b[16:18]))
	if ps == 1 {
		ps = 65536
	}
	switch {
	case ps != p.PageSize:
		return fmt.Sprintf("page size field %d, want %d", ps, p.PageSize)
	case b[18] < 1 || b[18] > 2 || b[19] < 1 || b[19] > 2:
		return fmt.Sprintf("file format versions %d/%d, want 1 or 2", b[18], b[19])
	case int(b[20]) < p.Reserve || p.PageSize-int(b[20]) < 480:
		// At least, not equal: SQLite never lowers a b-tree's reserve once set (nReserveWanted),
		// so SQLCipher 4.9 with cipher_compatibility = 1..3 writes 80 (its SHA512 default) in the
		// header while encrypting with a 16- or 48-byte reserve; SQLCipher 3.4.1 reads those files.
		return fmt.Sprintf("reserve field %d, want %d or more", b[20], p.Reserve)
	case b[21] != 64 || b[22] != 32 || b[23] != 32:
		return fmt.Sprintf("payload fractions %d/%d/%d, want 64/32/32", b[21], b[22], b[23])
	case b[100] != 0x0d && b[100] != 0x05:
		return fmt.Sprintf("schema page type %#x, want a table b-tree page", b[100])
	}
	return ""
}

// Size is the size of the plaintext database in bytes.
func (db *DB) Size() int64 { return db.size }

// PageSize is the database's page size.
func (db *DB) PageSize() int { return db.p.PageSize }

// Params are the parameters the database was opened with.
func (db *DB) Params() Params { return db.p }

// ReadAt reads plaintext as SQLite would from an unencrypted copy of the database: page 1
// starts with "SQLite format 3\x00" and each page's reserve bytes are zero.
func (db *DB) ReadAt(b []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("sqlcipher: negative offset %d", off)
	}
	n := 0
	for n < len(b) {
		if off >= db.size {
			return n, io.EOF
		}
		ps := int64(db.p.PageSize)
		pgno := off/ps + 1
		page, err := db.page(pgno)
		if err != nil {
			return n, err
		}
		c := copy(b[n:], page[off%ps:])
		n += c
		off += int64(c)
	}
	return n, nil
}

// page returns the plaintext of page pgno (1-based), from the cache or decrypted now. The
// returned slice is shared: callers only read it.
func (db *DB) page(pgno int64) ([]byte, error) {
	if pg := db.cache.get(pgno); pg != nil {
		return pg, nil
	}
	ps := int64(db.p.PageSize)
	encp := db.pool.Get().(*[]byte)
	defer db.pool.Put(encp)
	enc := *encp
	if err := readFull(db.r, enc, (pgno-1)*ps); err != nil {
		return nil, fmt.Errorf("sqlcipher: reading page %d: %w", pgno, err)
	}
	plain := make([]byte, ps)
	if err := db.decrypt(pgno, enc, plain); err != nil {
		return nil, err
	}
	db.cache.put(pgno, plain)
	return plain, nil
}

// decrypt checks the HMAC of encrypted page pgno and decrypts it into out (both PageSize long).
func (db *DB) decrypt(pgno int64, enc, out []byte) error {
	p := db.p
	start := 0
	if pgno == 1 {
		start = saltSize
		if p.PlaintextHeader > 0 {
			start = p.PlaintextHeader
		}
	} else if allZero(enc) {
		// A page that was allocated but never written (a copy taken mid-write) reads as zeros,
		// as it would in a plain file; chatlog's decryptors pass such pages through too.
		clear(out)
		return nil
	}
	end := p.PageSize - p.Reserve // ciphertext ends here; the IV follows
	iv := enc[end : end+ivSize]
	if p.HMAC {
		m := hmac.New(db.mac, db.macKey)
		m.Write(enc[start : end+ivSize])
		var pn [4]byte
		binary.LittleEndian.PutUint32(pn[:], uint32(pgno))
		m.Write(pn[:])
		want := enc[end+ivSize : end+ivSize+p.HMACHash.size()]
		if !hmac.Equal(m.Sum(nil), want) {
			return fmt.Errorf("%w: page %d (bytes %d..%d of the file)", ErrCorrupt, pgno, (pgno-1)*int64(p.PageSize), pgno*int64(p.PageSize))
		}
	}
	cipher.NewCBCDecrypter(db.block, iv).CryptBlocks(out[start:end], enc[start:end])
	clear(out[end:])
	if pgno == 1 {
		if p.PlaintextHeader > 0 {
			copy(out[:start], enc[:start])
		} else {
			copy(out, sqliteMagic)
		}
	}
	return nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// readFull is ReadAt that accepts io.EOF with a full buffer, as the io.ReaderAt contract allows.
func readFull(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}
