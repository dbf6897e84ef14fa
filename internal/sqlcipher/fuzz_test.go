package sqlcipher

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"encoding/binary"
	"testing"
)

// fuzzParams keep PBKDF2 cheap so the fuzzer spends its time in page handling.
var fuzzParams = Params{Name: "fuzz", PageSize: 1024, KDF: PBKDF2, KDFHash: SHA1, KDFIter: 1,
	HMAC: true, HMACHash: SHA1, HMACKDFIter: 2, Reserve: 48}

// fuzzNoHMAC lets mutated pages after page 1 reach the decryption and ReadAt paths.
var fuzzNoHMAC = Params{Name: "fuzz, no HMAC", PageSize: 1024, KDF: PBKDF2, KDFHash: SHA1, KDFIter: 1,
	HMACKDFIter: 2, Reserve: 16}

var fuzzKey = []byte("fuzz")

// encryptPages builds a valid encrypted file from plaintext pages, for seeds only: every real
// file in the other tests comes from the sqlcipher CLI.
func encryptPages(t testing.TB, p Params, key []byte, plain [][]byte) []byte {
	salt := bytes.Repeat([]byte{0x5a}, saltSize)
	enc, mac, err := deriveKeys(key, salt, p)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(enc)
	var out []byte
	for i, pg := range plain {
		b := make([]byte, p.PageSize)
		start := 0
		if i == 0 {
			start = saltSize
			copy(b, salt)
		}
		end := p.PageSize - p.Reserve
		iv := b[end : end+ivSize]
		copy(iv, bytes.Repeat([]byte{byte(i + 1)}, ivSize))
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(b[start:end], pg[start:end])
		if p.HMAC {
			m := hmac.New(p.HMACHash.new(), mac)
			m.Write(b[start : end+ivSize])
			binary.Write(m, binary.LittleEndian, uint32(i+1))
			copy(b[end+ivSize:], m.Sum(nil))
		}
		out = append(out, b...)
	}
	return out
}

func seedHeader(p Params) []byte {
	hdr := make([]byte, p.PageSize)
	copy(hdr, sqliteMagic)
	binary.BigEndian.PutUint16(hdr[16:], uint16(p.PageSize))
	hdr[18], hdr[19], hdr[20], hdr[21], hdr[22], hdr[23] = 2, 2, byte(p.Reserve), 64, 32, 32
	hdr[100] = 0x0d
	return hdr
}

func FuzzOpenReadAt(f *testing.F) {
	page2 := bytes.Repeat([]byte{0xab}, 1024)
	for i, p := range []Params{fuzzParams, fuzzNoHMAC} {
		hmacOn := i == 0
		good := encryptPages(f, p, fuzzKey, [][]byte{seedHeader(p), page2, page2})
		f.Add(good, hmacOn, int64(0), uint16(100))
		f.Add(good, hmacOn, int64(500), uint16(1600))
		f.Add(good[:2500], hmacOn, int64(0), uint16(4096))
		f.Add(append(bytes.Clone(good), make([]byte, 1024)...), hmacOn, int64(2000), uint16(3000))
	}
	f.Add([]byte(sqliteMagic), true, int64(0), uint16(16))
	f.Add([]byte{}, false, int64(-1), uint16(0))
	f.Fuzz(func(t *testing.T, file []byte, hmacOn bool, off int64, n uint16) {
		p := fuzzNoHMAC
		if hmacOn {
			p = fuzzParams
		}
		db, err := Open(bytes.NewReader(file), int64(len(file)), fuzzKey, p)
		if err != nil {
			return
		}
		buf := make([]byte, n)
		got, err := db.ReadAt(buf, off)
		if got > len(buf) || (err == nil && got != len(buf)) {
			t.Fatalf("ReadAt = %d, %v for %d bytes", got, err, len(buf))
		}
		if off == 0 && got >= 16 && string(buf[:16]) != sqliteMagic {
			t.Fatalf("page 1 starts %q", buf[:16])
		}
		if db.Size()%int64(p.PageSize) != 0 || db.Size() > int64(len(file)) {
			t.Fatalf("Size %d for a %d-byte file", db.Size(), len(file))
		}
	})
}

// TestSeedDecrypts keeps the fuzz seed honest: it must open, or the fuzzer explores nothing.
func TestSeedDecrypts(t *testing.T) {
	hdr := seedHeader(fuzzParams)
	page2 := bytes.Repeat([]byte{0xab}, fuzzParams.PageSize)
	file := encryptPages(t, fuzzParams, fuzzKey, [][]byte{hdr, page2})
	db, err := Open(bytes.NewReader(file), int64(len(file)), fuzzKey, fuzzParams)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 2*fuzzParams.PageSize)
	if _, err := db.ReadAt(got, 0); err != nil {
		t.Fatal(err)
	}
	end := fuzzParams.PageSize - fuzzParams.Reserve
	if !bytes.Equal(got[:end], hdr[:end]) || !bytes.Equal(got[fuzzParams.PageSize:fuzzParams.PageSize+end], page2[:end]) ||
		!bytes.Equal(got[end:fuzzParams.PageSize], make([]byte, fuzzParams.Reserve)) {
		t.Fatal("round trip differs")
	}
}
