package wacrypt

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// sealStd encrypts with the standard library's one-shot GCM, the reference
// the streaming decryption must agree with.
func sealStd(t testing.TB, key, nonce, plain []byte) (ct, tag []byte) {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	g, err := cipher.NewGCMWithNonceSize(block, len(nonce))
	if err != nil {
		t.Fatal(err)
	}
	out := g.Seal(nil, nonce, plain, nil)
	return out[:len(plain)], out[len(plain):]
}

// openStream decrypts ct in pieces of random sizes and checks tag.
func openStream(t testing.TB, rng *rand.Rand, key, nonce, ct, tag []byte, chunk int) ([]byte, bool) {
	t.Helper()
	s, err := newGCMStream(key, nonce, chunk)
	if err != nil {
		t.Fatal(err)
	}
	p := bytes.Clone(ct)
	for rest := p; len(rest) > 0; {
		n := 1 + rng.IntN(min(len(rest), 3*chunk))
		s.decrypt(rest[:n])
		rest = rest[n:]
	}
	return p, s.verify(tag)
}

func TestGCMStreamMatchesStandardLibrary(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		key := make([]byte, 32)
		nonce := make([]byte, []int{16, 16, 12, 8}[i%4])
		fillRand(rng, key)
		fillRand(rng, nonce)
		size := rng.IntN(600)
		if i%10 == 0 {
			size = rng.IntN(300000)
		}
		plain := make([]byte, size)
		fillRand(rng, plain)
		ct, tag := sealStd(t, key, nonce, plain)
		chunk := []int{32, 48, 64, 4096, 64 << 10}[i%5]

		got, ok := openStream(t, rng, key, nonce, ct, tag, chunk)
		if !bytes.Equal(got, plain) {
			t.Fatalf("case %d (size %d, nonce %d, chunk %d): plaintext differs", i, size, len(nonce), chunk)
		}
		if !ok {
			t.Fatalf("case %d (size %d, nonce %d, chunk %d): the standard library's tag was rejected", i, size, len(nonce), chunk)
		}

		badTag := bytes.Clone(tag)
		badTag[rng.IntN(16)] ^= 1 << rng.IntN(8)
		if _, ok := openStream(t, rng, key, nonce, ct, badTag, chunk); ok {
			t.Fatalf("case %d: a changed tag was accepted", i)
		}
		if size > 0 {
			badCT := bytes.Clone(ct)
			badCT[rng.IntN(size)] ^= 1 << rng.IntN(8)
			if _, ok := openStream(t, rng, key, nonce, badCT, tag, chunk); ok {
				t.Fatalf("case %d: a changed ciphertext was accepted", i)
			}
			if _, ok := openStream(t, rng, key, nonce, ct[:size-1], tag, chunk); ok {
				t.Fatalf("case %d: a shortened ciphertext was accepted", i)
			}
		}
	}
}

// The counter's low 32 bits wrap within a large file for some nonces; GCM
// (inc32) then keeps the upper 96 bits. Compare with a counter written out
// block by block.
func TestCounterWrapsLike32BitIncrement(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	block, _ := aes.NewCipher(key)
	s := &gcmStream{block: block}
	var c [16]byte
	for i := range 12 {
		c[i] = byte(0xf0 + i)
	}
	binary.BigEndian.PutUint32(c[12:], 0xfffffffd)
	s.setCounter(c)
	s.tag.init(mustGCM(t, block), 64)

	got := make([]byte, 16*6+5) // crosses the wrap, ends mid-block
	for rest := got; len(rest) > 0; {
		n := min(len(rest), 7)
		s.decrypt(rest[:n])
		rest = rest[n:]
	}
	want := make([]byte, 0, 16*7)
	ctr := c
	for range 7 {
		var ks [16]byte
		block.Encrypt(ks[:], ctr[:])
		want = append(want, ks[:]...)
		binary.BigEndian.PutUint32(ctr[12:], binary.BigEndian.Uint32(ctr[12:])+1) // wraps to 0, upper bits unchanged
	}
	if !bytes.Equal(got, want[:len(got)]) {
		t.Fatalf("keystream across the 32-bit wrap:\n got %x\nwant %x", got, want[:len(got)])
	}
}

func mustGCM(t *testing.T, b cipher.Block) cipher.AEAD {
	g, err := cipher.NewGCM(b)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func fillRand(rng *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
}
