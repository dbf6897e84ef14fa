package vault

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/format"
)

// errFormatDamaged marks an open that failed on kopia.repository or
// kopia.blobcfg; it is ErrDamaged to callers.
var errFormatDamaged = fmt.Errorf("kopia.repository or kopia.blobcfg cannot be read: %w", ErrDamaged)

// indexBlobInError finds the index blob kopia names when it cannot load one.
var indexBlobInError = regexp.MustCompile(`index blob (x[A-Za-z0-9_-]+)`)

// IndexDamageError is an ErrDamaged open: an index blob (kopia's list of
// where each piece of data is) cannot be decrypted or parsed. Repair rebuilds
// the index from the packs, which carry their own copy of it.
type IndexDamageError struct {
	Blob  string
	cause error
}

func (e *IndexDamageError) Error() string {
	return fmt.Sprintf("index blob %s is damaged: %v", e.Blob, e.cause)
}

func (e *IndexDamageError) Unwrap() []error { return []error{ErrDamaged, e.cause} }

// classifyOpenDamage tells a kopia open that failed on damaged data (which
// retrying will not fix) from one that could not reach the destination.
// Kopia's errors are wrapped strings, so this reads their text; kopia
// v0.21.1's wording is pinned by the damage tests.
func classifyOpenDamage(dest Destination, err error) error {
	msg := err.Error()

	if m := indexBlobInError.FindStringSubmatch(msg); m != nil && damageWords(msg) {
		return fmt.Errorf("vault at %s: %w", dest, &IndexDamageError{Blob: m[1], cause: err})
	}

	if strings.Contains(msg, "format manager") && damageWords(msg) {
		return fmt.Errorf("vault at %s: %w: %w", dest, errFormatDamaged, err)
	}

	return nil
}

// damageWords: the failure is in the bytes read, not in reading them.
func damageWords(msg string) bool {
	for _, w := range []string{"decrypt", "authentication failed", "invalid format", "parse", "JSON", "unexpected end", "invalid index", "checksum", "unable to open index"} {
		if strings.Contains(msg, w) {
			return true
		}
	}

	return false
}

// retryWithFormatCopies puts the second copies of kopia.repository and
// kopia.blobcfg back (when they differ from what is there) and opens again.
func (v *Vault) retryWithFormatCopies(ctx context.Context, first error) (repo.DirectRepository, error) {
	restored := false

	for _, id := range []blob.ID{format.KopiaRepositoryBlobID, format.KopiaBlobCfgBlobID} {
		ok, err := restoreFromCopy(ctx, v.raw, id)
		if err != nil {
			return nil, fmt.Errorf("%w (and restoring its copy failed: %v)", first, err)
		}

		restored = restored || ok
	}

	if !restored {
		// (Kopia's format version 3, which chatvault creates, no longer keeps
		// a copy of kopia.repository inside its packs: these copies are the only ones.)
		return nil, fmt.Errorf("%w; no good second copy (%s, %s) to restore it from: put back a copy of kopia.repository and kopia.blobcfg from an older copy of this destination", first, formatCopyID, blobCfgCopyID)
	}

	return v.connect(ctx, "repo.config", v.cachingOptions(), v.opts.ReadOnly)
}

// descriptorDamageError: the plaintext descriptor and its copy are both
// unreadable while the repository is there. The descriptor holds no secret
// and nothing but an ID for the local cache folder, so Repair writes a new one.
type descriptorDamageError struct{ msg string }

func (e *descriptorDamageError) Error() string { return e.msg + ": " + ErrDamaged.Error() }
func (e *descriptorDamageError) Unwrap() error { return ErrDamaged }
