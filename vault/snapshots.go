package vault

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/repo/manifest"
	"github.com/kopia/kopia/snapshot"
)

// SnapshotFilter selects snapshots. Empty fields match everything.
type SnapshotFilter struct {
	Host, User, Path string

	// Tags must all be present with these values.
	Tags map[string]string

	// IncludeIncomplete also lists kopia's checkpoints of long backups
	// that have not finished (or were interrupted by a crash).
	IncludeIncomplete bool
}

func (f SnapshotFilter) match(m *snapshot.Manifest) bool {
	switch {
	case f.Host != "" && m.Source.Host != f.Host,
		f.User != "" && m.Source.UserName != f.User,
		f.Path != "" && m.Source.Path != f.Path,
		!f.IncludeIncomplete && m.IncompleteReason != "":
		return false
	}

	for k, val := range f.Tags {
		if m.Tags[tagPrefix+k] != val {
			return false
		}
	}

	return true
}

// Snapshots lists the snapshots of every source in the vault (several
// devices may back up to one vault), oldest first.
func (v *Vault) Snapshots(ctx context.Context, filter SnapshotFilter) ([]SnapshotInfo, error) {
	mans, err := v.manifests(ctx, filter)
	if err != nil {
		return nil, err
	}

	out := make([]SnapshotInfo, len(mans))
	for i, m := range mans {
		out[i] = snapshotInfo(m)
	}

	return out, nil
}

// Sources lists the sources that have snapshots in the vault.
func (v *Vault) Sources(ctx context.Context) ([]Source, error) {
	ctx = v.kctx(ctx)

	if err := v.refresh(ctx); err != nil {
		return nil, err
	}

	sis, err := snapshot.ListSources(ctx, v.rep)
	if err != nil {
		return nil, fmt.Errorf("listing sources: %w", err)
	}

	out := make([]Source, len(sis))
	for i, si := range sis {
		out[i] = sourceFromKopia(si)
	}

	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })

	return out, nil
}

// Snapshot returns one snapshot by ID (or a unique prefix of one), or
// "latest" for the newest finished snapshot of any source.
func (v *Vault) Snapshot(ctx context.Context, id string) (SnapshotInfo, error) {
	m, err := v.findSnapshot(ctx, v.rep, id)
	if err != nil {
		return SnapshotInfo{}, err
	}

	return snapshotInfo(m), nil
}

// Latest returns the newest finished snapshot that matches filter.
func (v *Vault) Latest(ctx context.Context, filter SnapshotFilter) (SnapshotInfo, error) {
	filter.IncludeIncomplete = false

	mans, err := v.manifests(ctx, filter)
	if err != nil {
		return SnapshotInfo{}, err
	}

	if len(mans) == 0 {
		return SnapshotInfo{}, fmt.Errorf("latest: %w", ErrSnapshotNotFound)
	}

	return snapshotInfo(mans[len(mans)-1]), nil
}

func (v *Vault) refresh(ctx context.Context) error {
	if err := v.usable(); err != nil {
		return err
	}

	if err := v.rep.Refresh(ctx); err != nil {
		return wrapf(ErrUnreachable, err, "reading %s", v.dest)
	}

	return nil
}

// manifests loads the matching snapshot manifests, oldest first.
func (v *Vault) manifests(ctx context.Context, filter SnapshotFilter) ([]*snapshot.Manifest, error) {
	ctx = v.kctx(ctx)

	if err := v.refresh(ctx); err != nil {
		return nil, err
	}

	return loadManifests(ctx, v.rep, filter)
}

func loadManifests(ctx context.Context, rep repo.Repository, filter SnapshotFilter) ([]*snapshot.Manifest, error) {
	ids, err := snapshot.ListSnapshotManifests(ctx, rep, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("listing snapshots: %w", err)
	}

	all, err := snapshot.LoadSnapshots(ctx, rep, ids)
	if err != nil {
		return nil, fmt.Errorf("loading snapshots: %w", err)
	}

	var out []*snapshot.Manifest

	for _, m := range all {
		if filter.match(m) {
			out = append(out, m)
		}
	}

	sort.SliceStable(out, func(i, j int) bool {
		if out[i].StartTime != out[j].StartTime {
			return out[i].StartTime < out[j].StartTime
		}

		return out[i].ID < out[j].ID
	})

	return out, nil
}

func (v *Vault) findSnapshot(ctx context.Context, rep repo.Repository, id string) (*snapshot.Manifest, error) {
	ctx = v.kctx(ctx)

	if err := v.refresh(ctx); err != nil {
		return nil, err
	}

	if id == "latest" {
		mans, err := loadManifests(ctx, rep, SnapshotFilter{})
		if err != nil {
			return nil, err
		}

		if len(mans) == 0 {
			return nil, fmt.Errorf("latest: %w", ErrSnapshotNotFound)
		}

		return mans[len(mans)-1], nil
	}

	if id == "" {
		return nil, fmt.Errorf("empty snapshot ID: %w", ErrSnapshotNotFound)
	}

	m, err := snapshot.LoadSnapshot(ctx, rep, manifest.ID(id))
	if err == nil {
		return m, nil
	}

	if !errors.Is(err, snapshot.ErrSnapshotNotFound) {
		return nil, fmt.Errorf("loading snapshot %s: %w", id, err)
	}

	// A unique prefix, as people copy short IDs from listings.
	mans, err := loadManifests(ctx, rep, SnapshotFilter{IncludeIncomplete: true})
	if err != nil {
		return nil, err
	}

	var found *snapshot.Manifest

	for _, m := range mans {
		if strings.HasPrefix(string(m.ID), id) {
			if found != nil {
				return nil, fmt.Errorf("snapshot ID %q is ambiguous", id)
			}

			found = m
		}
	}

	if found == nil {
		return nil, fmt.Errorf("snapshot %q: %w", id, ErrSnapshotNotFound)
	}

	return found, nil
}
