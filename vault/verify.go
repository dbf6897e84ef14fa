package vault

import (
	"context"
	"fmt"
	"path"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kopia/kopia/fs"
	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/content"
	"github.com/kopia/kopia/repo/object"
	"github.com/kopia/kopia/snapshot"
	"github.com/kopia/kopia/snapshot/snapshotfs"
)

// VerifyOptions select how deep Verify looks.
type VerifyOptions struct {
	// ReadData downloads and decrypts every file's content; without it,
	// Verify checks structure only: every directory of every snapshot is
	// read, and every piece of every file is in the index and inside a
	// pack that exists at the destination with the right length.
	ReadData bool

	// Snapshots limits the check to these IDs; empty means all finished
	// snapshots.
	Snapshots []string

	// Parallel is how many files are checked at once; 0 means 2 per CPU.
	Parallel int

	// Progress, when set, is called every ProgressInterval (default 0.5 s).
	Progress         func(VerifyProgress)
	ProgressInterval time.Duration
}

// VerifyProgress reports a running Verify.
type VerifyProgress struct {
	SnapshotsDone int   `json:"snapshotsDone"`
	Snapshots     int   `json:"snapshots"`
	FilesChecked  int64 `json:"filesChecked"`
	BytesRead     int64 `json:"bytesRead"`
	Damaged       int64 `json:"damaged"`
}

// VerifyReport lists, per snapshot, the paths that cannot be restored.
type VerifyReport struct {
	Snapshots    []SnapshotCheck `json:"snapshots"`
	FilesChecked int64           `json:"filesChecked"` // distinct file contents checked
	BytesRead    int64           `json:"bytesRead"`    // with ReadData
	ReadData     bool            `json:"readData"`

	// DamagedPieces counts the stored pieces (kopia contents) found missing
	// or unreadable; MarkDamaged makes the next backup store them again.
	DamagedPieces int `json:"damagedPieces"`

	bad []content.ID
}

// OK reports whether no snapshot has damage.
func (r VerifyReport) OK() bool {
	for _, s := range r.Snapshots {
		if len(s.Damaged) > 0 {
			return false
		}
	}

	return true
}

// SnapshotCheck is the result for one snapshot.
type SnapshotCheck struct {
	Snapshot SnapshotInfo   `json:"snapshot"`
	Damaged  []DamagedEntry `json:"damaged,omitempty"`
}

// DamagedEntry is a file that cannot be read back, or a directory that
// cannot be listed (so nothing below it can be restored).
type DamagedEntry struct {
	Path  string `json:"path"`
	IsDir bool   `json:"isDir"`
	Error string `json:"error"`
}

// Verify checks snapshots and reports per snapshot which paths are damaged,
// so the caller can name the conversations they belong to. Damage is a
// finding, not an error: the error return is for failing to run at all.
//
// Verify reads the destination through a connection without local caches,
// so it checks what is really stored there, not a local copy.
func (v *Vault) Verify(ctx context.Context, opts VerifyOptions) (VerifyReport, error) {
	ctx = v.kctx(ctx)

	if err := v.refresh(ctx); err != nil {
		return VerifyReport{}, err
	}

	rep, err := v.connect(ctx, "verify.config", content.CachingOptions{}, true)
	if err != nil {
		return VerifyReport{}, err
	}
	defer rep.Close(ctx) //nolint:errcheck

	mans, err := v.selectForVerify(ctx, rep, opts.Snapshots)
	if err != nil {
		return VerifyReport{}, err
	}

	vr, err := v.newVerifier(ctx, rep, opts.ReadData, opts.Parallel)
	if err != nil {
		return VerifyReport{}, err
	}

	vr.total = len(mans)

	stop := reportEvery(opts.Progress, opts.ProgressInterval, vr.progress)
	defer stop()

	report := VerifyReport{ReadData: opts.ReadData}

	for _, m := range mans {
		if err := ctx.Err(); err != nil {
			return report, fmt.Errorf("verify: %w: %w", ErrCanceled, err)
		}

		sc := SnapshotCheck{Snapshot: snapshotInfo(m)}

		if m.RootEntry == nil {
			sc.Damaged = []DamagedEntry{{IsDir: true, Error: "snapshot has no root"}}
		} else {
			sc.Damaged = vr.checkEntry(ctx, snapshotfs.EntryFromDirEntry(rep, m.RootEntry), "")
		}

		vr.done.Add(1)
		report.Snapshots = append(report.Snapshots, sc)
	}

	if err := ctx.Err(); err != nil {
		return report, fmt.Errorf("verify: %w: %w", ErrCanceled, err)
	}

	report.FilesChecked = vr.checked.Load()
	report.BytesRead = vr.bytesRead.Load()
	report.bad = vr.badContents()
	report.DamagedPieces = len(report.bad)

	return report, nil
}

func (v *Vault) newVerifier(ctx context.Context, rep repo.DirectRepository, readData bool, par int) (*verifier, error) {
	blobs, err := v.listBlobs(ctx, rep)
	if err != nil {
		return nil, err
	}

	return newVerifierWith(rep, blobs, readData, par), nil
}

func (v *Vault) listBlobs(ctx context.Context, rep repo.DirectRepository) (map[blob.ID]blob.Metadata, error) {
	blobs, err := blob.ReadBlobMap(ctx, rep.BlobReader())
	if err != nil {
		return nil, wrapf(ErrUnreachable, err, "listing %s", v.dest)
	}

	return blobs, nil
}

func newVerifierWith(rep repo.DirectRepository, blobs map[blob.ID]blob.Metadata, readData bool, par int) *verifier {
	if par <= 0 {
		par = 2 * runtime.NumCPU()
	}

	return &verifier{
		rep:      rep,
		blobs:    blobs,
		readData: readData,
		sem:      make(chan struct{}, par),
		files:    map[object.ID]string{},
		dirs:     map[object.ID][]DamagedEntry{},
		bad:      map[content.ID]bool{},
	}
}

func (v *Vault) selectForVerify(ctx context.Context, rep repo.Repository, ids []string) ([]*snapshot.Manifest, error) {
	if len(ids) == 0 {
		return loadManifests(ctx, rep, SnapshotFilter{})
	}

	out := make([]*snapshot.Manifest, 0, len(ids))

	for _, id := range ids {
		m, err := v.findSnapshot(ctx, rep, id)
		if err != nil {
			return nil, err
		}

		out = append(out, m)
	}

	return out, nil
}

// verifier checks each distinct object once, however many snapshots share
// it, and remembers the result per directory so an unchanged subtree of
// the next snapshot costs a map lookup.
type verifier struct {
	rep      repo.DirectRepository
	blobs    map[blob.ID]blob.Metadata
	readData bool
	sem      chan struct{}

	mu    sync.Mutex
	files map[object.ID]string         // "" when intact, else the error
	dirs  map[object.ID][]DamagedEntry // damage below a directory, paths relative to it
	bad   map[content.ID]bool          // contents found missing or unreadable
	packs map[blob.ID]int64            // when non-nil: intact contents' packs and the length they need

	total                       int
	done                        atomic.Int64
	checked, bytesRead, damaged atomic.Int64
}

func (vr *verifier) progress() VerifyProgress {
	return VerifyProgress{
		SnapshotsDone: int(vr.done.Load()),
		Snapshots:     vr.total,
		FilesChecked:  vr.checked.Load(),
		BytesRead:     vr.bytesRead.Load(),
		Damaged:       vr.damaged.Load(),
	}
}

func oidOf(e fs.Entry) (object.ID, bool) {
	h, ok := e.(object.HasObjectID)
	if !ok {
		return object.EmptyID, false
	}

	return h.ObjectID(), true
}

// checkEntry returns the damaged paths at or below e (p is e's path).
func (vr *verifier) checkEntry(ctx context.Context, e fs.Entry, p string) []DamagedEntry {
	dir, ok := e.(fs.Directory)
	if !ok {
		if msg := vr.checkFile(ctx, e); msg != "" {
			return []DamagedEntry{{Path: p, Error: msg}}
		}

		return nil
	}

	oid, _ := oidOf(e)

	vr.mu.Lock()
	rel, seen := vr.dirs[oid]
	vr.mu.Unlock()

	if !seen {
		rel = vr.checkDir(ctx, dir)

		if ctx.Err() == nil { // a canceled walk is not a result
			vr.mu.Lock()
			vr.dirs[oid] = rel
			vr.mu.Unlock()
		}
	}

	out := make([]DamagedEntry, len(rel))
	for i, d := range rel {
		out[i] = d
		out[i].Path = path.Join(p, d.Path)
	}

	return out
}

// checkDir returns damage below dir with paths relative to it. Files are
// checked in parallel (bounded by sem); subdirectories in turn.
func (vr *verifier) checkDir(ctx context.Context, dir fs.Directory) []DamagedEntry {
	entries, err := fs.GetAllEntries(ctx, dir)
	if err != nil {
		vr.damaged.Add(1)

		if oid, ok := oidOf(dir); ok {
			vr.findBadContents(ctx, oid)
		}

		return []DamagedEntry{{IsDir: true, Error: err.Error()}}
	}

	fs.Sort(entries)

	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		damaged []DamagedEntry
	)

	add := func(d ...DamagedEntry) {
		mu.Lock()
		damaged = append(damaged, d...)
		mu.Unlock()
	}

	for _, c := range entries {
		if ctx.Err() != nil {
			break
		}

		if c.IsDir() {
			add(vr.checkEntry(ctx, c, c.Name())...)
			continue
		}

		vr.sem <- struct{}{}

		wg.Add(1)

		go func() {
			defer func() { <-vr.sem; wg.Done() }()

			add(vr.checkEntry(ctx, c, c.Name())...)
		}()
	}

	wg.Wait()

	return damaged
}

// checkFile returns "" when the file's object is intact, else why not.
func (vr *verifier) checkFile(ctx context.Context, e fs.Entry) string {
	oid, ok := oidOf(e)
	if !ok {
		return fmt.Sprintf("unsupported entry type %T", e)
	}

	vr.mu.Lock()
	msg, seen := vr.files[oid]
	vr.mu.Unlock()

	if seen {
		return msg
	}

	if err := vr.checkObject(ctx, oid); err != nil {
		if ctx.Err() != nil {
			return "" // canceled, not damaged
		}

		msg = err.Error()
		vr.damaged.Add(1)
	}

	vr.checked.Add(1)

	vr.mu.Lock()
	vr.files[oid] = msg
	vr.mu.Unlock()

	return msg
}

// checkObject checks every content of an object: it is in the index and
// not marked damaged, its pack exists and is long enough, and with readData
// it decrypts (kopia authenticates each content, so a flipped byte fails).
// Bad contents are remembered for MarkDamaged.
func (vr *verifier) checkObject(ctx context.Context, oid object.ID) error {
	cids, err := vr.rep.VerifyObject(ctx, oid)
	if err != nil {
		vr.findBadContents(ctx, oid)
		return fmt.Errorf("object %v: %w", oid, err)
	}

	var first error

	for _, cid := range cids {
		if err := vr.checkContent(ctx, cid); err != nil && first == nil {
			first = err
		}
	}

	return first
}

func (vr *verifier) checkContent(ctx context.Context, cid content.ID) error {
	err := vr.contentError(ctx, cid)
	if err != nil && ctx.Err() == nil {
		vr.mu.Lock()
		vr.bad[cid] = true
		vr.mu.Unlock()
	}

	return err
}

func (vr *verifier) contentError(ctx context.Context, cid content.ID) error {
	ci, err := vr.rep.ContentInfo(ctx, cid)
	if err != nil {
		return fmt.Errorf("content %v: %w", cid, err)
	}

	if ci.Deleted {
		return fmt.Errorf("content %v: marked damaged (deleted) in the index", cid)
	}

	bm, ok := vr.blobs[ci.PackBlobID]
	if !ok {
		return fmt.Errorf("content %v: pack %v is missing", cid, ci.PackBlobID)
	}

	end := int64(ci.PackOffset) + int64(ci.PackedLength)
	if end > bm.Length {
		return fmt.Errorf("content %v: pack %v is truncated (%d bytes, content ends at %d)", cid, ci.PackBlobID, bm.Length, end)
	}

	if vr.packs != nil {
		vr.mu.Lock()
		vr.packs[ci.PackBlobID] = max(vr.packs[ci.PackBlobID], end)
		vr.mu.Unlock()
	}

	if !vr.readData {
		return nil
	}

	data, err := vr.rep.ContentReader().GetContent(ctx, cid)
	vr.bytesRead.Add(int64(len(data)))

	if err != nil {
		return fmt.Errorf("reading content %v: %w", cid, err)
	}

	return nil
}

// findBadContents is for an object whose chunk list cannot be read (a large
// file's list, or a directory): it checks the content that holds the list.
func (vr *verifier) findBadContents(ctx context.Context, oid object.ID) {
	for {
		if cid, _, ok := oid.ContentID(); ok {
			_ = vr.checkContent(ctx, cid)
			return
		}

		next, ok := oid.IndexObjectID()
		if !ok {
			return
		}

		oid = next
	}
}

// intactDirs lists the directories checked (or known) to have no damage.
func (vr *verifier) intactDirs() []object.ID {
	vr.mu.Lock()
	defer vr.mu.Unlock()

	out := make([]object.ID, 0, len(vr.dirs))
	for oid, rel := range vr.dirs {
		if len(rel) == 0 {
			out = append(out, oid)
		}
	}

	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })

	return out
}

func (vr *verifier) badContents() []content.ID {
	vr.mu.Lock()
	defer vr.mu.Unlock()

	out := make([]content.ID, 0, len(vr.bad))
	for cid := range vr.bad {
		out = append(out, cid)
	}

	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })

	return out
}
