package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/object"
	"github.com/kopia/kopia/snapshot"
	"github.com/kopia/kopia/snapshot/snapshotfs"
)

// What the previous backup already checked.
//
// Before building on its previous snapshot, a backup checks that every piece
// of it is still listed in the index, not marked damaged, and inside a pack
// of the right length (heal.go). Walking the whole snapshot for that cost
// most of a backup that had nothing to upload. But the pieces a snapshot
// needs, and where the index says they are, change only when the index
// changes: pieces are named by their content and never rewritten in place.
// So after each backup this machine records, per source, the snapshot, the
// index blobs it was checked against (plus the ones the backup wrote), and
// the packs its pieces live in with the length each must have. The next
// backup lists the destination (it did that anyway) and, when its parent is
// that snapshot and the index blobs are exactly the recorded ones, checks
// only that the recorded packs are there and long enough: the same finding as
// the walk, without reading a directory. Anything else (another device or a
// maintenance run wrote or compacted the index, damage was marked, a pack is
// missing or short, no record) falls back to the full walk, which also finds
// which pieces are bad.

// checkedState is the record of one source's last backup, in the vault's
// cache folder (0700; it names blobs, nothing secret).
type checkedState struct {
	Snapshot string            `json:"snapshot"`
	Index    map[blob.ID]int64 `json:"index"` // index blob → length
	Packs    map[blob.ID]int64 `json:"packs"` // pack → the length its pieces need
	// Dirs are the directories whose every piece, below them too, is in Packs.
	Dirs []object.ID `json:"dirs"`

	blobs map[blob.ID]blob.Metadata // the listing the check was made against
}

// isIndexBlob: kopia's index blobs (epoch-managed "x…", legacy "n…").
func isIndexBlob(id blob.ID) bool {
	return strings.HasPrefix(string(id), "x") || strings.HasPrefix(string(id), "n")
}

func indexBlobs(blobs map[blob.ID]blob.Metadata) map[blob.ID]int64 {
	out := map[blob.ID]int64{}

	for id, bm := range blobs {
		if isIndexBlob(id) {
			out[id] = bm.Length
		}
	}

	return out
}

func (v *Vault) checkedPath(si snapshot.SourceInfo) string {
	sum := sha256.Sum256([]byte(si.String()))
	return filepath.Join(v.cacheFolder(), "checked-"+hex.EncodeToString(sum[:8])+".json")
}

// loadChecked returns the source's record, or nil when there is none or it
// cannot be read (then the full check runs, as it always did).
func (v *Vault) loadChecked(si snapshot.SourceInfo) *checkedState {
	b, err := os.ReadFile(v.checkedPath(si))
	if err != nil {
		return nil
	}

	var st checkedState
	if json.Unmarshal(b, &st) != nil || st.Snapshot == "" || st.Index == nil || st.Packs == nil {
		return nil
	}

	return &st
}

// stillIntact reports whether st vouches for prev as it is now at the
// destination (blobs is the destination's current listing).
func (st *checkedState) stillIntact(prev []*snapshot.Manifest, blobs map[blob.ID]blob.Metadata) bool {
	if st == nil || len(prev) != 1 || string(prev[0].ID) != st.Snapshot {
		return false
	}

	idx := indexBlobs(blobs)
	if len(idx) != len(st.Index) {
		return false
	}

	for id, n := range st.Index {
		if got, ok := idx[id]; !ok || got != n {
			return false
		}
	}

	for id, need := range st.Packs {
		if bm, ok := blobs[id]; !ok || bm.Length < need {
			return false
		}
	}

	return true
}

// recordChecked keeps, after a backup's session has flushed, what the next
// backup needs to trust snapshot m: st (its parent's check) plus what this
// backup wrote. Only directories that are not in st.Dirs are read, so an
// unchanged archive reads the root alone. Anything not intact, or any
// failure, leaves no record: the next backup then walks.
func (v *Vault) recordChecked(ctx context.Context, si snapshot.SourceInfo, m *snapshot.Manifest, st *checkedState, written map[blob.ID]int64) {
	path := v.checkedPath(si)
	_ = os.Remove(path)

	if st == nil || m == nil || m.RootEntry == nil {
		return
	}

	blobs := make(map[blob.ID]blob.Metadata, len(st.blobs)+len(written))
	for id, bm := range st.blobs {
		blobs[id] = bm
	}

	for id, n := range written {
		blobs[id] = blob.Metadata{BlobID: id, Length: n}
		if isIndexBlob(id) {
			st.Index[id] = n
		}
	}

	vr := newVerifierWith(v.rep, blobs, false, 0)
	vr.packs = st.Packs

	for _, d := range st.Dirs {
		vr.dirs[d] = nil
	}

	if len(vr.checkEntry(ctx, snapshotfs.EntryFromDirEntry(v.rep, m.RootEntry), "")) > 0 || ctx.Err() != nil {
		return
	}

	st.Snapshot = string(m.ID)
	st.Dirs = vr.intactDirs()

	if err := os.MkdirAll(v.cacheFolder(), 0o700); err == nil {
		_ = writePrivateJSON(path, st)
	}
}

// tracking records the blobs written through the guard while a backup runs.
func (g *guardedStorage) startTracking() {
	g.wmu.Lock()
	g.written = map[blob.ID]int64{}
	g.wmu.Unlock()
}

func (g *guardedStorage) stopTracking() map[blob.ID]int64 {
	g.wmu.Lock()
	defer g.wmu.Unlock()

	w := g.written
	g.written = nil

	return w
}

func (g *guardedStorage) wrote(_ context.Context, id blob.ID, n int64) {
	g.wmu.Lock()
	if g.written != nil {
		g.written[id] = n
	}
	g.wmu.Unlock()
}
