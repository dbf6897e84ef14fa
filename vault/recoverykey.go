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
// check them, so a typo is reported as "not a valid recovery key" instead
// of the misleading "wrong key": 3 digits from a SHA-256 of the 60, then a
// Damm check digit over all 63, which catches every single wrong digit and
// every swap of two neighbours for certain (the hash digits catch most
// other mistakes).
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

	return formatRecoveryKey(withChecksum(string(body))), nil
}

// withChecksum appends the 4 check digits to the 60 random ones.
func withChecksum(body string) string {
	h := sha256.Sum256([]byte("chatvault recovery key v1\x00" + body))
	s := body + fmt.Sprintf("%03d", binary.BigEndian.Uint32(h[:4])%1000)

	return s + string(rune('0'+damm(s)))
}

// dammTable is the totally anti-symmetric quasigroup of order 10 used by
// the Damm algorithm (H. Michael Damm, 2004).
var dammTable = [10][10]byte{
	{0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
	{7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
	{4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
	{1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
	{6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
	{3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
	{5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
	{8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
	{9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
	{2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
}

// damm returns the Damm interim digit of a string of digits: appending it
// makes the whole string's result 0.
func damm(digits string) byte {
	var interim byte
	for i := range len(digits) {
		interim = dammTable[interim][digits[i]-'0']
	}

	return interim
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

	if withChecksum(d[:recoveryDigits-recoveryCheckDigits]) != d {
		return "", fmt.Errorf("%w: checksum does not match (check for a typo)", ErrInvalidRecoveryKey)
	}

	return d, nil
}
