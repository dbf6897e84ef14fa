// Package backup makes a backup of the archive: it builds the deterministic dump once, checks
// each destination's free space, snapshots the dump into each vault in turn under this device's
// source, and says what each vault's backup did. `chatvault backup`, the scheduler's runs and
// `verify --repair` all back up through it; the command line only chooses the vaults, opens them
// (asking for passwords) and prints.
package backup
