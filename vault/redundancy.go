package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/format"
)

// Second copies of what a vault cannot be opened without.
//
// Losing one of these small files locks every snapshot out: the
// descriptor (chatvault), a key slot, kopia's format blob
// (kopia.repository, which holds the master key encrypted with the slot's
// secret) or kopia's blob configuration (kopia.blobcfg, read at every
// open). Each is kept twice, the copy under chatvault's own "chatvault"
// prefix that kopia's maintenance never deletes (see keyslot.go), as an exact
// byte copy so a person can put it back by hand:
//
//	chatvault.f              chatvault.copy.desc.f
//	chatvault.password.f     chatvault.copy.pass.f
//	chatvault.recovery.f     chatvault.copy.recov.f
//	kopia.repository.f       chatvault.copy.repo.f
//	kopia.blobcfg.f          chatvault.copy.bcfg.f
//
// A primary is never overwritten while it works: a copy replaces it only
// when the primary fails on its own (the descriptor does not parse, the slot
// does not open with a secret that opens the copy, kopia cannot open its
// format with it). After every successful writable open the copies are
// brought in line with the primaries, so a damaged or missing copy is
// rewritten and a legitimate change (a new password) reaches the copy.
const (
	descriptorCopyID blob.ID = "chatvault.copy.desc"
	passwordCopyID   blob.ID = "chatvault.copy.pass"
	recoveryCopyID   blob.ID = "chatvault.copy.recov"
	formatCopyID     blob.ID = "chatvault.copy.repo"
	blobCfgCopyID    blob.ID = "chatvault.copy.bcfg"
)

// copyOf names the second copy of a primary blob.
func copyOf(id blob.ID) blob.ID {
	switch id {
	case descriptorBlobID:
		return descriptorCopyID
	case passwordSlotID:
		return passwordCopyID
	case recoverySlotID:
		return recoveryCopyID
	case format.KopiaRepositoryBlobID:
		return formatCopyID
	case format.KopiaBlobCfgBlobID:
		return blobCfgCopyID
	}

	return ""
}

// criticalBlobs are the primaries that have copies, in the order a vault
// reads them.
var criticalBlobs = []blob.ID{descriptorBlobID, passwordSlotID, recoverySlotID, format.KopiaRepositoryBlobID, format.KopiaBlobCfgBlobID}

// readOptional reads a blob, nil when it does not exist.
func readOptional(ctx context.Context, st blob.Reader, id blob.ID) ([]byte, error) {
	b, err := readBlob(ctx, st, id)
	if errors.Is(err, blob.ErrBlobNotFound) {
		return nil, nil
	}

	return b, err
}

// restoreFromCopy puts the copy of id back in place of the primary when the
// two differ. It reports whether it wrote anything.
func restoreFromCopy(ctx context.Context, st blob.Storage, id blob.ID) (bool, error) {
	c, err := readOptional(ctx, st, copyOf(id))
	if err != nil || c == nil {
		return false, err
	}

	p, err := readOptional(ctx, st, id)
	if err != nil {
		return false, err
	}

	if bytes.Equal(p, c) {
		return false, nil
	}

	if err := st.PutBlob(ctx, id, bytesBlob(c), blob.PutOptions{}); err != nil {
		return false, fmt.Errorf("restoring %s from %s: %w", id, copyOf(id), classifyKopiaError(err))
	}

	return true, nil
}

// syncCopies makes every copy equal to its primary. It is called only when
// the vault has just opened with the primaries, which proves them good.
func syncCopies(ctx context.Context, st blob.Storage) error {
	for _, id := range criticalBlobs {
		p, err := readOptional(ctx, st, id)
		if err != nil {
			return fmt.Errorf("reading %s: %w", id, err)
		}

		if p == nil {
			continue // kopia.blobcfg is optional; a missing slot stays missing
		}

		c, err := readOptional(ctx, st, copyOf(id))
		if err != nil {
			return fmt.Errorf("reading %s: %w", copyOf(id), err)
		}

		if bytes.Equal(p, c) {
			continue
		}

		if err := st.PutBlob(ctx, copyOf(id), bytesBlob(p), blob.PutOptions{}); err != nil {
			return fmt.Errorf("writing %s: %w", copyOf(id), classifyKopiaError(err))
		}
	}

	return nil
}

// openSlotWithCopy opens a key slot, falling back to its copy when the
// primary is missing, damaged, or does not open with this secret while the
// copy does (a flipped byte inside the slot can look like a wrong password).
// A copy that opens is written back over the primary (healed reports it).
func openSlotWithCopy(ctx context.Context, st blob.Storage, dest Destination, slotID blob.ID, pass string) (secret string, healed bool, err error) {
	primary, perr := readOptional(ctx, st, slotID)
	if perr != nil {
		return "", false, wrapf(ErrUnreachable, perr, "vault at %s: reading key slot", dest)
	}

	var primaryErr error

	if primary != nil {
		secret, primaryErr = openSlot(primary, pass)
		if primaryErr == nil {
			return secret, false, nil
		}
	}

	cp, cerr := readOptional(ctx, st, copyOf(slotID))
	if cerr != nil {
		return "", false, wrapf(ErrUnreachable, cerr, "vault at %s: reading key slot copy", dest)
	}

	if cp != nil && !bytes.Equal(cp, primary) {
		if s, err := openSlot(cp, pass); err == nil {
			if err := st.PutBlob(ctx, slotID, bytesBlob(cp), blob.PutOptions{}); err != nil {
				return "", false, wrapf(ErrDamaged, err, "vault at %s: key slot %s is damaged and could not be restored from %s", dest, slotID, copyOf(slotID))
			}

			return s, true, nil
		}
	}

	switch {
	case primary == nil && cp == nil:
		return "", false, wrapf(ErrSlotMissing, nil, "vault at %s: key slot %s not found", dest, slotID)
	case primaryErr != nil && errors.Is(primaryErr, ErrWrongPassword):
		return "", false, fmt.Errorf("vault at %s: %w", dest, primaryErr)
	case primary == nil:
		return "", false, wrapf(ErrSlotMissing, fmt.Errorf("%w: its copy %s is damaged too", ErrDamaged, copyOf(slotID)), "vault at %s: key slot %s not found", dest, slotID)
	}

	// The primary is damaged and no copy opens it.
	return "", false, fmt.Errorf("vault at %s: key slot %s is damaged and so is its copy %s: %w: %w", dest, slotID, copyOf(slotID), ErrDamaged, primaryErr)
}
