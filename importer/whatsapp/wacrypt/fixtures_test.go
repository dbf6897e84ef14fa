package wacrypt

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/chatvault/chatvault/internal/fixtures"
)

const fixDir = "whatsapp-android-db/"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixtures.Path(t, fixDir+name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fixtureKey(t testing.TB, name string) *Key {
	t.Helper()
	k, err := ParseKey(readFixture(t, name))
	if err != nil {
		t.Fatalf("ParseKey(%s): %v", name, err)
	}
	return k
}

func decryptBytes(file []byte, key *Key) (*Header, []byte, error) {
	var out bytes.Buffer
	h, err := Decrypt(bytes.NewReader(file), int64(len(file)), key, &out)
	return h, out.Bytes(), err
}

var fixtureCases = []struct {
	file, key string
	format    Format
	keyType   KeyType
}{
	{"wacrypt-msgstore.db.crypt12", "wacrypt-key", Crypt12, KeyTypeWAProvided},
	{"wacrypt-msgstore.db.crypt14", "wacrypt-key", Crypt14, KeyTypeWAProvided},
	{"wacrypt-msgstore-noexpiry.db.crypt14", "wacrypt-key", Crypt14, KeyTypeWAProvided},
	{"wacrypt-msgstore.db.crypt15", "wacrypt-encrypted_backup.key", Crypt15, KeyTypeE2EE},
}

// Every fixture backup decrypts to exactly the bytes of the fixture database.
func TestFixturesDecryptByteForByte(t *testing.T) {
	want := readFixture(t, "wacrypt-msgstore.db")
	for _, c := range fixtureCases {
		t.Run(c.file, func(t *testing.T) {
			h, got, err := decryptBytes(readFixture(t, c.file), fixtureKey(t, c.key))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("decrypted %d bytes, differ from wacrypt-msgstore.db (%d bytes)", len(got), len(want))
			}
			if h.Format != c.format || h.KeyType != c.keyType {
				t.Errorf("header says %s / %s, want %s / %s", h.Format, h.KeyType, c.format, c.keyType)
			}
			if h.NeedsServer() {
				t.Error("NeedsServer on a backup that opens offline")
			}
			if h.JIDSuffix != "67" {
				t.Errorf("JIDSuffix %q, want 67", h.JIDSuffix)
			}
		})
	}
}

func TestFixtureHeaders(t *testing.T) {
	for _, c := range []struct {
		file       string
		len        int
		app        string
		features   bool
		keyVersion string
	}{
		{"wacrypt-msgstore.db.crypt12", 67, "", false, "2"},
		{"wacrypt-msgstore.db.crypt14", 190, "2.22.5.13", true, "2"},
		{"wacrypt-msgstore-noexpiry.db.crypt14", 99, "2.22.5.13", false, "2"},
		{"wacrypt-msgstore.db.crypt15", 131, "2.22.5.13", true, ""},
	} {
		file := readFixture(t, c.file)
		r := bytes.NewReader(file)
		h, err := ReadHeader(r)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if h.Len != c.len || int(r.Size())-r.Len() != c.len {
			t.Errorf("%s: header %d bytes, reader at %d; want %d", c.file, h.Len, int(r.Size())-r.Len(), c.len)
		}
		if h.AppVersion != c.app || h.KeyVersion != c.keyVersion {
			t.Errorf("%s: app %q key version %q, want %q %q", c.file, h.AppVersion, h.KeyVersion, c.app, c.keyVersion)
		}
		if len(h.IV) != 16 {
			t.Errorf("%s: IV %x", c.file, h.IV)
		}
		if c.features {
			// The fixture's half-migrated schema: message_media ran,
			// message_main did not (notes §3).
			if v, ok := h.Features[14]; !ok || !v {
				t.Errorf("%s: feature 14 (message_media) = %v, %v; want true", c.file, v, ok)
			}
			if v, ok := h.Features[10]; !ok || v {
				t.Errorf("%s: feature 10 (message_main) = %v, %v; want false", c.file, v, ok)
			}
		} else if len(h.Features) != 0 {
			t.Errorf("%s: features %v, want none", c.file, h.Features)
		}
	}
}

func TestHexRootKeyOpensCrypt15(t *testing.T) {
	kf := readFixture(t, "wacrypt-encrypted_backup.key")
	root := kf[len(kf)-32:]
	const hexdigits = "0123456789abcdef"
	var s []byte
	for i, c := range root {
		if i > 0 && i%4 == 0 {
			s = append(s, " -\n"[i%3])
		}
		s = append(s, hexdigits[c>>4], hexdigits[c&15])
	}
	s = bytes.ToUpper(s)
	k, err := ParseKey(append(s, '\n'))
	if err != nil {
		t.Fatalf("ParseKey(%q): %v", s, err)
	}
	_, got, err := decryptBytes(readFixture(t, "wacrypt-msgstore.db.crypt15"), k)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, readFixture(t, "wacrypt-msgstore.db")) {
		t.Fatal("the hex key decrypts to other bytes")
	}
}

func TestFixturesWrongKey(t *testing.T) {
	fileKey := fixtureKey(t, "wacrypt-key")
	rootKey := fixtureKey(t, "wacrypt-encrypted_backup.key")
	otherRoot, _ := ParseKey(bytes.Repeat([]byte("0f"), 32))
	otherAES := *fileKey
	otherAES.aes[0] ^= 1 // same salts, other AES key: only the data can tell
	otherSalt := *fileKey
	otherSalt.serverSalt[5] ^= 1
	for _, c := range []struct {
		file string
		key  *Key
	}{
		{"wacrypt-msgstore.db.crypt15", otherRoot},
		{"wacrypt-msgstore.db.crypt15", fileKey},
		{"wacrypt-msgstore.db.crypt14", rootKey},
		{"wacrypt-msgstore.db.crypt14", &otherAES},
		{"wacrypt-msgstore.db.crypt14", &otherSalt},
		{"wacrypt-msgstore.db.crypt12", &otherAES},
		{"wacrypt-msgstore.db.crypt12", &otherSalt},
		{"wacrypt-msgstore.db.crypt12", rootKey},
	} {
		var out bytes.Buffer
		file := readFixture(t, c.file)
		_, err := Decrypt(bytes.NewReader(file), int64(len(file)), c.key, &out)
		if !errors.Is(err, ErrWrongKey) {
			t.Errorf("%s with %v: err %v, want ErrWrongKey", c.file, c.key, err)
		}
		if out.Len() != 0 {
			t.Errorf("%s with %v: %d bytes written before the wrong key was noticed", c.file, c.key, out.Len())
		}
	}
}

// A file cut anywhere fails: ErrTruncated where the cut shows as a short
// header or compressed stream, ErrCorrupt where it only breaks the trailer.
func TestFixturesTruncated(t *testing.T) {
	for _, c := range fixtureCases {
		file := readFixture(t, c.file)
		key := fixtureKey(t, c.key)
		for _, n := range []int{0, 1, 2, 30, 66, 67, 98, 130, 131, 200, 4096, len(file) / 2, len(file) - 100, len(file) - 40, len(file) - 33, len(file) - 32, len(file) - 17, len(file) - 16, len(file) - 4, len(file) - 1} {
			_, got, err := decryptBytes(file[:n], key)
			if c.format != Crypt12 && n == len(file)-16 {
				// Without its MD5 the file is a valid multi-file style
				// backup: the tag still authenticates the whole database.
				if err != nil || !bytes.Equal(got, readFixture(t, "wacrypt-msgstore.db")) {
					t.Errorf("%s without its MD5: err %v, %d bytes; want the whole database", c.file, err, len(got))
				}
				continue
			}
			if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s cut to %d of %d bytes: err %v, want ErrTruncated or ErrCorrupt", c.file, n, len(file), err)
			}
			if n < len(file)-36 && !errors.Is(err, ErrTruncated) {
				t.Errorf("%s cut to %d of %d bytes: err %v, want ErrTruncated", c.file, n, len(file), err)
			}
		}
		// A reader that ends before the size it was announced with.
		var out bytes.Buffer
		_, err := Decrypt(bytes.NewReader(file[:len(file)-1000]), int64(len(file)), key, &out)
		if !errors.Is(err, ErrTruncated) {
			t.Errorf("%s: reader short of its size: err %v, want ErrTruncated", c.file, err)
		}
	}
}

func TestFixturesFlippedByte(t *testing.T) {
	for _, c := range fixtureCases {
		orig := readFixture(t, c.file)
		key := fixtureKey(t, c.key)
		h, err := ReadHeader(bytes.NewReader(orig))
		if err != nil {
			t.Fatal(err)
		}
		for _, off := range []int{h.Len + 5, h.Len + 1000, len(orig) / 2, len(orig) - 60, len(orig) - 40, len(orig) - 33, len(orig) - 30, len(orig) - 20, len(orig) - 10, len(orig) - 5} {
			file := bytes.Clone(orig)
			file[off] ^= 0x10
			if _, _, err := decryptBytes(file, key); err == nil {
				t.Errorf("%s with byte %d of %d flipped: no error", c.file, off, len(file))
			}
		}
	}
}
