package wacrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
)

// Streaming AES-GCM.
//
// Go's cipher.AEAD opens a GCM message only whole, and a msgstore backup is
// 100 MB to 5 GB, so gcmStream takes GCM apart into the two halves the
// standard defines (NIST SP 800-38D) and runs them piece by piece, using
// only the standard library's AES and GCM:
//
//   - Decryption is AES-CTR. The first counter block is inc32(J0), where J0
//     is derived from the nonce. For the 16-byte nonces WhatsApp uses J0 is
//     a GHASH of the nonce; we get it without computing GHASH ourselves: the
//     GCM tag of an empty message with no additional data is E_K(J0) (GHASH
//     of nothing is zero), so J0 = AES-decrypt(Seal(nonce, nil, nil, nil)).
//     GCM increments only the low 32 bits of the counter; cipher.NewCTR
//     increments all 128, so the stream is restarted where the low 32 bits
//     wrap (which happens within a 5 GB file for about one nonce in 14).
//
//   - Authentication is checked at the end with the standard library's own
//     GHASH, reached through the additional-data path of a GCM with the
//     same key (see tagger). A wrong key is caught before that, from the
//     first decrypted bytes (see Decrypt); damage and truncation also show
//     as zlib errors as they occur.
//
// Plaintext therefore reaches the caller before the tag is checked: on any
// error from Decrypt the output must be discarded, which is why chatvault
// decrypts into a private temporary file.
type gcmStream struct {
	block cipher.Block
	ek0   [16]byte // E_K(J0), which masks the tag
	ctr   cipher.Stream
	left  uint64   // keystream bytes before the low 32 counter bits wrap
	next  [16]byte // the counter block after the wrap
	tag   tagger
}

// newGCMStream starts decrypting a GCM message under key with the given
// nonce; chunk is the tagger's buffer size (a multiple of 16, at least 32).
func newGCMStream(key, nonce []byte, chunk int) (*gcmStream, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	g, err := cipher.NewGCMWithNonceSize(block, len(nonce))
	if err != nil {
		return nil, err
	}
	s := &gcmStream{block: block}
	copy(s.ek0[:], g.Seal(nil, nonce, nil, nil))
	var c [16]byte
	block.Decrypt(c[:], s.ek0[:])
	binary.BigEndian.PutUint32(c[12:], binary.BigEndian.Uint32(c[12:])+1) // inc32(J0)
	s.setCounter(c)
	std, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	s.tag.init(std, chunk)
	return s, nil
}

func (s *gcmStream) setCounter(c [16]byte) {
	s.ctr = cipher.NewCTR(s.block, c[:])
	s.left = (1<<32 - uint64(binary.BigEndian.Uint32(c[12:]))) * 16
	s.next = c
	binary.BigEndian.PutUint32(s.next[12:], 0)
}

// decrypt turns the next len(p) ciphertext bytes into plaintext in place.
func (s *gcmStream) decrypt(p []byte) {
	s.tag.write(p)
	for len(p) > 0 {
		n := uint64(len(p))
		if n > s.left {
			n = s.left
		}
		s.ctr.XORKeyStream(p[:n], p[:n])
		s.left -= n
		p = p[n:]
		if s.left == 0 {
			s.setCounter(s.next)
		}
	}
}

// verify reports whether tag is the GCM tag of all the ciphertext given to
// decrypt. It must be called once, at the end.
func (s *gcmStream) verify(tag []byte) bool {
	if len(tag) != 16 {
		return false
	}
	// The tag is E_K(J0) xor a, a = GHASH(C, len); the tagger yields a*H.
	// Compare a*H^3 with b*H^3 for b = tag xor E_K(J0): multiplying by a
	// power of H (nonzero unless AES_K(0) = 0) is one-to-one, so they are
	// equal exactly when a = b.
	var b [16]byte
	subtle.XORBytes(b[:], tag, s.ek0[:])
	aH := s.tag.final()
	lhs := s.tag.mulH(aH, 2) // a*H * H^2
	rhs := s.tag.mulH(b, 3)
	return subtle.ConstantTimeCompare(lhs[:], rhs[:]) == 1
}
