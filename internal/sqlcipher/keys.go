package sqlcipher

import (
	"crypto/pbkdf2"
	"fmt"
)

// deriveKeys turns the caller's key into the AES key and, with HMAC on, the HMAC key, exactly
// as SQLCipher's sqlcipher_cipher_ctx_key_derive does: the HMAC key is PBKDF2 over the AES key
// with the salt XOR 0x3a, using the KDF hash.
func deriveKeys(key, salt []byte, p Params) (encKey, macKey []byte, err error) {
	switch p.KDF {
	case RawKey:
		if len(key) != keySize {
			return nil, nil, fmt.Errorf("%w: a raw key must be %d bytes, got %d", ErrWrongKey, keySize, len(key))
		}
		encKey = append([]byte(nil), key...)
	case PBKDF2:
		if len(key) == 0 {
			return nil, nil, fmt.Errorf("%w: empty key", ErrWrongKey)
		}
		encKey, err = pbkdf2.Key(p.KDFHash.new(), string(key), salt, p.KDFIter, keySize)
		if err != nil {
			return nil, nil, fmt.Errorf("sqlcipher: PBKDF2: %w", err)
		}
	}
	if !p.HMAC {
		return encKey, nil, nil
	}
	macSalt := make([]byte, len(salt))
	for i, b := range salt {
		macSalt[i] = b ^ hmacSaltMask
	}
	macKey, err = pbkdf2.Key(p.KDFHash.new(), string(encKey), macSalt, p.HMACKDFIter, keySize)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlcipher: PBKDF2 (HMAC key): %w", err)
	}
	return encKey, macKey, nil
}
