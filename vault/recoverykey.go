package vault

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
)

// A recovery key is 64 decimal digits shown in 16 groups of 4, like
// WhatsApp's end-to-end backup key: easy to write on paper and to type on
// any keyboard. The first 60 digits are random (about 199 bits); the last 4
// are a checksum over them, so a typo is reported as "not a valid recovery
// key" instead of the misleading "wrong key".
const (
	recoveryDigits      = 64
	recoveryCheckDigits = 4
	recoveryGroup       = 4
)

// NewRecoveryKey returns a fresh random recovery key in display form.
func newRecoveryKey() (string, error) {
	body := make([]byte, 0, recoveryDigits)

	var b [1]byte
	for len(body) < recoveryDigits-recoveryCheckDigits {
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("generating recovery key: %w", err)
		}

		// Rejection sampling keeps every digit uniform (256 is not a multiple of 10).
		if b[0] >= 250 {
			continue
		}

		body = append(body, '0'+b[0]%10)
	}

	return formatRecoveryKey(string(body) + recoveryChecksum(string(body))), nil
}

func recoveryChecksum(body string) string {
	h := sha256.Sum256([]byte("chatvault recovery key v1\x00" + body))
	return fmt.Sprintf("%04d", binary.BigEndian.Uint32(h[:4])%10000)
}

func formatRecoveryKey(digits string) string {
	var sb strings.Builder

	for i := 0; i < len(digits); i += recoveryGroup {
		if i > 0 {
			sb.WriteByte(' ')
		}

		sb.WriteString(digits[i : i+recoveryGroup])
	}

	return sb.String()
}

// ParseRecoveryKey checks a typed recovery key and returns its canonical
// form: the 64 digits with no separators. Spaces, dashes, dots and line
// breaks between digits are ignored. The canonical form is the age
// passphrase of the recovery slot (see docs/vault-without-chatvault.md).
func ParseRecoveryKey(s string) (string, error) {
	var digits strings.Builder

	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '\t' || r == '\n' || r == '\r':
		default:
			return "", fmt.Errorf("%w: unexpected character %q (a recovery key is %d digits)", ErrInvalidRecoveryKey, r, recoveryDigits)
		}
	}

	d := digits.String()
	if len(d) != recoveryDigits {
		return "", fmt.Errorf("%w: got %d digits, want %d", ErrInvalidRecoveryKey, len(d), recoveryDigits)
	}

	body, sum := d[:recoveryDigits-recoveryCheckDigits], d[recoveryDigits-recoveryCheckDigits:]
	if recoveryChecksum(body) != sum {
		return "", fmt.Errorf("%w: checksum does not match (check for a typo)", ErrInvalidRecoveryKey)
	}

	return d, nil
}
