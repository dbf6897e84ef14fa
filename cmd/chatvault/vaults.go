package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chatvault/chatvault/internal/config"
	"github.com/chatvault/chatvault/vault"
)

// vaultRef is a vault as the user named it: a configured name, or a destination given directly
// (a new machine needs only the destination and the password).
type vaultRef struct {
	name string // configured name, or the destination as typed
	cfg  *config.Vault
	dest vault.Destination
}

func (r vaultRef) label() string {
	if r.cfg != nil {
		return fmt.Sprintf("%s (%s)", r.name, r.dest)
	}
	return r.dest.String()
}

// resolveVault finds a configured vault by name, or parses s as a destination.
func (g *globals) resolveVault(s string) (vaultRef, error) {
	c, err := g.config()
	if err != nil {
		return vaultRef{}, err
	}
	if v, ok := c.Vaults[s]; ok {
		d, err := vault.ParseDestination(config.ExpandHome(v.Destination), v.Options)
		if err != nil {
			return vaultRef{}, fmt.Errorf("vault %q: %w", s, err)
		}
		return vaultRef{name: s, cfg: v, dest: d}, nil
	}
	if looksLikeDestination(s) {
		d, err := vault.ParseDestination(config.ExpandHome(s), nil)
		if err != nil {
			return vaultRef{}, usagef(err.Error())
		}
		return vaultRef{name: s, dest: d}, nil
	}
	names := c.VaultNames()
	if len(names) == 0 {
		return vaultRef{}, withCode(fmt.Errorf("no vault named %q: add one with `chatvault vault add NAME DESTINATION`", s), exitNoVault)
	}
	return vaultRef{}, withCode(fmt.Errorf("no vault named %q (configured: %s)", s, strings.Join(names, ", ")), exitNoVault)
}

func looksLikeDestination(s string) bool {
	return strings.Contains(s, "://") || strings.ContainsAny(s, `/\`) || s == "." || strings.HasPrefix(s, "~")
}

// targetVaults resolves --to names, or every configured vault when none is given.
func (g *globals) targetVaults(names []string) ([]vaultRef, error) {
	c, err := g.config()
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		names = c.VaultNames()
		if len(names) == 0 {
			return nil, withCode(errors.New("no vault configured: add one with `chatvault vault add NAME DESTINATION`, then `chatvault init NAME`"), exitNoVault)
		}
	}
	var out []vaultRef
	for _, n := range names {
		r, err := g.resolveVault(n)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (g *globals) vaultOpenOptions(readOnly bool) vault.OpenOptions {
	// CHATVAULT_DEVICE names this device in the vault (default: the host name), e.g. in containers
	// whose host names change, or to tell two users' laptops apart.
	o := vault.OpenOptions{CacheDir: filepath.Join(config.CacheHome(), "chatvault", "vaults"), ReadOnly: readOnly,
		Hostname: os.Getenv("CHATVAULT_DEVICE")}
	if g.verbose {
		o.LogOutput = g.stderr
	} else {
		o.LogOutput = io.Discard
	}
	return o
}

// openVault opens a vault with its password, or with the recovery key when one is given.
// remembered carries a password that opened another vault in this run: people often use one
// password for all their vaults, so it is tried before asking again.
func (g *globals) openVault(ctx context.Context, r vaultRef, s *secretOptions, readOnly bool, remembered *string) (*vault.Vault, error) {
	return g.openVaultWith(ctx, r, s, readOnly, remembered, vault.Open)
}

// vaultOpener is vault.Open, or a repair that ends in an open vault.
type vaultOpener func(context.Context, vault.Destination, vault.Secret, vault.OpenOptions) (*vault.Vault, error)

func (g *globals) openVaultWith(ctx context.Context, r vaultRef, s *secretOptions, readOnly bool, remembered *string, open vaultOpener) (*vault.Vault, error) {
	opts := g.vaultOpenOptions(readOnly)
	if key, ok, err := s.useRecoveryKey(); err != nil {
		return nil, err
	} else if ok {
		v, err := open(ctx, r.dest, vault.RecoveryKey(key), opts)
		return v, vaultError(r, err)
	}
	if remembered != nil && *remembered != "" {
		v, err := open(ctx, r.dest, vault.Password(*remembered), opts)
		if err == nil || !errors.Is(err, vault.ErrWrongPassword) {
			return v, vaultError(r, err)
		}
	}
	for attempt := 0; ; attempt++ {
		pw, typed, err := s.password(fmt.Sprintf("Password for vault %s: ", r.name), vaultSecretsOf(r.name, r.cfg))
		if err != nil {
			return nil, err
		}
		v, err := open(ctx, r.dest, vault.Password(pw), opts)
		if err == nil {
			if remembered != nil {
				*remembered = pw
			}
			return v, nil
		}
		if !errors.Is(err, vault.ErrWrongPassword) || !typed || attempt == 2 {
			return nil, vaultError(r, err)
		}
		fmt.Fprintln(g.stderr, "Wrong password; try again.")
	}
}

// vaultError turns a vault failure into one line that says what to do, with its exit status.
func vaultError(r vaultRef, err error) error {
	if err == nil {
		return nil
	}
	where := r.label()
	switch {
	case errors.Is(err, vault.ErrDamaged) && errors.Is(err, vault.ErrSlotMissing):
		// Never "init": the vault is there, one way in is damaged.
		return withCode(fmt.Errorf("vault %s: %v: open it with the recovery key (--recovery-key), then `chatvault passwd %s` writes a new password slot", where, err, r.name), exitDamaged)
	case errors.Is(err, vault.ErrDamaged):
		return withCode(fmt.Errorf("vault %s: %v: run `chatvault verify %s --repair`", where, err, r.name), exitDamaged)
	case errors.Is(err, vault.ErrWrongPassword):
		return withCode(fmt.Errorf("vault %s: wrong password or recovery key", where), exitBadPassword)
	case errors.Is(err, vault.ErrInvalidRecoveryKey):
		// The vault's error says what is wrong with the key, and "check for a typo" where it is one.
		return withCode(fmt.Errorf("vault %s: %v", where, err), exitBadPassword)
	case errors.Is(err, vault.ErrNotInitialized):
		hint := "check the destination, or create a vault there with `chatvault init`"
		return withCode(fmt.Errorf("vault %s: no vault at this destination: %s", where, hint), exitNoVault)
	case errors.Is(err, vault.ErrSlotMissing):
		return withCode(fmt.Errorf("vault %s: %v: use the recovery key (--recovery-key) if the password slot is gone", where, err), exitBadPassword)
	case errors.Is(err, vault.ErrUnreachable):
		return withCode(fmt.Errorf("vault %s: cannot reach the destination: %v", where, err), exitUnreachable)
	case errors.Is(err, vault.ErrLocked):
		return withCode(fmt.Errorf("vault %s: %v: try again when the other operation has finished", where, err), exitLocked)
	case errors.Is(err, vault.ErrNoSpace):
		var ns *vault.NoSpaceError
		if errors.As(err, &ns) {
			return withCode(fmt.Errorf("vault %s: not enough free space at the destination: %s free%s: free space there or choose another destination",
				where, formatBytes(ns.Free), reserveNote(ns.Reserve)), exitNoSpace)
		}
		return withCode(fmt.Errorf("vault %s: the destination is full: free space there or choose another destination", where), exitNoSpace)
	case errors.Is(err, vault.ErrCanceled), errors.Is(err, context.Canceled):
		return withCode(fmt.Errorf("vault %s: interrupted; the vault is unchanged and the next backup will work", where), exitInterrupted)
	}
	return fmt.Errorf("vault %s: %w", where, err)
}

// rememberVault adds a vault restored from by its destination to the configured vaults (as
// kopia's "repository connect" does), so a restored machine backs up to where it came from. It
// returns the name given, or "" when the vault was configured already.
func (g *globals) rememberVault(r vaultRef) (string, error) {
	if r.cfg != nil {
		return "", nil
	}
	c, err := g.config()
	if err != nil {
		return "", err
	}
	dest := r.name // the destination as the user gave it (its settings included)
	if local, ok := r.dest.LocalPath(); ok {
		dest = local
	}
	for _, v := range c.Vaults {
		if config.ExpandHome(v.Destination) == dest {
			return "", nil
		}
	}
	if c.Vaults == nil {
		c.Vaults = map[string]*config.Vault{}
	}
	name := "restored"
	for i := 2; c.Vaults[name] != nil; i++ {
		name = fmt.Sprintf("restored%d", i)
	}
	c.Vaults[name] = &config.Vault{Destination: dest}
	return name, c.Save(g.configPath())
}
