package main

import (
	"context"
	"errors"
	"os"

	"github.com/chatvault/chatvault/internal/config"
	"github.com/chatvault/chatvault/vault"
)

// keptKeyFile is where backups keep r's unlocked key on this machine, or "" when they keep none:
// a vault given by destination rather than name, or one set with --keep-key=false.
func keptKeyFile(r vaultRef) string {
	if r.cfg == nil || r.cfg.NoKeptKey {
		return ""
	}
	return config.KeptKeyFile(r.name)
}

// openVaultKept opens a vault for a backup: with the key this machine kept from an earlier open
// (no password, no key derivation), else as openVault does, keeping the key for the next time.
// A secret given on the command line (--password-file, --password-command, --recovery-key) is
// used as given: the user asked for that one.
func (g *globals) openVaultKept(ctx context.Context, r vaultRef, s *secretOptions, remembered *string) (*vault.Vault, error) {
	kf := keptKeyFile(r)
	explicit := s.passwordFile != "" || s.passwordCommand != "" || s.recoveryKey != "" || os.Getenv("CHATVAULT_RECOVERY_KEY") != ""
	if kf != "" && !explicit {
		opts := g.vaultOpenOptions(false)
		opts.KeyFile = kf
		v, err := vault.OpenKept(ctx, r.dest, opts)
		if err == nil {
			return v, nil
		}
		if !errors.Is(err, vault.ErrNoKeptKey) {
			return nil, vaultError(r, err)
		}
		g.debugf("vault %s: %v: opening with the password", r.name, err)
	}
	return g.openVaultWith(ctx, r, s, false, remembered, keeping(kf))
}

// keeping is vault.Open keeping the key in keyFile (none when it is "").
func keeping(keyFile string) vaultOpener {
	return func(ctx context.Context, d vault.Destination, s vault.Secret, o vault.OpenOptions) (*vault.Vault, error) {
		o.KeyFile = keyFile
		return vault.Open(ctx, d, s, o)
	}
}

// refreshingKeptKey is vault.Open that rewrites r's kept key when there is one, for passwd: the
// device that changes a slot keeps its key working (every other device's stops matching).
func refreshingKeptKey(r vaultRef) vaultOpener {
	kf := keptKeyFile(r)
	if _, err := os.Stat(kf); kf == "" || err != nil {
		kf = ""
	}
	return keeping(kf)
}
