package vault

import (
	"context"
	"fmt"
	"time"

	"github.com/gofrs/flock"
	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/repo/maintenance"
	"github.com/kopia/kopia/snapshot/snapshotmaintenance"
)

// Safety chooses kopia's garbage-collection safety margins.
type Safety int

const (
	// SafetyFull is kopia's default and the only safe choice when another
	// device or process may be writing to the vault: unreferenced data is
	// only marked for deletion and freed once it has been unreferenced for
	// 24 hours, after two maintenance runs at least 4 hours apart (session
	// blobs of interrupted backups wait 4 days). Forget + prune therefore
	// frees space on a later run, not at once.
	SafetyFull Safety = iota

	// SafetyNone frees space immediately. Use it only when no other
	// device or process writes to the vault while it runs (a single-device
	// vault on a local drive, NAS mount or SFTP server; S3 is strongly
	// consistent too): a backup running concurrently elsewhere could lose
	// the data it has just uploaded.
	SafetyNone
)

func (s Safety) kopia() maintenance.SafetyParameters {
	if s == SafetyNone {
		return maintenance.SafetyNone
	}

	return maintenance.SafetyFull
}

// MaintenanceMode selects what maintenance does.
type MaintenanceMode int

const (
	// MaintenanceAuto runs full maintenance when kopia's schedule says it
	// is due (once a day by default) and nothing otherwise; cheap to call
	// after every backup.
	MaintenanceAuto MaintenanceMode = iota

	// MaintenanceQuick compacts indexes.
	MaintenanceQuick

	// MaintenanceFull also garbage-collects: it finds data no snapshot
	// references, rewrites mostly-empty packs and deletes unused ones,
	// within the Safety margins.
	MaintenanceFull
)

// MaintenanceOptions configure Maintenance.
type MaintenanceOptions struct {
	Mode   MaintenanceMode
	Safety Safety
}

// Maintenance runs kopia's repository maintenance. Only the maintenance
// owner (the device that ran Init, or the one that called
// TakeMaintenanceOwnership) may run it; others get ErrNotOwner. ErrLocked
// means maintenance is already running on this machine.
func (v *Vault) Maintenance(ctx context.Context, opts MaintenanceOptions) error {
	if err := v.writable(); err != nil {
		return err
	}

	mode := maintenance.ModeAuto

	switch opts.Mode {
	case MaintenanceQuick:
		mode = maintenance.ModeQuick
	case MaintenanceFull:
		mode = maintenance.ModeFull
	}

	// Kopia silently does nothing when its local maintenance lock is taken;
	// a caller deserves to know. The check and kopia's own lock race only
	// against another process starting at the same instant.
	lock := flock.New(v.rep.ConfigFilename() + ".mlock")

	ok, err := lock.TryLock()
	if err != nil {
		return fmt.Errorf("maintenance lock: %w", err)
	}

	if !ok {
		return wrapf(ErrLocked, nil, "maintenance of %s is already running on this machine", v.dest)
	}

	if err := lock.Unlock(); err != nil {
		return fmt.Errorf("maintenance lock: %w", err)
	}

	ctx = v.kctx(ctx)

	err = repo.DirectWriteSession(ctx, v.rep, repo.WriteSessionOptions{Purpose: "chatvault maintenance"},
		func(ctx context.Context, dw repo.DirectRepositoryWriter) error {
			return snapshotmaintenance.Run(ctx, dw, mode, false, opts.Safety.kopia())
		})
	if err != nil {
		return fmt.Errorf("maintenance of %s: %w", v.dest, classifyKopiaError(err))
	}

	return nil
}

// Prune runs full maintenance so that data no snapshot references any more
// is freed. With SafetyFull that happens over later runs (see SafetyFull).
// With SafetyNone it runs three cycles about a second apart, which frees
// everything at once: kopia keeps content times in whole seconds, and an
// unreferenced piece of data takes one cycle to be marked deleted, one to
// leave the index and one for its pack file to be deleted.
func (v *Vault) Prune(ctx context.Context, safety Safety) error {
	runs := 1
	if safety == SafetyNone {
		runs = 3
	}

	for i := range runs {
		if i > 0 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("prune: %w: %w", ErrCanceled, ctx.Err())
			case <-time.After(1100 * time.Millisecond):
			}
		}

		if err := v.Maintenance(ctx, MaintenanceOptions{Mode: MaintenanceFull, Safety: safety}); err != nil {
			return err
		}
	}

	return nil
}

// MaintenanceOwner returns the user@host allowed to run maintenance.
func (v *Vault) MaintenanceOwner(ctx context.Context) (string, error) {
	p, err := maintenance.GetParams(v.kctx(ctx), v.rep)
	if err != nil {
		return "", fmt.Errorf("reading maintenance owner: %w", err)
	}

	return p.Owner, nil
}

// TakeMaintenanceOwnership makes this device (OpenOptions' user@host) the
// maintenance owner, e.g. when the device that created the vault is gone.
// Two owners must never run maintenance at the same time, which is why
// there is exactly one.
func (v *Vault) TakeMaintenanceOwnership(ctx context.Context) error {
	if err := v.writable(); err != nil {
		return err
	}

	ctx = v.kctx(ctx)

	return repo.WriteSession(ctx, v.rep, repo.WriteSessionOptions{Purpose: "chatvault maintenance owner"},
		func(ctx context.Context, w repo.RepositoryWriter) error {
			p, err := maintenance.GetParams(ctx, w)
			if err != nil {
				return err
			}

			p.Owner = w.ClientOptions().UsernameAtHost()

			return maintenance.SetParams(ctx, w, p)
		})
}
