package backup

import (
	"context"
	"fmt"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/dump"
	"github.com/chatvault/chatvault/vault"
)

// Target is one vault to back up to. Open opens it the caller's way (password prompt, file,
// command, recovery key) and returns errors the caller has already put in words.
type Target struct {
	Name string
	Open func(ctx context.Context) (*vault.Vault, error)
}

// Options are what a backup takes.
type Options struct {
	Dump    dump.Options // which conversations and media; Dump.Progress reports the preparation
	Version string       // chatvault's version, recorded in each snapshot's tags
}

// Observer hears of each vault's backup as it goes, for the caller's output. Nil fields are
// not called.
type Observer struct {
	// Starting is called before the upload, with the open vault, the dump and the bytes the
	// upload may read (the whole dump, or less when the free-space check estimated what changed).
	Starting func(vaultName string, v *vault.Vault, d *dump.Dump, reading int64)
	// Progress is called while the upload reads the dump.
	Progress func(vaultName string, p vault.Progress)
	// Stopped is called when the upload has ended, successful or not.
	Stopped func(vaultName string)
}

// Run builds the dump of the archive and backs it up to each target in turn. A vault that fails
// does not stop the others: its Result says why (Err). Run's own error is for what stops every
// vault: the archive or the dump could not be read, or ctx was cancelled.
func Run(ctx context.Context, a *archive.Archive, targets []Target, o Options, obs Observer) ([]Result, error) {
	d, err := dump.Build(ctx, a, o.Dump)
	if err != nil {
		return nil, err
	}
	defer d.Close(context.WithoutCancel(ctx))
	var results []Result
	for _, t := range targets {
		res := Result{Vault: t.Name, Time: time.Now(), Messages: d.Manifest.Counts.Messages}
		v, err := t.Open(ctx)
		if err == nil {
			res = Into(ctx, v, d, res, o, obs)
			v.Close(context.WithoutCancel(ctx))
		} else {
			res.Err, res.Error = err, err.Error()
		}
		results = append(results, res)
		if ctx.Err() != nil {
			break
		}
	}
	return results, nil
}

// Into backs a built dump up into an open vault. res carries the vault's name and the start
// time; the returned Result adds what the backup did, or the failure in Err.
func Into(ctx context.Context, v *vault.Vault, d *dump.Dump, res Result, o Options, obs Observer) Result {
	if res.Time.IsZero() {
		res.Time = time.Now()
	}
	res.Messages = d.Manifest.Counts.Messages
	fail := func(err error) Result {
		res.Err, res.Error = err, err.Error()
		return res
	}
	partial := d.Manifest.Selection != nil
	src := Source(v, d.Archive().ID(), partial)

	// The precise estimate walks the whole tree against the previous snapshot; it is only needed
	// when the destination might be too small for even a full copy.
	reading := d.Bytes
	if free, known := v.FreeSpace(ctx); known && free-v.ReservedSpace() < d.Bytes+d.Bytes/10 {
		est, err := v.EstimateUpload(ctx, d.Root(), src)
		if err != nil {
			return fail(err)
		}
		if est.ChangedBytes > free-v.ReservedSpace() {
			return fail(&SpaceError{Need: est.ChangedBytes, Free: free, Reserve: v.ReservedSpace()})
		}
		reading = est.ChangedBytes
	}
	if obs.Starting != nil {
		obs.Starting(res.Vault, v, d, reading)
	}
	tags := map[string]string{"archive": d.Archive().ID(), "kind": "full", "chatvault": o.Version}
	if partial {
		tags["kind"] = "partial"
	}
	info, err := v.Backup(ctx, d.Root(), vault.BackupOptions{
		Source:       src,
		Tags:         tags,
		Description:  fmt.Sprintf("%d conversations, %d messages", d.Manifest.Counts.Conversations, d.Manifest.Counts.Messages),
		Uncompressed: []string{"media"},
		Progress: func(p vault.Progress) {
			if obs.Progress != nil {
				obs.Progress(res.Vault, p)
			}
		},
	})
	if obs.Stopped != nil {
		obs.Stopped(res.Vault)
	}
	if err != nil {
		return fail(err)
	}
	res.OK, res.Snapshot, res.TotalBytes, res.UploadedBytes, res.DedupRatio = true, info.ID, info.TotalBytes, info.UploadedBytes, info.DedupRatio
	res.Seconds = time.Since(res.Time).Seconds()
	res.HealedDamage = info.ParentDamaged
	return res
}
