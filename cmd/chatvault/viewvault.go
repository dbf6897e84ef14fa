package main

import (
	"context"

	"github.com/chatvault/chatvault/dump"
)

// The viewer browses a backup in place: the snapshot is read straight from the vault, nothing
// is restored. The password comes from CHATVAULT_PASSWORD, the vault's settings or a prompt.
func init() {
	openSnapshotSource = func(ctx context.Context, vaultName, snapshot string, g *globals) (dump.Source, func(), error) {
		r, err := g.resolveVault(vaultName)
		if err != nil {
			return nil, nil, err
		}
		v, err := g.openVault(ctx, r, &secretOptions{}, true, nil)
		if err != nil {
			return nil, nil, err
		}
		snap, err := pickSnapshot(ctx, v, r, snapshot)
		if err != nil {
			v.Close(ctx)
			return nil, nil, err
		}
		reader, err := v.OpenSnapshot(ctx, snap.ID)
		if err != nil {
			v.Close(ctx)
			return nil, nil, vaultError(r, err)
		}
		return snapshotSource{reader}, func() { reader.Close(); v.Close(context.Background()) }, nil
	}
}
