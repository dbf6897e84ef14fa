package main

import (
	"errors"
	"fmt"

	"github.com/chatvault/chatvault/internal/config"
	"github.com/chatvault/chatvault/internal/keyring"
)

// passwordSource is the password source `vault add` and `vault set` give a vault: at most one.
type passwordSource struct {
	file    string
	command string
	keyring bool
}

func (p passwordSource) given() bool { return p.file != "" || p.command != "" || p.keyring }

func (p passwordSource) check() error {
	n := 0
	for _, set := range []bool{p.file != "", p.command != "", p.keyring} {
		if set {
			n++
		}
	}
	if n > 1 {
		return usagef("give one password source: --password-file, --password-command or --password-keyring")
	}
	return nil
}

// apply makes p the vault's only source (the keyring's entry is written by the caller).
func (p passwordSource) apply(v *config.Vault) {
	v.PasswordFile, v.PasswordCommand, v.PasswordKeyring = p.file, p.command, p.keyring
}

// describeSource names a vault's password source for `vault list`.
func describeSource(v *config.Vault) string {
	switch {
	case v.PasswordFile != "":
		return "file " + v.PasswordFile
	case v.PasswordCommand != "":
		return "command"
	case v.PasswordKeyring:
		return "keyring"
	}
	return "asked"
}

// keyringError is the one line for a keyring that is not there or refused: the other sources
// still work, so it names them.
func keyringError(vaultName string, err error) error {
	if errors.Is(err, keyring.ErrUnavailable) {
		return fmt.Errorf("vault %s: %w: keep the password in a file (--password-file FILE, readable by you only) or give a command that prints it (--password-command CMD) instead", vaultName, err)
	}
	return fmt.Errorf("vault %s: keyring: %w", vaultName, err)
}
