package wacrypt

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"testing"
)

// javaBytes serializes b the way Java's ObjectOutputStream writes a byte[].
func javaBytes(b []byte) []byte {
	out := append([]byte(nil), javaByteArray...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(b)))
	return append(out, b...)
}

func TestParseKeyFixtureFiles(t *testing.T) {
	kf := readFixture(t, "wacrypt-key")
	k := fixtureKey(t, "wacrypt-key")
	if k.Kind() != KeyFile {
		t.Fatalf("key file parsed as %v", k.Kind())
	}
	if !bytes.Equal(k.aes[:], kf[len(kf)-32:]) || k.keyVersion != 2 {
		t.Errorf("AES key %x, version %d; want the file's last 32 bytes and version 2", k.aes, k.keyVersion)
	}
	// The header of the crypt12 fixture repeats the key file's salts.
	c12 := readFixture(t, "wacrypt-msgstore.db.crypt12")
	if !bytes.Equal(k.serverSalt[:], c12[3:35]) || !bytes.Equal(k.googleIDSalt[:], c12[35:51]) {
		t.Error("salts differ from the crypt12 header's")
	}

	eb := readFixture(t, "wacrypt-encrypted_backup.key")
	r := fixtureKey(t, "wacrypt-encrypted_backup.key")
	if r.Kind() != RootKey || !bytes.Equal(r.root[:], eb[len(eb)-32:]) {
		t.Errorf("encrypted_backup.key: kind %v root %x", r.Kind(), r.root)
	}
	if s := r.String(); strings.Contains(s, "67") || !strings.Contains(s, "root key") {
		t.Errorf("String() = %q: must name the kind and show no key bytes", s)
	}
}

func TestParseKeyHexForms(t *testing.T) {
	const digits = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	var groups []string
	for i := 0; i < 64; i += 8 {
		groups = append(groups, digits[i:i+8])
	}
	for _, in := range []string{
		digits,
		strings.ToUpper(digits),
		strings.Join(groups, " "),
		strings.Join(groups, "-"),
		strings.Join(groups[:4], " ") + "\r\n" + strings.Join(groups[4:], " ") + "\n",
		"\ufeff" + digits + "\n",
	} {
		k, err := ParseKey([]byte(in))
		if err != nil {
			t.Errorf("ParseKey(%q): %v", in, err)
			continue
		}
		if k.Kind() != RootKey || k.root[0] != 0x01 || k.root[1] != 0x23 || k.root[31] != 0xef {
			t.Errorf("ParseKey(%q): root %x", in, k.root)
		}
	}
}

func TestParseKeyErrors(t *testing.T) {
	const digits = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	kf := javaBytes(make([]byte, 131))
	for _, c := range []struct {
		in   []byte
		want string
	}{
		{nil, "0 hex digits; expected the 64-digit"},
		{[]byte(digits[:63]), "63 hex digits; expected the 64-digit"},
		{[]byte(digits + "0"), "65 hex digits"},
		{[]byte(digits[:10] + "g" + digits[11:]), `'g' at offset 10 is not a hex digit; expected the 64-digit`},
		{[]byte{0xff, 0x80}, "binary data (byte 0xff at offset 0)"},
		{kf[:len(kf)-1], "says 131 bytes but the file holds 130"},
		{append(bytes.Clone(kf), 0), "says 131 bytes but the file holds 132"},
		{javaBytes(make([]byte, 20)), "a byte array of 20 bytes; expected 131"},
		{[]byte{0xac, 0xed, 0x00, 0x05, 0x74, 0x00, 0x01, 'x'}, "not a byte array"},
		{kf[:20], "not a byte array"},
	} {
		_, err := ParseKey(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseKey(%q): err %v, want it to say %q", c.in, err, c.want)
		}
	}
}

// The crypt15 payload key: HKDF-SHA256 with an empty salt is, for one
// output block, HMAC(HMAC(zeros, root), "backup encryption" || 1), the form
// other decoders write out by hand.
func TestBackupKeyDerivation(t *testing.T) {
	k, err := ParseKey([]byte(strings.Repeat("5a", 32)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := k.backupKey()
	if err != nil {
		t.Fatal(err)
	}
	prk := hmac.New(sha256.New, make([]byte, 32))
	prk.Write(k.root[:])
	okm := hmac.New(sha256.New, prk.Sum(nil))
	okm.Write([]byte("backup encryption\x01"))
	if want := okm.Sum(nil); !bytes.Equal(got, want) {
		t.Fatalf("backup key %x, want %x", got, want)
	}
}
