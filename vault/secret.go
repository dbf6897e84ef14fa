package vault

import (
	"fmt"

	"github.com/kopia/kopia/repo/blob"
)

type secretKind int

const (
	secretPassword secretKind = iota + 1
	secretRecovery
)

func (k secretKind) String() string {
	switch k {
	case secretPassword:
		return "password"
	case secretRecovery:
		return "recovery"
	default:
		return "none"
	}
}

// Secret is what opens a vault: the user's password or the recovery key.
// The kind is explicit because a password may look like anything, including
// 64 digits. A Secret never prints its value.
type Secret struct {
	kind  secretKind
	value string
}

// Password makes a Secret from the user's password.
func Password(p string) Secret { return Secret{kind: secretPassword, value: p} }

// RecoveryKey makes a Secret from a recovery key as typed (groups and
// separators allowed).
func RecoveryKey(k string) Secret { return Secret{kind: secretRecovery, value: k} }

// String names the kind of secret, never its value.
func (s Secret) String() string { return "vault.Secret(" + s.kind.String() + ")" }

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return s.String() }

// slot returns the key slot this kind of secret opens.
func (s Secret) slot() (blob.ID, error) {
	switch s.kind {
	case secretPassword:
		return passwordSlotID, nil
	case secretRecovery:
		return recoverySlotID, nil
	default:
		return "", fmt.Errorf("empty vault.Secret: use vault.Password or vault.RecoveryKey")
	}
}

// passphrase returns the exact age passphrase of the slot: the password as
// given, or the recovery key's 64 digits without separators.
func (s Secret) passphrase() (string, error) {
	switch s.kind {
	case secretRecovery:
		return ParseRecoveryKey(s.value)
	case secretPassword:
		if s.value == "" {
			return "", fmt.Errorf("%w: empty password", ErrWrongPassword)
		}

		return s.value, nil
	default:
		return "", fmt.Errorf("empty vault.Secret: use vault.Password or vault.RecoveryKey")
	}
}
