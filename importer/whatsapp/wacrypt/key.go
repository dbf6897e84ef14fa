package wacrypt

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// KeyKind says which backups a Key opens.
type KeyKind int

const (
	// KeyFile is the 131-byte "key" file of crypt12 and crypt14 backups
	// (/data/data/com.whatsapp/files/key).
	KeyFile KeyKind = iota + 1
	// RootKey is the 32-byte root key of end-to-end (crypt15) backups: the
	// encrypted_backup.key file, or the 64-digit key the app shows.
	RootKey
)

func (k KeyKind) String() string {
	switch k {
	case KeyFile:
		return "crypt12/crypt14 key file"
	case RootKey:
		return "crypt15 root key"
	}
	return fmt.Sprintf("KeyKind(%d)", int(k))
}

// Key is a parsed backup key. Its fields are private so key material is not
// printed by accident; String shows only the kind.
type Key struct {
	kind KeyKind
	// KeyFile: the AES key and the salts the backup header repeats.
	aes          [32]byte
	keyVersion   byte
	serverSalt   [32]byte
	googleIDSalt [16]byte
	// RootKey.
	root [32]byte
}

// Kind says whether k is a crypt12/14 key file or a crypt15 root key.
func (k *Key) Kind() KeyKind { return k.kind }

func (k *Key) String() string { return "wacrypt.Key(" + k.kind.String() + ")" }

// javaByteArray is the start of a Java-serialized byte[]: stream magic and
// version, TC_ARRAY, the class descriptor of "[B" with its serialVersionUID,
// no fields, end of block, no superclass. The 4-byte length follows.
var javaByteArray = []byte{
	0xac, 0xed, 0x00, 0x05, 0x75, 0x72, 0x00, 0x02, 0x5b, 0x42,
	0xac, 0xf3, 0x17, 0xf8, 0x06, 0x08, 0x54, 0xe0, 0x02, 0x00, 0x00, 0x78, 0x70,
}

const (
	keyFileLen = 131 // payload of /data/data/com.whatsapp/files/key
	rootKeyLen = 32  // payload of encrypted_backup.key
)

// ParseKey reads a backup key in any of the forms WhatsApp gives it:
//
//   - the "key" file (crypt12/crypt14): a Java-serialized byte[131] of cipher
//     version, key version, server salt, Google ID salt, hashed Google ID,
//     IV and, last, the 32-byte AES key;
//   - the "encrypted_backup.key" file (crypt15): a Java-serialized byte[32],
//     the root key;
//   - the 64-digit end-to-end backup key as text (the root key in hex);
//     spaces, dashes, colons and line breaks between digits are ignored.
func ParseKey(b []byte) (*Key, error) {
	if len(b) >= 2 && b[0] == 0xac && b[1] == 0xed {
		return parseJavaKey(b)
	}
	return parseHexKey(b)
}

func parseJavaKey(b []byte) (*Key, error) {
	const expect = "expected WhatsApp's key file (Java-serialized byte array: 'key' or 'encrypted_backup.key')"
	h := len(javaByteArray)
	if len(b) < h+4 || !bytes.Equal(b[:h], javaByteArray) {
		return nil, fmt.Errorf("key: Java-serialized data that is not a byte array; %s", expect)
	}
	n := binary.BigEndian.Uint32(b[h : h+4])
	p := b[h+4:]
	if uint64(len(p)) != uint64(n) {
		return nil, fmt.Errorf("key: the byte array says %d bytes but the file holds %d after its header; %s", n, len(p), expect)
	}
	switch n {
	case keyFileLen:
		k := &Key{kind: KeyFile, keyVersion: p[2]}
		copy(k.serverSalt[:], p[3:35])
		copy(k.googleIDSalt[:], p[35:51])
		copy(k.aes[:], p[keyFileLen-32:])
		return k, nil
	case rootKeyLen:
		k := &Key{kind: RootKey}
		copy(k.root[:], p)
		return k, nil
	}
	return nil, fmt.Errorf("key: a byte array of %d bytes; expected 131 ('key' file of crypt12/14) or 32 ('encrypted_backup.key' of crypt15)", n)
}

func parseHexKey(b []byte) (*Key, error) {
	const expect = "expected the 64-digit end-to-end backup key (hex digits 0-9 a-f; spaces and dashes allowed) or a WhatsApp key file"
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	var root [32]byte
	digits := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == ' ' || r == '-' || r == ':' || r == '\t' || r == '\n' || r == '\r':
		case hexVal(r) >= 0:
			if digits < 64 {
				root[digits/2] |= byte(hexVal(r)) << (4 * (1 - digits%2))
			}
			digits++
		case r == utf8.RuneError && size == 1:
			return nil, fmt.Errorf("key: binary data (byte 0x%02x at offset %d); %s", b[i], i, expect)
		default:
			return nil, fmt.Errorf("key: %q at offset %d is not a hex digit; %s", r, i, expect)
		}
		i += size
	}
	if digits != 64 {
		return nil, fmt.Errorf("key: %d hex digits; %s", digits, expect)
	}
	return &Key{kind: RootKey, root: root}, nil
}

func hexVal(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= 'a' && r <= 'f':
		return int(r-'a') + 10
	case r >= 'A' && r <= 'F':
		return int(r-'A') + 10
	}
	return -1
}

// backupKey is the AES-256 key of a crypt15 payload: HKDF-SHA256 of the root
// key with an empty salt and the label "backup encryption" (the same labels
// give WhatsApp's other keys, e.g. "metadata encryption").
func (k *Key) backupKey() ([]byte, error) {
	return hkdf.Key(sha256.New, k.root[:], nil, "backup encryption", 32)
}
