package wacrypt

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestSyntheticCrypt15(t *testing.T) {
	db := makeDB(t, 300<<10, 1)
	rows := countRows(t, db)
	for _, c := range []struct {
		name string
		edit func(*synth)
	}{
		{"md5", func(s *synth) {}},
		{"no md5 (multi-file backup)", func(s *synth) { s.noMD5 = true }},
		{"stored, not compressed", func(s *synth) { s.raw = true }},
		{"zlib level 1", func(s *synth) { s.level = 1 }},
		{"64-digit key type (field 6)", func(s *synth) { s.keyType6 = int64(KeyTypeE2EEKey) }},
		{"no key type", func(s *synth) { s.keyType = -1 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSynth(2)
			c.edit(&s)
			file := s.seal(t, db)
			h, got, err := decryptBytes(file, s.key(t))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, db) {
				t.Fatalf("decrypted %d bytes, want the %d-byte database", len(got), len(db))
			}
			if n := countRows(t, got); n != rows {
				t.Fatalf("%d rows, want %d", n, rows)
			}
			if h.Format != Crypt15 || h.AppVersion != "2.24.2.76" || h.JIDSuffix != "42" || !bytes.Equal(h.IV, s.iv[:]) {
				t.Errorf("header %+v", h)
			}
		})
	}
}

func TestSyntheticWrongKeyAndServerKeys(t *testing.T) {
	db := makeDB(t, 20<<10, 3)
	for _, c := range []struct {
		name string
		edit func(*synth)
		want error
	}{
		{"64-digit backup", func(s *synth) {}, ErrWrongKey},
		{"password backup", func(s *synth) { s.keyType6 = int64(KeyTypeE2EEPassword) }, ErrNeedsServer},
		{"passkey backup", func(s *synth) { s.keyType6 = int64(KeyTypeE2EEPasskey); s.passkey = true }, ErrNeedsServer},
	} {
		s := newSynth(4)
		c.edit(&s)
		file := s.seal(t, db)
		other := newSynth(5).key(t)
		var out bytes.Buffer
		_, err := Decrypt(bytes.NewReader(file), int64(len(file)), other, &out)
		if !errors.Is(err, c.want) {
			t.Errorf("%s, other key: err %v, want %v", c.name, err, c.want)
		}
		if out.Len() != 0 {
			t.Errorf("%s: %d bytes written", c.name, out.Len())
		}
		// The right root key (encrypted_backup.key from the phone) still opens it.
		if _, got, err := decryptBytes(file, s.key(t)); err != nil || !bytes.Equal(got, db) {
			t.Errorf("%s, right key: err %v", c.name, err)
		}
	}
}

func TestPasskeyWithoutNonceNeedsServer(t *testing.T) {
	s := newSynth(6)
	s.noIV, s.passkey, s.keyType6 = true, true, int64(KeyTypeE2EEPasskey)
	file := s.seal(t, []byte("SQLite format 3\x00"))
	if _, err := ReadHeader(bytes.NewReader(file)); !errors.Is(err, ErrNeedsServer) {
		t.Fatalf("ReadHeader: %v, want ErrNeedsServer", err)
	}
	if _, _, err := decryptBytes(file, s.key(t)); !errors.Is(err, ErrNeedsServer) {
		t.Fatalf("Decrypt: %v, want ErrNeedsServer", err)
	}
}

func TestSyntheticDamage(t *testing.T) {
	db := makeDB(t, 200<<10, 8)
	for _, noMD5 := range []bool{false, true} {
		s := newSynth(9)
		s.noMD5 = noMD5
		file := s.seal(t, db)
		hlen := len(s.prefix())
		for _, off := range []int{hlen, hlen + 1, hlen + 777, len(file) / 2, len(file) - 40, len(file) - 20, len(file) - 1} {
			bad := bytes.Clone(file)
			bad[off] ^= 0x01
			if _, _, err := decryptBytes(bad, s.key(t)); err == nil {
				t.Errorf("noMD5=%v: byte %d of %d flipped: no error", noMD5, off, len(file))
			}
		}
		for _, n := range []int{hlen + 100, len(file) / 3, len(file) - 33, len(file) - 17, len(file) - 1} {
			if _, _, err := decryptBytes(file[:n], s.key(t)); !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrCorrupt) {
				t.Errorf("noMD5=%v: cut to %d of %d: err %v", noMD5, n, len(file), err)
			}
		}
		// A byte appended to the file is not covered by the tag.
		if _, _, err := decryptBytes(append(bytes.Clone(file), 0), s.key(t)); err == nil {
			t.Errorf("noMD5=%v: a byte appended to the file: no error", noMD5)
		}
	}
}

// A 20 MB database decrypts with allocations that do not grow with it.
func TestDecryptMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 20 MB database")
	}
	db := makeDB(t, 20<<20, 10)
	s := newSynth(11)
	path := filepath.Join(t.TempDir(), "msgstore.db.crypt15")
	if err := os.WriteFile(path, s.seal(t, db), 0o600); err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(db)
	key := s.key(t)
	db = nil

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	h := sha256.New()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = Decrypt(f, st.Size(), key, h)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Sum(nil); !bytes.Equal(got, want[:]) {
		t.Fatal("decrypted bytes differ from the database")
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d MB file: %d KiB allocated in total", st.Size()>>20, alloc>>10)
	if alloc > 2<<20 {
		t.Fatalf("allocated %d KiB in total for a %d MB file; memory must not grow with the file", alloc>>10, st.Size()>>20)
	}
}

// io.Reader that returns one byte at a time, to exercise every boundary.
type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

func TestDecryptOneByteReads(t *testing.T) {
	db := makeDB(t, 40<<10, 12)
	for _, noMD5 := range []bool{false, true} {
		s := newSynth(13)
		s.noMD5 = noMD5
		file := s.seal(t, db)
		var out bytes.Buffer
		if _, err := Decrypt(oneByteReader{bytes.NewReader(file)}, -1, s.key(t), &out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), db) {
			t.Fatal("one-byte reads give other bytes")
		}
	}
}
