package archive

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The repairs a check can make safely. None removes a message or an attachment's record: they
// remove files nothing refers to, forget files that are gone, and rebuild derived data.

// RemoveOrphanMedia removes the media files nothing in the archive refers to. It holds the
// archive's write lock while it looks, so no import is between publishing a file and committing
// the messages that refer to it.
func (a *Archive) RemoveOrphanMedia(ctx context.Context) ([]OrphanFile, error) {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, mapBusy(err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only use: nothing to undo
	want := map[string]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT sha256 FROM media UNION SELECT sha256 FROM attachments WHERE sha256 IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			rows.Close()
			return nil, err
		}
		want[sha] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var removed []OrphanFile
	err = filepath.WalkDir(a.media.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			if d.Name() == ".tmp" {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if !d.Type().IsRegular() || !ValidSHA256(name) || filepath.Base(filepath.Dir(p)) != name[:2] || want[name] {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		removed = append(removed, OrphanFile{Path: p, Size: info.Size()})
		return nil
	})
	return removed, err
}

// ForgetMissingMedia drops the media table's rows for files that are no longer in media/, so the
// table lists only what is there and a restore from a backup stores the file again. The
// attachments keep their SHA-256: which message had which file is never lost.
func (a *Archive) ForgetMissingMedia(ctx context.Context) (int, error) {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, mapBusy(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	rows, err := tx.QueryContext(ctx, `SELECT sha256 FROM media`)
	if err != nil {
		return 0, err
	}
	var gone []string
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			rows.Close()
			return 0, err
		}
		if ValidSHA256(sha) && !a.media.exists(sha) {
			gone = append(gone, sha)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, sha := range gone {
		if _, err := tx.ExecContext(ctx, `DELETE FROM media WHERE sha256 = ?`, sha); err != nil {
			return 0, err
		}
	}
	return len(gone), mapBusy(tx.Commit())
}

// RebuildSearchIndex deletes the search index and builds it again from archive.db.
func (a *Archive) RebuildSearchIndex(ctx context.Context) error {
	path := a.index.path
	a.index.close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("search index: %w", err)
		}
	}
	idx, err := openSearchIndex(ctx, path)
	if err != nil {
		return err
	}
	a.index = idx
	return a.catchUpIndex(ctx)
}

// CatchUpSearchIndex indexes the messages the search index does not hold yet.
func (a *Archive) CatchUpSearchIndex(ctx context.Context) error { return a.catchUpIndex(ctx) }
