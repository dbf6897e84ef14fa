package iphone

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/iphone/backup"
)

// area is a part of a backup an app's importer reads: a domain, or the paths under a prefix in it.
type area struct{ domain, prefix string }

// manifestDigest stands for every file in areas as the backup's manifest records them
// (Backup.RecordsDigest: path, flags and the record, which holds size and modification time),
// without reading one: tonight's backup of a phone whose
// Messages did not change gives the same digest as last night's, and the import of Messages is
// skipped (importer.Part.Digest) instead of reading a database of a million messages again to
// add nothing. An app's database changes its size or time whenever the app writes to it.
func manifestDigest(b *backup.Backup, areas []area) (string, error) {
	h := sha256.New()
	for _, a := range areas {
		d, err := b.RecordsDigest(a.domain, a.prefix)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%q %q %s\n", a.domain, a.prefix, d)
	}
	return archive.ManifestDigestPrefix + "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
