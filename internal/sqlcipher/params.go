package sqlcipher

import (
	"crypto/sha1"
	"crypto/sha512"
	"fmt"
	"hash"
)

// Hash names the hash function of PBKDF2 and of the page HMAC.
type Hash int

const (
	SHA1 Hash = iota + 1
	SHA512
)

func (h Hash) String() string {
	switch h {
	case SHA1:
		return "SHA1"
	case SHA512:
		return "SHA512"
	}
	return fmt.Sprintf("Hash(%d)", int(h))
}

func (h Hash) new() func() hash.Hash {
	switch h {
	case SHA1:
		return sha1.New
	case SHA512:
		return sha512.New
	}
	return nil
}

func (h Hash) size() int {
	switch h {
	case SHA1:
		return sha1.Size
	case SHA512:
		return sha512.Size
	}
	return 0
}

// KDF says how the key given to Open becomes the AES key.
type KDF int

const (
	// PBKDF2 treats the key as a passphrase: AES key = PBKDF2(KDFHash, key, salt, KDFIter, 32).
	// It is SQLCipher's `PRAGMA key = 'passphrase'`, and also what WeChat desktop 3.x/4.x do with
	// the 32 raw bytes taken from memory: they are the PBKDF2 password, not the AES key
	// (notes §9, from sjzar/chatlog decrypt/windows/v3.go, v4.go, darwin/v4.go).
	PBKDF2 KDF = iota + 1
	// RawKey uses the 32-byte key as the AES key, no KDF: SQLCipher's `PRAGMA key = "x'64 hex'"`
	// and WeChat macOS 3.x (notes §9, chatlog decrypt/darwin/v3.go). The HMAC key is still
	// derived from it with the salt, as below.
	RawKey
)

func (k KDF) String() string {
	switch k {
	case PBKDF2:
		return "PBKDF2"
	case RawKey:
		return "raw key"
	}
	return fmt.Sprintf("KDF(%d)", int(k))
}

// Params are the cipher settings of one database. The AES key is always 32 bytes (AES-256-CBC).
type Params struct {
	Name     string // for messages only
	PageSize int    // bytes per page, a power of two from 512 to 65536
	KDF      KDF
	// KDFHash is the PBKDF2 hash. SQLCipher also uses it (not HMACHash) to derive the HMAC key
	// (sqlcipher_cipher_ctx_key_derive passes ctx->kdf_algorithm to both).
	KDFHash Hash
	KDFIter int // PBKDF2 iterations for the AES key; unused with RawKey
	HMAC    bool
	// HMACHash is the page HMAC's hash.
	HMACHash Hash
	// HMACKDFIter is the PBKDF2 iteration count deriving the HMAC key from the AES key with the
	// salt XOR 0x3a: SQLCipher's fast_kdf_iter, 2 in every version (FAST_PBKDF2_ITER).
	HMACKDFIter int
	// Reserve is the per-page tail that is not encrypted: the 16-byte IV, plus the HMAC when
	// on, rounded up to the AES block (16 → 16, 16+20 → 48, 16+64 → 80).
	Reserve int
	// PlaintextHeader is 0 when page 1 begins with the salt (every WeChat file, SQLCipher's
	// default). SQLCipher 4's cipher_plaintext_header_size = N leaves the first N bytes of page 1
	// as the plain SQLite header; then the salt is not in the file and must be given in Salt.
	PlaintextHeader int
	Salt            []byte // 16 bytes, only with PlaintextHeader > 0
}

const (
	keySize   = 32
	saltSize  = 16
	ivSize    = 16
	blockSize = 16
	// hmacSaltMask is XOR-ed into the salt to make the HMAC key's salt (HMAC_SALT_MASK).
	hmacSaltMask = 0x3a
)

// reserveFor is SQLCipher's reserve: IV plus HMAC, rounded up to the AES block.
func reserveFor(hmacOn bool, h Hash) int {
	n := ivSize
	if hmacOn {
		n += h.size()
	}
	return (n + blockSize - 1) / blockSize * blockSize
}

// The named parameter sets. Each says where its values come from.
var (
	// WeChatAndroid is EnMicroMsg.db: SQLCipher 1.x compatible, page 1024, PBKDF2-HMAC-SHA1 4000
	// iterations, no HMAC, reserve 16 (the IV). Notes §8: from chg-hou/EnMicroMsg.db-Password-Cracker
	// and ppwwyyxx/wechat-dump (`PRAGMA cipher_compatibility = 1`), verified here on the fixture
	// wechat/enmicromsg-cracker-sqlcipher2-test.db with the sqlcipher 3.4.1 CLI.
	WeChatAndroid = Params{Name: "WeChat Android (SQLCipher 1)", PageSize: 1024, KDF: PBKDF2, KDFHash: SHA1, KDFIter: 4000,
		HMACKDFIter: 2, Reserve: reserveFor(false, SHA1)}

	// SQLCipher2 is `PRAGMA cipher_compatibility = 2`: page 1024, PBKDF2-SHA1 4000, HMAC-SHA1
	// (SQLCipher src/sqlcipher.c, the cipher_compatibility pragma).
	SQLCipher2 = Params{Name: "SQLCipher 2", PageSize: 1024, KDF: PBKDF2, KDFHash: SHA1, KDFIter: 4000,
		HMAC: true, HMACHash: SHA1, HMACKDFIter: 2, Reserve: reserveFor(true, SHA1)}

	// SQLCipher3 is `PRAGMA cipher_compatibility = 3`: page 1024, PBKDF2-SHA1 64000, HMAC-SHA1
	// (same source).
	SQLCipher3 = Params{Name: "SQLCipher 3", PageSize: 1024, KDF: PBKDF2, KDFHash: SHA1, KDFIter: 64000,
		HMAC: true, HMACHash: SHA1, HMACKDFIter: 2, Reserve: reserveFor(true, SHA1)}

	// SQLCipher4 is SQLCipher 4's default: page 4096, PBKDF2-SHA512 256000, HMAC-SHA512 (same
	// source: PBKDF2_ITER 256000 and the default branch of cipher_compatibility).
	SQLCipher4 = Params{Name: "SQLCipher 4", PageSize: 4096, KDF: PBKDF2, KDFHash: SHA512, KDFIter: 256000,
		HMAC: true, HMACHash: SHA512, HMACKDFIter: 2, Reserve: reserveFor(true, SHA512)}

	// WeChatWindows3 is WeChat for Windows 3.x: the 32-byte key from memory is the PBKDF2
	// password; PBKDF2-SHA1 64000, HMAC-SHA1, page 4096, reserve 48 (notes §9, from
	// sjzar/chatlog internal/wechat/decrypt/windows/v3.go: PageSize 4096, V3IterCount 64000, sha1).
	// That is SQLCipher 3 with a 4096-byte page.
	WeChatWindows3 = Params{Name: "WeChat Windows 3.x", PageSize: 4096, KDF: PBKDF2, KDFHash: SHA1, KDFIter: 64000,
		HMAC: true, HMACHash: SHA1, HMACKDFIter: 2, Reserve: reserveFor(true, SHA1)}

	// WeChatMac3 is WeChat for macOS 3.x: the 32-byte key is the AES key itself (no KDF), HMAC-SHA1
	// whose key is PBKDF2-SHA1(key, salt^0x3a, 2), page 1024, reserve 48 (notes §9, from
	// chatlog internal/wechat/decrypt/darwin/v3.go: V3PageSize 1024, encKey := key, sha1).
	WeChatMac3 = Params{Name: "WeChat macOS 3.x", PageSize: 1024, KDF: RawKey, KDFHash: SHA1,
		HMAC: true, HMACHash: SHA1, HMACKDFIter: 2, Reserve: reserveFor(true, SHA1)}

	// WeChat4 is WeChat 4.x on Windows and macOS: SQLCipher 4 defaults with the 32-byte key from
	// memory as the PBKDF2 password: PBKDF2-SHA512 256000, HMAC-SHA512, page 4096, reserve 80
	// (notes §9, from chatlog decrypt/windows/v4.go and decrypt/darwin/v4.go, which agree).
	WeChat4 = Params{Name: "WeChat 4.x", PageSize: 4096, KDF: PBKDF2, KDFHash: SHA512, KDFIter: 256000,
		HMAC: true, HMACHash: SHA512, HMACKDFIter: 2, Reserve: reserveFor(true, SHA512)}
)

// String describes the parameters (never a key).
func (p Params) String() string {
	s := ""
	if p.Name != "" {
		s = p.Name + ": "
	}
	s += fmt.Sprintf("page %d, %v", p.PageSize, p.KDF)
	if p.KDF == PBKDF2 {
		s += fmt.Sprintf("-%v %d", p.KDFHash, p.KDFIter)
	}
	if p.HMAC {
		s += fmt.Sprintf(", HMAC-%v", p.HMACHash)
	} else {
		s += ", no HMAC"
	}
	s += fmt.Sprintf(", reserve %d", p.Reserve)
	if p.PlaintextHeader > 0 {
		s += fmt.Sprintf(", plaintext header %d", p.PlaintextHeader)
	}
	return s
}

// check rejects parameters this reader cannot apply, so nothing later indexes out of range.
func (p Params) check() error {
	if p.PageSize < 512 || p.PageSize > 65536 || p.PageSize&(p.PageSize-1) != 0 {
		return fmt.Errorf("sqlcipher: page size %d is not a power of two from 512 to 65536", p.PageSize)
	}
	if p.KDF != PBKDF2 && p.KDF != RawKey {
		return fmt.Errorf("sqlcipher: unknown KDF %v", p.KDF)
	}
	if p.KDFHash.new() == nil {
		return fmt.Errorf("sqlcipher: unknown KDF hash %v", p.KDFHash)
	}
	if p.KDF == PBKDF2 && (p.KDFIter < 1 || p.KDFIter > 10_000_000) {
		return fmt.Errorf("sqlcipher: KDF iterations %d out of range 1..10000000", p.KDFIter)
	}
	min := ivSize
	if p.HMAC {
		if p.HMACHash.new() == nil {
			return fmt.Errorf("sqlcipher: unknown HMAC hash %v", p.HMACHash)
		}
		if p.HMACKDFIter < 1 || p.HMACKDFIter > 10_000_000 {
			return fmt.Errorf("sqlcipher: HMAC KDF iterations %d out of range 1..10000000", p.HMACKDFIter)
		}
		min += p.HMACHash.size()
	}
	if p.Reserve < min || p.Reserve%blockSize != 0 || p.Reserve > 255 || p.PageSize-p.Reserve < 480 {
		return fmt.Errorf("sqlcipher: reserve %d does not fit (needs a multiple of 16, at least %d, at most 255, leaving 480 usable bytes of a %d-byte page)", p.Reserve, min, p.PageSize)
	}
	if p.PlaintextHeader != 0 {
		if p.PlaintextHeader < 0 || p.PlaintextHeader%blockSize != 0 || p.PlaintextHeader > 100 {
			return fmt.Errorf("sqlcipher: plaintext header %d is not a multiple of 16 from 16 to 96", p.PlaintextHeader)
		}
		if len(p.Salt) != saltSize {
			return fmt.Errorf("sqlcipher: a plaintext header needs the 16-byte salt in Params.Salt, got %d bytes", len(p.Salt))
		}
	}
	return nil
}

// Presets returns the named parameter sets, most common WeChat variants first.
func Presets() []Params {
	return []Params{WeChatAndroid, WeChatWindows3, WeChat4, WeChatMac3, SQLCipher2, SQLCipher3, SQLCipher4}
}

// sameCipher reports whether a and b decrypt the same files (names aside).
func sameCipher(a, b Params) bool {
	iterA, iterB := a.KDFIter, b.KDFIter
	if a.KDF == RawKey {
		iterA, iterB = 0, 0 // unused
	}
	return a.PageSize == b.PageSize && a.KDF == b.KDF && a.KDFHash == b.KDFHash && iterA == iterB &&
		a.HMAC == b.HMAC && (!a.HMAC || a.HMACHash == b.HMACHash && a.HMACKDFIter == b.HMACKDFIter) &&
		a.Reserve == b.Reserve && a.PlaintextHeader == b.PlaintextHeader && string(a.Salt) == string(b.Salt)
}
