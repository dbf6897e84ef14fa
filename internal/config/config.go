// Package config reads and writes chatvault's settings file ($XDG_CONFIG_HOME/chatvault/config.toml)
// and resolves where things live. Settings come from flags first, then CHATVAULT_* environment
// variables, then this file, then built-in defaults.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/chatvault/chatvault/internal/atomicfile"
)

// Config is the settings file.
type Config struct {
	// Archive is the archive directory.
	Archive string `toml:"archive,omitempty"`
	// TZ is the zone assumed for text exports without one (an IANA name such as "Europe/Berlin").
	TZ string `toml:"tz,omitempty"`
	// Vaults are the backup destinations by name.
	Vaults map[string]*Vault `toml:"vaults,omitempty"`
	// Schedule says when automatic backups run.
	Schedule *Schedule `toml:"schedule,omitempty"`
	// Watch lists folders whose new chat exports are imported automatically.
	Watch []Watch `toml:"watch,omitempty"`
}

// Vault is one backup destination.
type Vault struct {
	Destination string `toml:"destination"`
	// Options are destination settings and credentials (e.g. access_key_id, secret_access_key,
	// key_file). The file is written 0600; environment variables are the alternative.
	Options map[string]string `toml:"options,omitempty"`
	// The vault's own password source, at most one (`chatvault vault set` keeps it so):
	// PasswordCommand prints the password (e.g. "pass show chatvault"), PasswordFile holds it
	// on its first line, PasswordKeyring says it is in the OS keyring under the vault's name.
	PasswordCommand string `toml:"password_command,omitempty"`
	PasswordFile    string `toml:"password_file,omitempty"`
	PasswordKeyring bool   `toml:"password_keyring,omitempty"`
	// NoKeptKey: backups do not keep the vault's unlocked key on this machine (KeptKeyFile), so
	// each one needs the password (`chatvault vault set NAME --keep-key=false`).
	NoKeptKey bool `toml:"no_kept_key,omitempty"`
}

// Schedule is the automatic backup plan.
type Schedule struct {
	Every  string   `toml:"every"`            // daily, weekly, monthly, off, or a duration such as 6h
	At     string   `toml:"at,omitempty"`     // HH:MM local time for daily/weekly/monthly
	On     string   `toml:"on,omitempty"`     // weekday (weekly) or day of the month (monthly)
	Vaults []string `toml:"vaults,omitempty"` // empty = every vault
	// Since is when the schedule was set: a schedule under which no backup ever ran is
	// reported as failing two periods later (a timer that never fires must be noticed).
	Since time.Time `toml:"since,omitempty"`
}

// Watch is a folder watched for new exports.
type Watch struct {
	Path string `toml:"path"`
}

// DefaultPath is where the settings file lives unless --config or CHATVAULT_CONFIG says otherwise.
func DefaultPath() string {
	if p := os.Getenv("CHATVAULT_CONFIG"); p != "" {
		return p
	}
	return filepath.Join(ConfigHome(), "chatvault", "config.toml")
}

// Load reads the settings file; a missing file is an empty configuration.
func Load(path string) (*Config, error) {
	c := &Config{}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	if _, err := toml.Decode(string(b), c); err != nil {
		return nil, fmt.Errorf("settings file %s: %w", path, err)
	}
	return c, nil
}

// Save writes the settings file atomically with mode 0600 (it may hold credentials).
func (c *Config) Save(path string) error {
	var buf bytes.Buffer
	buf.WriteString("# chatvault settings. Edit with care; `chatvault --help` explains each command that changes them.\n")
	if err := toml.NewEncoder(&buf).Encode(c); err != nil {
		return err
	}
	return atomicfile.Write(path, buf.Bytes(), 0o600)
}

// HasPasswordSource reports whether the vault can be opened without asking anyone.
func (v *Vault) HasPasswordSource() bool {
	return v.PasswordFile != "" || v.PasswordCommand != "" || v.PasswordKeyring
}

// VaultNames lists the configured vaults in name order.
func (c *Config) VaultNames() []string {
	names := make([]string, 0, len(c.Vaults))
	for n := range c.Vaults {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
