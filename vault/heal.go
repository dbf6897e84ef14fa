package vault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/content"
	"github.com/kopia/kopia/snapshot"
	"github.com/kopia/kopia/snapshot/snapshotfs"
)

// Healing damaged data.
//
// Kopia stores each piece of a file (a content) once, named by the hash of
// its plaintext, and a write of a piece the index already lists is skipped:
// dedup trusts the index. So after a pack is lost or a byte in it flips, a
// plain backup of the same archive refers to the damaged pieces again and
// the new snapshot is as damaged as the old. Two things undo that:
//
//  1. The damaged pieces are marked deleted in the index (kopia's
//     DeleteContent). The next write of the same bytes then stores a fresh
//     copy under the same name, and since every snapshot refers to pieces by
//     name, every older snapshot that shared them heals at the same time.
//  2. The backup reads every file again instead of taking unchanged files'
//     pieces from the previous snapshot unread (kopia's ForceHashPercentage
//     100), so it writes each piece, and the marked ones are stored afresh.
//     Only the marked ones are uploaded; the rest are still deduplicated.
//
// Backup does both by itself for what a cheap check finds (a piece of the
// previous snapshot whose pack is missing or too short, or already marked).
// Flipped bytes only show when the data is read, so Verify with ReadData
// finds them and MarkDamaged marks them; the next backup re-stores them.
// What the archive no longer has stays marked and keeps being reported
// against the snapshots that need it.

// MarkDamaged marks the pieces that report found damaged so that the next
// backup stores fresh copies of them. It returns how many it marked.
func (v *Vault) MarkDamaged(ctx context.Context, report VerifyReport) (int, error) {
	if err := v.writable(); err != nil {
		return 0, err
	}

	if len(report.bad) == 0 {
		return 0, nil
	}

	ctx = v.kctx(ctx)

	n, err := v.markContents(ctx, report.bad)
	if err != nil {
		return n, classifyKopiaError(err)
	}

	return n, nil
}

func (v *Vault) markContents(ctx context.Context, ids []content.ID) (int, error) {
	n := 0

	err := repo.DirectWriteSession(ctx, v.rep, repo.WriteSessionOptions{Purpose: "chatvault mark damaged"},
		func(ctx context.Context, w repo.DirectRepositoryWriter) error {
			var err error
			n, err = deleteContents(ctx, w, ids)

			return err
		})

	return n, err
}

// deleteContents marks contents deleted; one the index does not list needs
// nothing (the next write stores it anyway).
func deleteContents(ctx context.Context, w repo.DirectRepositoryWriter, ids []content.ID) (int, error) {
	n := 0

	for _, cid := range ids {
		err := w.ContentManager().DeleteContent(ctx, cid)
		if errors.Is(err, content.ErrContentNotFound) {
			continue
		}

		if err != nil {
			return n, fmt.Errorf("marking content %v damaged: %w", cid, err)
		}

		n++
	}

	return n, nil
}

// parentDamage checks the snapshots a backup will take unchanged files from:
// every directory can be listed and every piece is listed in the index,
// not marked deleted, and inside a pack of the right length. It returns the
// bad pieces (whose index entries must be marked before the upload) and
// whether anything at all was damaged (then every file must be read), and,
// when nothing was, what it checked, for the next backup (checked.go): with
// that record a parent that the last backup made costs a listing, not a walk.
func (v *Vault) parentDamage(ctx context.Context, prev []*snapshot.Manifest, si snapshot.SourceInfo) ([]content.ID, bool, *checkedState, error) {
	blobs, err := v.listBlobs(ctx, v.rep)
	if err != nil {
		return nil, false, nil, err
	}

	if st := v.loadChecked(si); st.stillIntact(prev, blobs) {
		st.blobs = blobs
		return nil, false, st, nil
	}

	st := &checkedState{Index: indexBlobs(blobs), Packs: map[blob.ID]int64{}, blobs: blobs}
	if len(prev) == 0 {
		return nil, false, st, nil
	}

	vr := newVerifierWith(v.rep, blobs, false, 0)
	vr.packs = st.Packs

	damaged := false

	for _, m := range prev {
		if m.RootEntry == nil {
			continue
		}

		if len(vr.checkEntry(ctx, snapshotfs.EntryFromDirEntry(v.rep, m.RootEntry), "")) > 0 {
			damaged = true
		}
	}

	if err := ctx.Err(); err != nil {
		return nil, false, nil, err
	}

	if damaged {
		st = nil // what the healing backup stores is checked by the next one
	} else {
		st.Dirs = vr.intactDirs()
	}

	return vr.badContents(), damaged, st, nil
}

// RepairReport says what Repair did.
type RepairReport struct {
	// Quarantined lists index blobs that could not be read; each was
	// copied to chatvault.damaged.<name> and removed.
	Quarantined []string `json:"quarantined,omitempty"`

	// PacksScanned and Recovered: the index rebuilt from the packs, which
	// each carry a list of their own contents.
	PacksScanned int `json:"packsScanned,omitempty"`
	Recovered    int `json:"recovered,omitempty"`

	// NewDescriptor: the descriptor and its copy were both unreadable and a
	// new one was written (with a new ID: only the local cache folder changes).
	NewDescriptor bool `json:"newDescriptor,omitempty"`
}

// maxQuarantine bounds Repair's loop over unreadable index blobs.
const maxQuarantine = 1000

// Repair makes a vault that no longer opens because of damage open again,
// without losing what the destination still holds. The descriptor, key
// slots and kopia's format files are restored from their second copies by
// every Open already; Repair also handles damaged index blobs: each one
// kopia cannot read is moved aside and the index is rebuilt from the packs.
// It then returns the open vault (writable) for the caller to verify and
// back up.
func Repair(ctx context.Context, dest Destination, secret Secret, opts OpenOptions) (*Vault, RepairReport, error) {
	var rr RepairReport

	opts.ReadOnly = false

	for range maxQuarantine {
		v, err := Open(ctx, dest, secret, opts)

		var de *descriptorDamageError
		if errors.As(err, &de) {
			if err := newDescriptorAt(ctx, dest); err != nil {
				return nil, rr, err
			}

			rr.NewDescriptor = true

			continue
		}

		var ie *IndexDamageError
		if !errors.As(err, &ie) {
			if err == nil && len(rr.Quarantined) > 0 {
				if err = v.rebuildIndex(ctx, &rr); err != nil {
					_ = v.Close(ctx)
					return nil, rr, err
				}
			}

			return v, rr, err
		}

		if err := quarantine(ctx, dest, blob.ID(ie.Blob)); err != nil {
			return nil, rr, wrapf(ErrUnreachable, err, "moving damaged index blob %s aside", ie.Blob)
		}

		rr.Quarantined = append(rr.Quarantined, ie.Blob)
	}

	return nil, rr, wrapf(ErrDamaged, nil, "vault at %s: more than %d index blobs are damaged", dest, maxQuarantine)
}

// quarantine keeps a damaged index blob's bytes under chatvault's prefix
// (for a person to look at; kopia never reads them) and removes it from
// kopia's view.
func quarantine(ctx context.Context, dest Destination, id blob.ID) error {
	raw, _, err := connectStorage(ctx, dest, false)
	if err != nil {
		return err
	}
	defer raw.Close(ctx) //nolint:errcheck

	data, err := readBlob(ctx, raw, id)
	if err != nil {
		return err
	}

	if err := raw.PutBlob(ctx, "chatvault.damaged."+id, bytesBlob(data), blob.PutOptions{}); err != nil {
		return classifyKopiaError(err)
	}

	return raw.DeleteBlob(ctx, id)
}

// rebuildIndex re-reads the list of contents every pack carries at its end
// and writes them into a new index. Entries already listed elsewhere are
// harmless duplicates; a later deletion mark still wins (it is newer).
func (v *Vault) rebuildIndex(ctx context.Context, rr *RepairReport) error {
	ctx = v.kctx(ctx)

	err := repo.DirectWriteSession(ctx, v.rep, repo.WriteSessionOptions{Purpose: "chatvault rebuild index"},
		func(ctx context.Context, w repo.DirectRepositoryWriter) error {
			for _, prefix := range content.PackBlobIDPrefixes {
				err := w.BlobReader().ListBlobs(ctx, prefix, func(bm blob.Metadata) error {
					infos, err := w.ContentManager().RecoverIndexFromPackBlob(ctx, bm.BlobID, bm.Length, true)
					if err != nil {
						// A pack without a readable list of contents is itself
						// damaged; Verify reports what it held.
						return nil //nolint:nilerr
					}

					rr.PacksScanned++
					rr.Recovered += len(infos)

					return nil
				})
				if err != nil {
					return err
				}
			}

			return nil
		})
	if err != nil {
		return fmt.Errorf("rebuilding the index of %s: %w", v.dest, classifyKopiaError(err))
	}

	return v.refresh(ctx)
}

// newDescriptorAt writes a fresh descriptor over a damaged one.
func newDescriptorAt(ctx context.Context, dest Destination) error {
	raw, err := dest.newStorage(ctx, false)
	if err != nil {
		return wrapf(ErrUnreachable, err, "connecting to %s", dest)
	}
	defer raw.Close(ctx) //nolint:errcheck

	d, err := newDescriptor()
	if err != nil {
		return err
	}

	b, err := json.Marshal(d)
	if err != nil {
		return err
	}

	if err := raw.PutBlob(ctx, descriptorBlobID, bytesBlob(b), blob.PutOptions{}); err != nil {
		return fmt.Errorf("writing a new descriptor: %w", classifyKopiaError(err))
	}

	return nil
}
