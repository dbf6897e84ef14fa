package vault

import (
	"context"
	"fmt"

	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/snapshot"
)

// ForgetOptions configure Forget.
type ForgetOptions struct {
	// Host, User and Path limit Forget to matching sources (empty: all).
	Host, User, Path string

	// DryRun computes the report and deletes nothing.
	DryRun bool

	// Prune runs Prune afterwards so the forgotten snapshots' data is
	// garbage-collected; see Safety for when space is really freed.
	Prune  bool
	Safety Safety
}

// ForgetReport lists what Forget kept and removed.
type ForgetReport struct {
	Kept      []SnapshotInfo `json:"kept"`
	Forgotten []SnapshotInfo `json:"forgotten"`
	Pruned    bool           `json:"pruned"`
}

// Forget applies retention to every source separately (kopia's rules: a
// snapshot survives if any rule keeps it, or it is pinned; unfinished
// checkpoints are kept only while newer than the last finished snapshot).
// A zero Retention applies the vault's stored one (see SetRetention).
//
// Forgetting deletes snapshot manifests only; the data goes when
// maintenance collects it, which Prune runs right away.
func (v *Vault) Forget(ctx context.Context, r Retention, opts ForgetOptions) (ForgetReport, error) {
	if !opts.DryRun {
		if err := v.writable(); err != nil {
			return ForgetReport{}, err
		}
	}

	if r.isZero() {
		stored, err := v.Retention(ctx)
		if err != nil {
			return ForgetReport{}, err
		}

		r = stored
	}

	mans, err := v.manifests(ctx, SnapshotFilter{Host: opts.Host, User: opts.User, Path: opts.Path, IncludeIncomplete: true})
	if err != nil {
		return ForgetReport{}, err
	}

	var (
		report ForgetReport
		doomed []*snapshot.Manifest
	)

	rp := r.kopia()

	for _, group := range snapshot.GroupBySource(mans) {
		rp.ComputeRetentionReasons(group)

		for _, m := range group {
			if len(m.RetentionReasons) == 0 && len(m.Pins) == 0 {
				doomed = append(doomed, m)
				report.Forgotten = append(report.Forgotten, snapshotInfo(m))
			} else if m.IncompleteReason == "" {
				report.Kept = append(report.Kept, snapshotInfo(m))
			}
		}
	}

	if opts.DryRun {
		return report, nil
	}

	if err := v.deleteManifests(ctx, doomed); err != nil {
		return report, err
	}

	if opts.Prune {
		if err := v.Prune(ctx, opts.Safety); err != nil {
			return report, err
		}

		report.Pruned = true
	}

	return report, nil
}

// DeleteSnapshots forgets the given snapshots (IDs or unique prefixes).
// Their data is freed by a later full maintenance, as with Forget.
func (v *Vault) DeleteSnapshots(ctx context.Context, ids ...string) error {
	if err := v.writable(); err != nil {
		return err
	}

	mans := make([]*snapshot.Manifest, 0, len(ids))

	for _, id := range ids {
		m, err := v.findSnapshot(ctx, v.rep, id)
		if err != nil {
			return err
		}

		mans = append(mans, m)
	}

	return v.deleteManifests(ctx, mans)
}

func (v *Vault) deleteManifests(ctx context.Context, mans []*snapshot.Manifest) error {
	if len(mans) == 0 {
		return nil
	}

	err := repo.WriteSession(v.kctx(ctx), v.rep, repo.WriteSessionOptions{Purpose: "chatvault forget"},
		func(ctx context.Context, w repo.RepositoryWriter) error {
			for _, m := range mans {
				if err := w.DeleteManifest(ctx, m.ID); err != nil {
					return fmt.Errorf("forgetting snapshot %s: %w", m.ID, err)
				}
			}

			return nil
		})

	return classifyKopiaError(err)
}
