package wacrypt

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
)

// tagger computes GHASH of a ciphertext that arrives in pieces, using the
// standard library's GCM as the only GHASH implementation.
//
// With a fixed nonce, a GCM tag over additional data X and an empty message
// is T(X) = E ^ (Y(X) ^ L(|X|))*H, where Y(X) is the GHASH state after X's
// zero-padded blocks (Y(X1..Xn) = sum Xi*H^(n-i+1)), L the length block and
// H = AES_K(0). The all-zero X of the same length has Y = 0, so
//
//	Z(X) = T(X) ^ T(0^|X|) = Y(X)*H.
//
// A single block w followed by k zero blocks has Y = w*H^(k+1), so
// Z(w, 0^k) = w*H^(k+2): multiplication by H^q for any q >= 2 (mulH).
// Horner's rule then folds chunk after chunk: Y(P|Q)*H = (Y(P)*H)*H^q ^
// Y(Q)*H, q being Q's block count. Every step is the standard library's
// own (constant-time, hardware-accelerated) GHASH; the cost is about three
// GHASH passes over the data, small next to AES and zlib.
type tagger struct {
	aead    cipher.AEAD
	nonce   [12]byte
	out     []byte // Seal's destination, reused
	buf     []byte // pending ciphertext, at most chunk bytes (+32 at the end)
	chunk   int
	scratch []byte // w followed by zeros, for mulH; kept zero past 16 bytes
	zeros   []byte
	zeroT   map[int][16]byte // T(0^n) by n
	w       [16]byte         // Y(ciphertext folded so far)*H
	started bool
	n       uint64 // ciphertext bytes seen
}

func (t *tagger) init(aead cipher.AEAD, chunk int) {
	t.aead = aead
	t.chunk = chunk
	t.out = make([]byte, 0, 16)
	t.buf = make([]byte, 0, chunk+32)
	t.scratch = make([]byte, chunk+32)
	t.zeros = make([]byte, chunk+32)
	t.zeroT = make(map[int][16]byte)
}

func (t *tagger) sealAD(x []byte) (r [16]byte) {
	copy(r[:], t.aead.Seal(t.out[:0], t.nonce[:], nil, x))
	return r
}

// z returns Y(x)*H; len(x) is at most chunk+32.
func (t *tagger) z(x []byte) [16]byte {
	z0, ok := t.zeroT[len(x)]
	if !ok {
		z0 = t.sealAD(t.zeros[:len(x)])
		t.zeroT[len(x)] = z0
	}
	r := t.sealAD(x)
	subtle.XORBytes(r[:], r[:], z0[:])
	return r
}

// mulH returns w*H^q for 2 <= q <= chunk/16+3.
func (t *tagger) mulH(w [16]byte, q int) [16]byte {
	copy(t.scratch, w[:])
	return t.z(t.scratch[:16*(q-1)])
}

func (t *tagger) fold(x []byte) {
	zx := t.z(x)
	if t.started {
		t.w = t.mulH(t.w, (len(x)+15)/16)
		subtle.XORBytes(t.w[:], t.w[:], zx[:])
	} else {
		t.w, t.started = zx, true
	}
}

func (t *tagger) write(p []byte) {
	t.n += uint64(len(p))
	for len(p) > 0 {
		// Fold a full buffer only when more data follows, so the last
		// fold always holds some ciphertext plus the length block (two
		// blocks or more, as mulH needs).
		if len(t.buf) == t.chunk {
			t.fold(t.buf)
			t.buf = t.buf[:0]
		}
		n := copy(t.buf[len(t.buf):t.chunk], p)
		t.buf = t.buf[:len(t.buf)+n]
		p = p[n:]
	}
}

// final folds the rest of the ciphertext, padded, and GCM's length block
// (no additional data, ciphertext length in bits) and returns Y*H, where Y
// is the GHASH whose mask with E_K(J0) is the tag.
func (t *tagger) final() [16]byte {
	if pad := len(t.buf) % 16; pad != 0 {
		t.buf = append(t.buf, t.zeros[:16-pad]...)
	}
	var l [16]byte
	binary.BigEndian.PutUint64(l[8:], t.n*8)
	t.buf = append(t.buf, l[:]...)
	t.fold(t.buf)
	t.buf = t.buf[:0]
	return t.w
}
