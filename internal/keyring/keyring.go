// Package keyring keeps vault passwords in the operating system's keyring: the macOS Keychain,
// the Windows Credential Manager, or a Secret Service (GNOME Keyring, KWallet) over D-Bus on
// Linux and BSD. Where there is none (a server, a container, an SSH session without a session
// bus) every call says so with ErrUnavailable, and the other password sources still work.
package keyring

import (
	"errors"
	"fmt"
	"runtime"

	gokeyring "github.com/zalando/go-keyring"
)

// service is the name the entries are filed under in the keyring.
const service = "chatvault"

var (
	// ErrUnavailable: this machine has no keyring chatvault can use.
	ErrUnavailable = errors.New("no keyring here")
	// ErrNotFound: the keyring has no password for that vault.
	ErrNotFound = errors.New("no password in the keyring")
)

// account names a vault's entry; the vault's configured name is what the user knows it by.
func account(vault string) string { return "vault " + vault }

// Get returns the password stored for the vault.
func Get(vault string) (string, error) {
	pw, err := gokeyring.Get(service, account(vault))
	if err != nil {
		return "", explain(vault, err)
	}
	return pw, nil
}

// Set stores the vault's password, replacing any stored before.
func Set(vault, password string) error {
	return explain(vault, gokeyring.Set(service, account(vault), password))
}

// Delete removes the vault's password; one that is not there is not an error.
func Delete(vault string) error {
	err := explain(vault, gokeyring.Delete(service, account(vault)))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

func explain(vault string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gokeyring.ErrNotFound):
		return fmt.Errorf("%w for vault %s", ErrNotFound, vault)
	case errors.Is(err, gokeyring.ErrUnsupportedPlatform):
		return fmt.Errorf("%w (%s has no keyring chatvault can use)", ErrUnavailable, runtime.GOOS)
	}
	return fmt.Errorf("%w (%s: %v)", ErrUnavailable, what(), err)
}

// what names the keyring this system would use, for the error line.
func what() string {
	switch runtime.GOOS {
	case "darwin":
		return "the macOS Keychain did not answer"
	case "windows":
		return "the Windows Credential Manager did not answer"
	}
	return "no Secret Service (GNOME Keyring, KWallet) answered on the D-Bus session bus"
}
