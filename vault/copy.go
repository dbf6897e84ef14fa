package vault

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/kopia/kopia/fs"
	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/snapshot"
	"github.com/kopia/kopia/snapshot/snapshotfs"
	"github.com/kopia/kopia/snapshot/upload"
)

// CopyOptions configure Copy.
type CopyOptions struct {
	// Filter selects the snapshots to copy (finished ones only).
	Filter SnapshotFilter

	// Uncompressed is passed on as in BackupOptions.
	Uncompressed []string

	// Progress is reported as for Backup, across all copied snapshots.
	Progress         func(Progress)
	ProgressInterval time.Duration
}

// CopyReport lists what Copy did.
type CopyReport struct {
	Copied        []SnapshotInfo `json:"copied"`  // as stored in the target vault
	Skipped       int            `json:"skipped"` // already there
	UploadedBytes int64          `json:"uploadedBytes"`
}

// Copy copies snapshots from one vault into another, so a second place
// holds the history. The vaults have different keys, so data is read,
// decrypted and uploaded again; each copied snapshot takes the previous copy
// of the same source as parent, so unchanged files are not read twice and
// the target deduplicates as if the backups had been made there.
//
// A copy keeps the original's source, start and end time, description, tags
// and pins. A snapshot whose source and times are already in the target is
// skipped, so running Copy again adds nothing. Snapshots are copied oldest
// first, and each is saved as soon as it is complete: a canceled Copy
// keeps what it finished.
func Copy(ctx context.Context, from, to *Vault, opts CopyOptions) (CopyReport, error) {
	if from.ID() == to.ID() {
		return CopyReport{}, errors.New("copy: source and target are the same vault")
	}

	if err := to.writable(); err != nil {
		return CopyReport{}, err
	}

	filter := opts.Filter
	filter.IncludeIncomplete = false

	src, err := from.manifests(ctx, filter)
	if err != nil {
		return CopyReport{}, err
	}

	have, err := to.manifests(ctx, SnapshotFilter{})
	if err != nil {
		return CopyReport{}, err
	}

	type key struct {
		src        snapshot.SourceInfo
		start, end int64
	}

	present := map[key]bool{}
	for _, m := range have {
		present[key{m.Source, int64(m.StartTime), int64(m.EndTime)}] = true
	}

	prog := newProgress()
	stop := prog.report(opts.Progress, opts.ProgressInterval)

	defer stop()

	var report CopyReport

	for _, m := range src {
		if present[key{m.Source, int64(m.StartTime), int64(m.EndTime)}] {
			report.Skipped++
			continue
		}

		if err := ctx.Err(); err != nil {
			return report, fmt.Errorf("copy: %w: %w", ErrCanceled, err)
		}

		info, n, err := copyOne(ctx, from, to, m, opts.Uncompressed, prog)
		report.UploadedBytes += n

		if err != nil {
			return report, err
		}

		report.Copied = append(report.Copied, info)
	}

	return report, nil
}

func copyOne(ctx context.Context, from, to *Vault, m *snapshot.Manifest, uncompressed []string, prog *progress) (SnapshotInfo, int64, error) {
	var (
		uploaded atomic.Int64
		saved    *snapshot.Manifest
		stopped  bool
	)

	kctx := to.kctx(context.WithoutCancel(ctx))

	err := repo.WriteSession(kctx, to.rep, repo.WriteSessionOptions{
		Purpose: "chatvault copy",
		OnUpload: func(n int64) {
			uploaded.Add(n)
			prog.bytesSent.Add(n)
		},
	}, func(wctx context.Context, w repo.RepositoryWriter) error {
		reads := parallelReads(0)
		tree, err := uploadPolicyTree(wctx, w, m.Source, uncompressed, reads)
		if err != nil {
			return err
		}

		// Parents: the latest copy of this source not newer than m.
		prev, err := snapshot.FindPreviousManifests(wctx, w, m.Source, &m.StartTime)
		if err != nil {
			return fmt.Errorf("finding previous copy: %w", err)
		}

		root := snapshotfs.EntryFromDirEntry(from.rep, m.RootEntry)
		if _, ok := root.(fs.Directory); !ok {
			return fmt.Errorf("snapshot %s: root is not a directory", m.ID)
		}

		u := upload.NewUploader(w)
		u.Progress = prog
		u.FailFast = true
		u.DisableIgnoreRules = true
		u.EnableActions = false
		u.ParallelUploads = reads

		stopWatch := context.AfterFunc(ctx, u.Cancel)
		defer stopWatch()

		// Reads from the source vault log through its own logger.
		nm, err := u.Upload(from.kctx(wctx), root, tree, m.Source, prev...)
		if err != nil {
			return fmt.Errorf("copying snapshot %s: %w", m.ID, err)
		}

		if path, n, ferr := prog.failure(); ferr != nil {
			return fmt.Errorf("copying snapshot %s: %d error(s), first at %s: %w", m.ID, n, path, ferr)
		}

		if nm.IncompleteReason != "" {
			stopped = true
			return nil
		}

		nm.StartTime = m.StartTime
		nm.EndTime = m.EndTime
		nm.Description = m.Description
		nm.Tags = m.Tags
		nm.Pins = m.Pins
		nm.Stats = m.Stats // the original run's figures, not the copy's

		if _, err := snapshot.SaveSnapshot(wctx, w, nm); err != nil {
			return fmt.Errorf("saving copy of %s: %w", m.ID, err)
		}

		saved = nm

		return nil
	})
	if err != nil {
		return SnapshotInfo{}, uploaded.Load(), classifyKopiaError(err)
	}

	if stopped {
		return SnapshotInfo{}, uploaded.Load(), fmt.Errorf("copy: %w: %w", ErrCanceled, context.Cause(ctx))
	}

	return snapshotInfo(saved), uploaded.Load(), nil
}
