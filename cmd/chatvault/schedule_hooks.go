package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/chatvault/chatvault/schedule"
	"github.com/chatvault/chatvault/vault"
)

// The backup side of scheduled runs is the vault commands' own code: a scheduled backup is
// `chatvault backup --to VAULT`, retention is `chatvault forget VAULT` with the vault's own rule,
// and maintenance is kopia's automatic cycle (quick or full, whichever is due), which only the
// device that owns the vault's maintenance runs.

func backupForSchedule(ctx context.Context, g *globals, name string) (schedule.BackupResult, error) {
	results, err := runBackup(ctx, g, &backupOptions{to: []string{name}, json: true})
	if err != nil {
		return schedule.BackupResult{}, err
	}
	if len(results) != 1 || !results[0].OK {
		return schedule.BackupResult{}, fmt.Errorf("vault %s: the backup made no snapshot", name)
	}
	r := results[0]
	return schedule.BackupResult{Snapshot: r.Snapshot, Bytes: r.TotalBytes, Uploaded: r.UploadedBytes}, nil
}

func forgetForSchedule(ctx context.Context, g *globals, name string) error {
	return runForget(ctx, g, &forgetOptions{json: true}, name, func(string) bool { return false })
}

func maintainForSchedule(ctx context.Context, g *globals, name string) error {
	r, err := g.resolveVault(name)
	if err != nil {
		return err
	}
	v, err := g.openVault(ctx, r, &secretOptions{}, false, nil)
	if err != nil {
		return err
	}
	defer v.Close(context.WithoutCancel(ctx))
	err = v.Maintenance(ctx, vault.MaintenanceOptions{Mode: vault.MaintenanceAuto})
	if errors.Is(err, vault.ErrNotOwner) {
		return nil // another device maintains this vault
	}
	return vaultError(r, err)
}
