package wacrypt

import (
	"bytes"
	"compress/zlib"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// optionalFixture reads a fixture backup if the shared corpus is there,
// without skipping: the fuzz targets also have seeds built in code.
func optionalFixture(name string) []byte {
	dir := os.Getenv("CHATVAULT_FIXTURES")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "fixtures") // next to the repository
	}
	b, _ := os.ReadFile(filepath.Join(dir, fixDir+name))
	return b
}

func fixtureSeeds(f *testing.F, limit int) {
	for _, c := range fixtureCases {
		if b := optionalFixture(c.file); b != nil {
			f.Add(b[:min(len(b), limit)])
		}
	}
}

func FuzzReadHeader(f *testing.F) {
	s := newSynth(20)
	f.Add(s.prefix())
	s.keyType6, s.passkey = 2, true
	f.Add(s.prefix())
	f.Add(append([]byte{20, 0x01}, c15(iv16)...))
	f.Add(withLen(bytesField(prefixC14, msg(bytesField(c14KeyVersion, []byte("1")), bytesField(c14IV, iv16)))))
	f.Add(append([]byte{0, 1, 2}, make([]byte, 64)...))
	f.Add([]byte{0xff, 0xff, 0x03})
	fixtureSeeds(f, 300)
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bytes.NewReader(b)
		h, err := ReadHeader(r)
		if err != nil {
			if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrUnknownFormat) && !errors.Is(err, ErrNeedsServer) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if consumed := len(b) - r.Len(); h.Len != consumed {
			t.Fatalf("header says %d bytes, read %d", h.Len, consumed)
		}
		if len(h.IV) != 16 || (h.Format != Crypt12 && h.Format != Crypt14 && h.Format != Crypt15) {
			t.Fatalf("accepted header %+v", h)
		}
	})
}

func FuzzParseKey(f *testing.F) {
	f.Add([]byte("0123456789abcdef 0123456789abcdef-0123456789ABCDEF\n0123456789abcdef"))
	f.Add(javaBytes(make([]byte, 131)))
	f.Add(javaBytes(make([]byte, 32)))
	f.Add(javaBytes(make([]byte, 7)))
	f.Add([]byte{0xac, 0xed})
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseKey(b)
		if err != nil {
			if k != nil {
				t.Fatal("key and error")
			}
			return
		}
		if k.Kind() != KeyFile && k.Kind() != RootKey {
			t.Fatalf("kind %v", k.Kind())
		}
	})
}

// FuzzDecrypt feeds mutated backups to Decrypt with the right key: it must
// fail cleanly, and whatever it accepts must be a database.
func FuzzDecrypt(f *testing.F) {
	s := newSynth(21)
	db := []byte("SQLite format 3\x00" + string(bytes.Repeat([]byte("page "), 400)))
	f.Add(s.seal(f, db))
	s.noMD5 = true
	f.Add(s.seal(f, db))
	s.raw = true
	f.Add(s.seal(f, db))
	fixtureSeeds(f, 1<<20)
	keys := []*Key{s.key(f)}
	for _, name := range []string{"wacrypt-key", "wacrypt-encrypted_backup.key"} {
		if k, err := ParseKey(optionalFixture(name)); err == nil {
			keys = append(keys, k)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, k := range keys {
			var out bytes.Buffer
			_, err := Decrypt(bytes.NewReader(b), int64(len(b)), k, &out)
			if err == nil && !bytes.HasPrefix(out.Bytes(), sqliteMagic) && !bytes.HasPrefix(out.Bytes(), zipMagic) {
				t.Fatalf("accepted a backup that holds %q...", out.Bytes()[:min(out.Len(), 16)])
			}
		}
	})
}

// FuzzDecryptPayload encrypts arbitrary payloads properly, so the fuzzer
// reaches what follows a good tag: the zlib and database checks.
func FuzzDecryptPayload(f *testing.F) {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte("SQLite format 3\x00 and then some pages"))
	zw.Close()
	f.Add(z.Bytes(), false)
	f.Add([]byte("SQLite format 3\x00"), true)
	f.Add([]byte{0x78, 0x9c, 0x03, 0x00}, false)
	s := newSynth(22)
	key := s.key(f)
	f.Fuzz(func(t *testing.T, payload []byte, noMD5 bool) {
		s := s
		s.raw, s.noMD5 = true, noMD5 // payload is sealed as given
		file := s.seal(t, payload)
		var out bytes.Buffer
		_, err := Decrypt(bytes.NewReader(file), int64(len(file)), key, &out)
		if err == nil && !bytes.HasPrefix(out.Bytes(), sqliteMagic) && !bytes.HasPrefix(out.Bytes(), zipMagic) {
			t.Fatalf("accepted a payload that decrypts to %q...", out.Bytes()[:min(out.Len(), 16)])
		}
	})
}
