package main

import (
	"context"
	"fmt"
	"os"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/backup"
	"github.com/chatvault/chatvault/dump"
	"github.com/chatvault/chatvault/internal/progress"
	"github.com/chatvault/chatvault/vault"
)

// repairResult is what `verify --repair` did.
type repairResult struct {
	vault.RepairReport
	Marked   int           `json:"marked"`              // damaged pieces marked to be stored again
	Backup   *backupResult `json:"backup,omitempty"`    // the backup that stored fresh copies
	NoBackup string        `json:"no_backup,omitempty"` // why there was none
}

// repairVault heals the damage the first verify found: marks the damaged pieces, backs this
// archive up into the vault (which stores fresh copies of every marked piece it still has, and
// so heals every snapshot that shared them), and verifies again. It returns the second report.
func repairVault(ctx context.Context, g *globals, o *verifyOptions, r vaultRef, v *vault.Vault, rr vault.RepairReport, rep vault.VerifyReport) (*repairResult, vault.VerifyReport, error) {
	res := &repairResult{RepairReport: rr}
	if rep.OK() {
		return res, rep, nil
	}
	n, err := v.MarkDamaged(ctx, rep)
	if err != nil {
		return nil, rep, vaultError(r, err)
	}
	res.Marked = n
	p, err := g.archivePath()
	if err != nil {
		return nil, rep, err
	}
	if _, serr := os.Stat(p); serr != nil {
		res.NoBackup = "no archive on this machine to take fresh copies from"
	} else {
		a, err := archive.Open(ctx, p)
		if err != nil {
			return nil, rep, err
		}
		defer a.Close()
		d, err := dump.Build(ctx, a, dump.Options{})
		if err != nil {
			return nil, rep, err
		}
		defer d.Close(context.WithoutCancel(ctx))
		b := backup.Into(ctx, v, d, backupResult{Vault: r.name}, backup.Options{Version: version}, g.backupObserver(ctx, o.json, map[string]vaultRef{r.name: r}))
		if b.Err != nil {
			return nil, rep, backupError(r, b.Err)
		}
		g.printBackup(o.json, &b)
		res.Backup = &b
	}
	rep, err = verifyWithBar(ctx, v, r, rep.ReadData)
	return res, rep, err
}

func verifyWithBar(ctx context.Context, v *vault.Vault, r vaultRef, readData bool) (vault.VerifyReport, error) {
	bar := progress.New(-1, "verify "+r.name, progress.Items)
	rep, err := v.Verify(ctx, vault.VerifyOptions{ReadData: readData, Progress: func(p vault.VerifyProgress) {
		bar.SetTotal(int64(p.Snapshots))
		bar.Set(int64(p.SnapshotsDone))
	}})
	bar.Finish()
	return rep, vaultError(r, err)
}

func printRepair(g *globals, r vaultRef, res *repairResult) {
	if res == nil {
		return
	}
	w := g.stdout
	if res.NewDescriptor {
		fmt.Fprintf(w, "Repair: the vault's descriptor was unreadable; wrote a new one.\n")
	}
	if len(res.Quarantined) > 0 {
		fmt.Fprintf(w, "Repair: %d unreadable index files moved aside (as chatvault.damaged.*); index rebuilt from %d packs (%d pieces).\n",
			len(res.Quarantined), res.PacksScanned, res.Recovered)
	}
	if res.Marked > 0 {
		fmt.Fprintf(w, "Repair: %d damaged pieces marked to be stored again.\n", res.Marked)
	}
	if res.NoBackup != "" {
		fmt.Fprintf(w, "Repair: %s; back up from the machine that has the archive to heal %s.\n", res.NoBackup, r.name)
	}
}
