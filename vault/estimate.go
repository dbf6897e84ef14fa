package vault

import (
	"context"
	"errors"
	"fmt"

	"github.com/kopia/kopia/fs"
	"github.com/kopia/kopia/snapshot"
	"github.com/kopia/kopia/snapshot/snapshotfs"
)

// Estimate is what a backup of a tree would read and, at most, upload.
type Estimate struct {
	Files      int64 `json:"files"`
	TotalBytes int64 `json:"totalBytes"`

	// ChangedFiles and ChangedBytes: files that are new or whose size or
	// time differs from the previous snapshot. ChangedBytes bounds the
	// upload from above (before dedup and compression); files of unknown
	// size are counted in UnknownSizeFiles instead.
	ChangedFiles     int64 `json:"changedFiles"`
	ChangedBytes     int64 `json:"changedBytes"`
	UnknownSizeFiles int64 `json:"unknownSizeFiles"`
}

// EstimateUpload walks root (calling Entries once per directory, like a
// backup, and opening no file) and compares it with the previous snapshot
// of src, so a caller can check FreeSpace before a backup.
func (v *Vault) EstimateUpload(ctx context.Context, root Dir, src Source) (Estimate, error) {
	src = v.fillSource(src)
	ctx = v.kctx(ctx)

	if err := v.refresh(ctx); err != nil {
		return Estimate{}, err
	}

	prev, err := snapshot.FindPreviousManifests(ctx, v.rep, src.kopia(), nil)
	if err != nil {
		return Estimate{}, fmt.Errorf("finding previous snapshot: %w", err)
	}

	var prevDirs []fs.Directory

	for _, m := range prev {
		if m.RootEntry == nil {
			continue
		}

		if d, ok := snapshotfs.EntryFromDirEntry(v.rep, m.RootEntry).(fs.Directory); ok {
			prevDirs = append(prevDirs, d)
		}
	}

	var est Estimate

	err = estimateDir(ctx, root, prevDirs, &est)

	return est, err
}

func estimateDir(ctx context.Context, d Dir, prev []fs.Directory, est *Estimate) error {
	return d.Entries(ctx, func(e Entry) error {
		if err := ctx.Err(); err != nil {
			return err
		}

		var matches []fs.Entry

		for _, p := range prev {
			c, err := p.Child(ctx, e.Name())
			if err == nil {
				matches = append(matches, c)
			} else if !errors.Is(err, fs.ErrEntryNotFound) {
				return fmt.Errorf("reading previous snapshot: %w", err)
			}
		}

		switch e := e.(type) {
		case Dir:
			var sub []fs.Directory

			for _, m := range matches {
				if md, ok := m.(fs.Directory); ok {
					sub = append(sub, md)
				}
			}

			return estimateDir(ctx, e, sub, est)
		case File:
			est.Files++

			size := e.Size()
			if size < 0 {
				est.UnknownSizeFiles++
				return nil
			}

			est.TotalBytes += size

			for _, m := range matches {
				if !m.IsDir() && m.Size() == size && m.ModTime().Equal(e.ModTime()) {
					return nil
				}
			}

			est.ChangedFiles++
			est.ChangedBytes += size

			return nil
		default:
			return fmt.Errorf("entry %q is neither a vault.Dir nor a vault.File", e.Name())
		}
	})
}
