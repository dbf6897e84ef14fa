package config

import (
	"os"
	"path/filepath"
)

func home() string {
	h, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	return h
}

func xdg(env, fallback string) string {
	if p := os.Getenv(env); p != "" && filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(home(), fallback)
}

// ConfigHome is $XDG_CONFIG_HOME or ~/.config.
func ConfigHome() string { return xdg("XDG_CONFIG_HOME", ".config") }

// DataHome is $XDG_DATA_HOME or ~/.local/share.
func DataHome() string { return xdg("XDG_DATA_HOME", filepath.Join(".local", "share")) }

// StateHome is $XDG_STATE_HOME or ~/.local/state (logs, schedule state).
func StateHome() string { return xdg("XDG_STATE_HOME", filepath.Join(".local", "state")) }

// CacheHome is $XDG_CACHE_HOME or ~/.cache (vault caches).
func CacheHome() string { return xdg("XDG_CACHE_HOME", ".cache") }

// DefaultArchive is the archive directory when nothing else says where it is.
func DefaultArchive() string { return filepath.Join(DataHome(), "chatvault", "archive") }

// ResolveArchive applies the order flag, CHATVAULT_ARCHIVE, settings file, default.
func ResolveArchive(flag string, c *Config) string {
	switch {
	case flag != "":
		return ExpandHome(flag)
	case os.Getenv("CHATVAULT_ARCHIVE") != "":
		return ExpandHome(os.Getenv("CHATVAULT_ARCHIVE"))
	case c != nil && c.Archive != "":
		return ExpandHome(c.Archive)
	}
	return DefaultArchive()
}

// ExpandHome turns a leading ~/ into the home directory (config files are written by hand).
func ExpandHome(p string) string {
	if p == "~" {
		return home()
	}
	if len(p) > 1 && p[0] == '~' && (p[1] == '/' || p[1] == filepath.Separator) {
		return filepath.Join(home(), p[2:])
	}
	return p
}

// KeptKeyFile is where backups keep a configured vault's unlocked key on this machine: in the
// state folder, which is this machine's own (settings may be synced between machines; caches
// may be cleaned or backed up by other tools).
func KeptKeyFile(vaultName string) string {
	return filepath.Join(StateHome(), "chatvault", "keys", vaultName+".key")
}
