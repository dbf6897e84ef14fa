package backuptest

import (
	"crypto/aes"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// wrapKey is AES key wrap, RFC 3394 section 2.2.1 (index-based form), default IV A6A6A6A6A6A6A6A6.
func wrapKey(kek, key []byte) ([]byte, error) {
	if len(key)%8 != 0 || len(key) < 16 {
		return nil, fmt.Errorf("backuptest: key wrap needs a multiple of 8 bytes, at least 16")
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	n := len(key) / 8
	a := uint64(0xA6A6A6A6A6A6A6A6)
	r := append([]byte{}, key...)
	var buf [16]byte
	for j := 0; j <= 5; j++ {
		for i := 1; i <= n; i++ {
			binary.BigEndian.PutUint64(buf[:8], a)
			copy(buf[8:], r[(i-1)*8:i*8])
			block.Encrypt(buf[:], buf[:])
			a = binary.BigEndian.Uint64(buf[:8]) ^ uint64(n*j+i)
			copy(r[(i-1)*8:i*8], buf[8:])
		}
	}
	return append(binary.BigEndian.AppendUint64(nil, a), r...), nil
}

// Keybag classes: 1–4 are the file protection classes, 6–11 the keychain ones; real backup
// keybags carry all ten, each wrapped with the password (WRAP bit 2).
var keybagClasses = []uint32{1, 2, 3, 4, 6, 7, 8, 9, 10, 11}

// makeKeybag creates random class keys, derives the key-encryption key from the password and
// builds the BackupKeyBag TLV; it also picks the Manifest.db key.
func (w *writer) makeKeybag() error {
	salt, dpsl := w.random(20), w.random(20)
	secret := []byte(w.opts.Password)
	if !w.opts.Legacy {
		k, err := pbkdf2.Key(sha256.New, w.opts.Password, dpsl, w.opts.DPIC, 32)
		if err != nil {
			return err
		}
		secret = k
	}
	kek, err := pbkdf2.Key(sha1.New, string(secret), salt, w.opts.Iter, 32)
	if err != nil {
		return err
	}
	var bag []byte
	tlv := func(tag string, v []byte) {
		bag = append(bag, tag...)
		bag = binary.BigEndian.AppendUint32(bag, uint32(len(v)))
		bag = append(bag, v...)
	}
	u32 := func(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }
	tlv("VERS", u32(5))
	tlv("TYPE", u32(1)) // backup keybag
	tlv("UUID", w.random(16))
	tlv("HMCK", w.random(40))
	tlv("WRAP", u32(0))
	tlv("SALT", salt)
	tlv("ITER", u32(uint32(w.opts.Iter)))
	if !w.opts.Legacy {
		tlv("DPWT", u32(1))
		tlv("DPIC", u32(uint32(w.opts.DPIC)))
		tlv("DPSL", dpsl)
	}
	w.classKeys = map[uint32][]byte{}
	for _, c := range keybagClasses {
		k := w.random(32)
		wpky, err := wrapKey(kek, k)
		if err != nil {
			return err
		}
		w.classKeys[c] = k
		tlv("UUID", w.random(16))
		tlv("CLAS", u32(c))
		tlv("WRAP", u32(2))
		tlv("KTYP", u32(0))
		tlv("WPKY", wpky)
	}
	w.keybag = bag
	if !w.opts.Legacy {
		w.manifestDB = w.random(32)
		if w.manifestKy, err = w.classWrap(manifestClass, w.manifestDB); err != nil {
			return err
		}
	}
	return nil
}
