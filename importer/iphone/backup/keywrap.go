package backup

import (
	"crypto/aes"
	"crypto/subtle"
	"encoding/binary"
	"errors"
)

// errUnwrap is an RFC 3394 integrity failure: the key-encryption key is not the one that
// wrapped the data (for a class key, a wrong password).
var errUnwrap = errors.New("AES key unwrap integrity check failed")

// keyIV is RFC 3394's default initial value (section 2.2.3.1).
var keyIV = [8]byte{0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6}

// unwrapKey undoes AES key wrap (RFC 3394 section 2.2.2, index-based form). Go's standard
// library has no key wrap, and the algorithm is short.
func unwrapKey(kek, wrapped []byte) ([]byte, error) {
	if len(wrapped) < 24 || len(wrapped)%8 != 0 {
		return nil, errors.New("wrapped key is not a multiple of 8 bytes of at least 24")
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	n := len(wrapped)/8 - 1
	var a [8]byte
	copy(a[:], wrapped[:8])
	r := make([]byte, n*8)
	copy(r, wrapped[8:])
	var buf [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(buf[:8], binary.BigEndian.Uint64(a[:])^t)
			copy(buf[8:], r[(i-1)*8:i*8])
			block.Decrypt(buf[:], buf[:])
			copy(a[:], buf[:8])
			copy(r[(i-1)*8:i*8], buf[8:])
		}
	}
	if subtle.ConstantTimeCompare(a[:], keyIV[:]) != 1 {
		return nil, errUnwrap
	}
	return r, nil
}
