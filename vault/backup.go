package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/snapshot"
	"github.com/kopia/kopia/snapshot/upload"
)

// DefaultSourcePath labels backups of the archive when BackupOptions.Source
// leaves Path empty.
const DefaultSourcePath = "/chatvault"

// Source names what a snapshot is a backup of: a device (user@host) and a
// path label. Each device backs up as its own source, so several devices
// can share one vault; retention and parent snapshots are per source.
type Source struct {
	Host string `json:"host"`
	User string `json:"user"`
	Path string `json:"path"`
}

// String renders user@host:path like kopia does.
func (s Source) String() string { return s.User + "@" + s.Host + ":" + s.Path }

func (s Source) kopia() snapshot.SourceInfo {
	return snapshot.SourceInfo{Host: s.Host, UserName: s.User, Path: s.Path}
}

func sourceFromKopia(si snapshot.SourceInfo) Source {
	return Source{Host: si.Host, User: si.UserName, Path: si.Path}
}

// DefaultSource is this device's source: OpenOptions' host and user and
// DefaultSourcePath.
func (v *Vault) DefaultSource() Source {
	return Source{Host: v.opts.Hostname, User: v.opts.Username, Path: DefaultSourcePath}
}

func (v *Vault) fillSource(s Source) Source {
	d := v.DefaultSource()

	if s.Host == "" {
		s.Host = d.Host
	}

	if s.User == "" {
		s.User = d.User
	}

	if s.Path == "" {
		s.Path = d.Path
	}

	return s
}

// BackupOptions configure one backup.
type BackupOptions struct {
	// Source defaults field by field to DefaultSource.
	Source Source

	// Tags are stored with the snapshot (kopia shows them as tag:<key>).
	Tags map[string]string

	Description string

	// Uncompressed lists folders (slash paths relative to the root) whose
	// files are stored without trying compression: the dump's "media",
	// whose content-addressed names carry no extension to go by.
	Uncompressed []string

	// Progress, when set, is called every ProgressInterval (default 0.5 s)
	// from one goroutine, and once at the end with Done set.
	Progress         func(Progress)
	ProgressInterval time.Duration

	// Parallel is the uploader's parallelism (files read at once, one fewer in
	// a tree of folders); 0 means four, or one per CPU where there are more
	// (parallelReads).
	Parallel int
}

// SnapshotInfo describes a snapshot. The upload figures (UploadedBytes,
// ReadBytes, DedupRatio) are known only for the backup that just ran.
type SnapshotInfo struct {
	ID          string            `json:"id"`
	Source      Source            `json:"source"`
	Description string            `json:"description,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
	StartTime   time.Time         `json:"startTime"`
	EndTime     time.Time         `json:"endTime"`

	// Incomplete is empty for a finished snapshot, else kopia's reason
	// ("checkpoint" for a long backup's intermediate save).
	Incomplete string `json:"incomplete,omitempty"`

	TotalBytes int64 `json:"totalBytes"` // sum of file sizes in the snapshot
	Files      int64 `json:"files"`
	Dirs       int64 `json:"dirs"`

	// From the run that made the snapshot: files read, and files taken
	// unread from the previous snapshot because name, size and time matched.
	ReadFiles   int64 `json:"readFiles"`
	CachedFiles int64 `json:"cachedFiles"`

	// Only from Backup: bytes read from the tree, bytes written to the
	// destination (compressed, encrypted, with index and manifest), and
	// TotalBytes/UploadedBytes (0 when nothing was uploaded).
	ReadBytes     int64   `json:"readBytes,omitempty"`
	UploadedBytes int64   `json:"uploadedBytes,omitempty"`
	DedupRatio    float64 `json:"dedupRatio,omitempty"`

	// Only from Backup: the previous snapshot was damaged (HealedPieces of
	// its stored pieces missing or marked), so every file was read again and
	// whatever the tree still holds of them was stored afresh (heal.go).
	ParentDamaged bool `json:"parentDamaged,omitempty"`
	HealedPieces  int  `json:"healedPieces,omitempty"`
}

func snapshotInfo(m *snapshot.Manifest) SnapshotInfo {
	si := SnapshotInfo{
		ID:          string(m.ID),
		Source:      sourceFromKopia(m.Source),
		Description: m.Description,
		Tags:        userTags(m.Tags),
		StartTime:   m.StartTime.ToTime().UTC(),
		EndTime:     m.EndTime.ToTime().UTC(),
		Incomplete:  m.IncompleteReason,
		TotalBytes:  m.Stats.TotalFileSize,
		Files:       int64(m.Stats.TotalFileCount) + int64(m.Stats.CachedFiles),
		Dirs:        int64(m.Stats.TotalDirectoryCount),
		ReadFiles:   int64(m.Stats.NonCachedFiles),
		CachedFiles: int64(m.Stats.CachedFiles),
	}

	if ds := m.RootEntry; ds != nil && ds.DirSummary != nil {
		si.TotalBytes = ds.DirSummary.TotalFileSize
		si.Files = ds.DirSummary.TotalFileCount
		si.Dirs = ds.DirSummary.TotalDirCount
	}

	return si
}

// Kopia keeps tags among the manifest's labels, beside its own source
// labels; the "tag:" prefix (as kopia's CLI uses) keeps them apart.
const tagPrefix = "tag:"

func kopiaTags(t map[string]string) (map[string]string, error) {
	if len(t) == 0 {
		return nil, nil
	}

	out := make(map[string]string, len(t))

	for k, val := range t {
		if k == "" || strings.ContainsAny(k, ":") {
			return nil, fmt.Errorf("invalid tag name %q (empty or contains ':')", k)
		}

		out[tagPrefix+k] = val
	}

	return out, nil
}

func userTags(t map[string]string) map[string]string {
	var out map[string]string

	for k, val := range t {
		if name, ok := strings.CutPrefix(k, tagPrefix); ok {
			if out == nil {
				out = map[string]string{}
			}

			out[name] = val
		}
	}

	return out
}

// Backup uploads the tree under root as a new snapshot of opts.Source,
// with the source's previous snapshot as parent: files whose name, size and
// modification time are unchanged are not opened again.
//
// Canceling ctx stops the upload cleanly: no snapshot is written, what was
// uploaded is indexed (the next backup will not upload it again) and the
// vault stays valid; Backup then returns an error wrapping ErrCanceled. A
// file or directory that fails to read fails the whole backup (no partial
// snapshot is saved). A destination running out of space gives ErrNoSpace.
//
// The maintenance owner should call Maintenance(MaintenanceAuto) after
// backups, which compacts indexes and collects garbage when due.
func (v *Vault) Backup(ctx context.Context, root Dir, opts BackupOptions) (SnapshotInfo, error) {
	if err := v.writable(); err != nil {
		return SnapshotInfo{}, err
	}

	src := v.fillSource(opts.Source)

	tags, err := kopiaTags(opts.Tags)
	if err != nil {
		return SnapshotInfo{}, err
	}

	if free, ok := v.guard.FreeSpace(ctx); ok && free < v.opts.MinFreeSpace {
		return SnapshotInfo{}, fmt.Errorf("backup to %s: %d bytes free, %d kept in reserve: %w", v.dest, free, v.opts.MinFreeSpace, ErrNoSpace)
	}

	// Kopia runs on a context that is never canceled, so that after a
	// cancel it still finishes cleanly (stops reading, flushes what was
	// written); the caller's ctx only asks the uploader to stop.
	kctx := v.kctx(context.WithoutCancel(ctx))

	if err := v.rep.Refresh(kctx); err != nil {
		return SnapshotInfo{}, wrapf(ErrUnreachable, err, "backup to %s", v.dest)
	}

	prog := newProgress()
	stopReport := prog.report(opts.Progress, opts.ProgressInterval)

	var (
		uploaded      atomic.Int64
		man           *snapshot.Manifest
		stopped       bool
		parentDamaged bool
		healed        int
		checked       *checkedState // what the parent check found intact
	)

	v.guard.startTracking()

	err = repo.DirectWriteSession(kctx, v.rep, repo.WriteSessionOptions{
		Purpose: "chatvault backup",
		OnUpload: func(n int64) {
			uploaded.Add(n)
			prog.bytesSent.Add(n)
		},
	}, func(wctx context.Context, w repo.DirectRepositoryWriter) error {
		si := src.kopia()

		reads := parallelReads(opts.Parallel)
		tree, err := uploadPolicyTree(wctx, w, si, opts.Uncompressed, reads)
		if err != nil {
			return err
		}

		prev, err := snapshot.FindPreviousManifests(wctx, w, si, nil)
		if err != nil {
			return fmt.Errorf("finding previous snapshot: %w", err)
		}

		// Never build on damage: mark what the previous snapshot lost so it
		// is stored again, and read every file (heal.go).
		bad, damaged, st, err := v.parentDamage(wctx, prev, si)
		if err != nil {
			return fmt.Errorf("checking the previous snapshot: %w", err)
		}

		checked = st

		if healed, err = deleteContents(wctx, w, bad); err != nil {
			return err
		}

		parentDamaged = damaged

		u := upload.NewUploader(w)
		u.Progress = prog
		u.FailFast = true
		u.DisableIgnoreRules = true
		u.ParallelUploads = reads
		u.EnableActions = false

		if parentDamaged {
			u.ForceHashPercentage = 100
		}

		stopWatch := context.AfterFunc(ctx, u.Cancel)
		defer stopWatch()

		a := &treeAdapter{now: time.Now()}

		rootEntry, err := a.entry(root)
		if err != nil {
			return err
		}

		m, err := u.Upload(wctx, rootEntry, tree, si, prev...)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}

		if path, n, ferr := prog.failure(); ferr != nil {
			return fmt.Errorf("backup: %d error(s), first at %s: %w", n, path, ferr)
		}

		if m.IncompleteReason != "" {
			stopped = true
			return nil // flush: the data uploaded so far is kept for the next backup
		}

		m.Description = opts.Description
		m.Tags = tags

		if _, err := snapshot.SaveSnapshot(wctx, w, m); err != nil {
			return fmt.Errorf("saving snapshot: %w", err)
		}

		man = m

		return nil
	})

	stopReport()

	written := v.guard.stopTracking()

	if err != nil {
		return SnapshotInfo{}, classifyKopiaError(err)
	}

	if !stopped {
		v.recordChecked(kctx, src.kopia(), man, checked, written)
	}

	if stopped {
		cause := context.Cause(ctx)
		if cause == nil {
			cause = errors.New("upload stopped")
		}

		return SnapshotInfo{}, fmt.Errorf("backup to %s: %w: %w", v.dest, ErrCanceled, cause)
	}

	info := snapshotInfo(man)
	info.ParentDamaged, info.HealedPieces = parentDamaged, healed
	info.ReadBytes = prog.bytesRead.Load()
	info.UploadedBytes = uploaded.Load()

	if info.UploadedBytes > 0 {
		info.DedupRatio = float64(info.TotalBytes) / float64(info.UploadedBytes)
	}

	return info, nil
}

// FreeSpace returns the destination's free bytes when it can tell (local
// folders, most SFTP servers); object stores have no such notion.
func (v *Vault) FreeSpace(ctx context.Context) (int64, bool) {
	return v.guard.FreeSpace(v.kctx(ctx))
}

// ReservedSpace is how much of the destination's free space the vault never writes into
// (OpenOptions.MinFreeSpace).
func (v *Vault) ReservedSpace() int64 { return v.guard.minFree }
