package backup

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
)

// ErrWrongPassword is returned by Unlock when the password does not open the keybag.
var ErrWrongPassword = errors.New("wrong backup password")

// Iteration counts above these are refused: real keybags use DPIC 10,000,000 and ITER 10,000,
// and a hostile keybag must not make Unlock run for hours.
const (
	maxDPIC = 100_000_000
	maxIter = 10_000_000
)

// deriveKEK turns the password into the key that unwraps the class keys. Since iOS 10.2 the
// keybag carries DPSL/DPIC and the password first goes through PBKDF2-HMAC-SHA256 with them;
// the result (or, on older backups, the password itself) then goes through
// PBKDF2-HMAC-SHA1 with SALT/ITER. Both give 32 bytes.
func (kb *keybag) deriveKEK(password []byte) ([]byte, error) {
	if kb.iter > maxIter || kb.dpic > maxDPIC {
		return nil, fmt.Errorf("keybag: iteration counts ITER %d / DPIC %d are above the limits %d / %d", kb.iter, kb.dpic, maxIter, maxDPIC)
	}
	secret := password
	if kb.hasDPSL {
		k, err := pbkdf2.Key(sha256.New, string(password), kb.dpsl, int(kb.dpic), 32)
		if err != nil {
			return nil, fmt.Errorf("keybag: PBKDF2-SHA256: %w", err)
		}
		secret = k
	}
	kek, err := pbkdf2.Key(sha1.New, string(secret), kb.salt, int(kb.iter), 32)
	if err != nil {
		return nil, fmt.Errorf("keybag: PBKDF2-SHA1: %w", err)
	}
	return kek, nil
}

// unlockClasses unwraps every password-wrapped class key with kek. The first failure on an
// untouched keybag means a wrong password; a failure after one class opened means a damaged bag.
func (kb *keybag) unlockClasses(kek []byte) error {
	opened := 0
	for _, c := range kb.sortedClasses() {
		if c.wrap&2 == 0 {
			continue // wrapped with the device UID only: not readable off the device
		}
		if len(c.wpky) != 40 {
			return fmt.Errorf("keybag: class %d wrapped key is %d bytes, want 40", c.class, len(c.wpky))
		}
		k, err := unwrapKey(kek, c.wpky)
		if err != nil {
			if opened == 0 {
				return ErrWrongPassword
			}
			return fmt.Errorf("keybag: class %d key does not unwrap though class keys before it did: damaged keybag", c.class)
		}
		c.key = k
		opened++
	}
	if opened == 0 {
		return fmt.Errorf("keybag: no class key is wrapped with the password")
	}
	return nil
}

func (kb *keybag) sortedClasses() []*classKey {
	out := make([]*classKey, 0, len(kb.classes))
	for _, c := range kb.classes {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].class < out[j].class })
	return out
}

// unwrapWithClass opens a "class + wrapped key" blob (ManifestKey, MBFile EncryptionKey): the
// first 4 bytes are the protection class, little-endian, the rest the key wrapped with that
// class's key.
func (kb *keybag) unwrapWithClass(blob []byte, what string) ([]byte, error) {
	if len(blob) != 44 {
		return nil, fmt.Errorf("%s: %d bytes, want 4-byte class + 40-byte wrapped key", what, len(blob))
	}
	class := uint32(blob[0]) | uint32(blob[1])<<8 | uint32(blob[2])<<16 | uint32(blob[3])<<24
	c, ok := kb.classes[class]
	if !ok || c.key == nil {
		return nil, fmt.Errorf("%s: protection class %d has no unlocked key", what, class)
	}
	k, err := unwrapKey(c.key, blob[4:])
	if err != nil {
		return nil, fmt.Errorf("%s: key does not unwrap with class %d key", what, class)
	}
	return k, nil
}
