package backup

import "github.com/chatvault/chatvault/vault"

// Source is the name this device's backups of an archive go under: each device is its own
// source, and a partial backup (some conversations) has its own so that it never becomes a full
// backup's parent.
func Source(v *vault.Vault, archiveID string, partial bool) vault.Source {
	s := v.DefaultSource()
	s.Path = "/chatvault/" + archiveID
	if partial {
		s.Path += "/partial"
	}
	return s
}
