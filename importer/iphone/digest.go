package iphone

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/chatvault/chatvault/importer/iphone/backup"
)

// area is a part of a backup an app's importer reads: a domain, or the paths under a prefix in it.
type area struct{ domain, prefix string }

// manifestDigest stands for every file in areas as the backup's manifest records them (path,
// kind, size, modification time), without reading one: tonight's backup of a phone whose
// Messages did not change gives the same digest as last night's, and the import of Messages is
// skipped (importer.Part.Digest) instead of reading a database of a million messages again to
// add nothing. An app's database changes its size or time whenever the app writes to it.
func manifestDigest(b *backup.Backup, areas []area) (string, error) {
	h := sha256.New()
	for _, a := range areas {
		files, err := b.Files(a.domain)
		if err != nil {
			return "", err
		}
		for _, f := range files {
			if f.Domain != a.domain || !strings.HasPrefix(f.Path, a.prefix) {
				continue // another domain with this one's name as a prefix, or outside the prefix
			}
			fmt.Fprintf(h, "%q %q %v %d %d\n", f.Domain, f.Path, f.Mode, f.Size, f.MTime.UnixNano())
		}
	}
	return "manifest-sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
