package vault

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/snapshot"
)

// piecesOf returns the packs holding a file of a snapshot, with the length
// each must reach.
func piecesOf(t *testing.T, v *Vault, id, p string) map[blob.ID]int64 {
	t.Helper()

	ctx := context.Background()

	r, err := v.OpenSnapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	e, _, err := r.lookup(ctx, p)
	if err != nil {
		t.Fatal(err)
	}

	oid, _ := oidOf(e)

	cids, err := v.rep.VerifyObject(ctx, oid)
	if err != nil {
		t.Fatal(err)
	}

	out := map[blob.ID]int64{}

	for _, cid := range cids {
		ci, err := v.rep.ContentInfo(ctx, cid)
		if err != nil {
			t.Fatal(err)
		}

		out[ci.PackBlobID] = max(out[ci.PackBlobID], int64(ci.PackOffset)+int64(ci.PackedLength))
	}

	return out
}

// TestCheckedRecord: after each backup the record of what was checked
// covers every piece of the new snapshot (files changed, added and
// unchanged), the next backup trusts it instead of walking, and a pack lost
// after a backup that trusted it is still found and healed.
func TestCheckedRecord(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))
	si := v.DefaultSource().kopia()

	spec := chatTree(2, 2, 3, 300<<10)
	s1 := backup(t, v, spec, nil)

	if st := v.loadChecked(si); st == nil || st.Snapshot != s1.ID {
		t.Fatalf("record after the first backup: %+v", st)
	}

	var unchanged []string
	for p := range spec {
		if strings.HasPrefix(p, "media/") {
			unchanged = append(unchanged, p)
		}
	}

	sort.Strings(unchanged)

	// A month changes, a media file is added (and one copies another's bytes,
	// which dedup stores nowhere new).
	spec2 := spec.clone()
	month := "conversations/whatsapp/chat-001/2023/2023-02.jsonl"
	spec2[month] = fileSpec{data: append(append([]byte{}, spec[month].data...), []byte(`{"id":"new","text":"one more"}`+"\n")...), mtime: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	spec2["media/ff/ff00"] = fileSpec{size: 200 << 10, seed: 99, mtime: spec[month].mtime}
	spec2["media/fe/fe00"] = spec[unchanged[1]]

	prev, err := snapshot.FindPreviousManifests(ctx, v.rep, si, nil)
	if err != nil {
		t.Fatal(err)
	}

	blobs, err := v.listBlobs(ctx, v.rep)
	if err != nil {
		t.Fatal(err)
	}

	if !v.loadChecked(si).stillIntact(prev, blobs) {
		t.Fatal("the record of the last backup is not trusted for its own snapshot")
	}

	s2 := backup(t, v, spec2, nil)
	if s2.ParentDamaged {
		t.Fatalf("second backup: %+v", s2)
	}

	st := v.loadChecked(si)
	if st == nil || st.Snapshot != s2.ID || len(st.Dirs) == 0 {
		t.Fatalf("record after the second backup: %+v", st)
	}

	for p := range spec2 {
		for pack, end := range piecesOf(t, v, s2.ID, p) {
			if st.Packs[pack] < end {
				t.Errorf("%s: pack %s (to %d) is not in the record (%d)", p, pack, end, st.Packs[pack])
			}
		}
	}

	// Lose the packs of a file the second backup took unchanged from the first.
	victim := unchanged[0]
	for f := range packsOf(t, v, s2.ID, victim) {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}

	s3 := backup(t, v, spec2, nil)
	if !s3.ParentDamaged || s3.HealedPieces == 0 {
		t.Fatalf("backup after losing %s did not notice: %+v", victim, s3)
	}

	checkSnapshot(t, v, s3.ID, spec2)

	// (The first snapshot's old month shared the lost pack and is gone for good.)
	rep, err := v.Verify(ctx, VerifyOptions{ReadData: true, Snapshots: []string{s3.ID}})
	if err != nil || len(damagedIn(rep)) != 0 {
		t.Fatalf("the healing backup's snapshot: %v %v", damagedIn(rep), err)
	}

	// The healing backup leaves no record; the one after it walks and keeps one.
	if st := v.loadChecked(si); st != nil {
		t.Fatalf("record after a healing backup: %+v", st)
	}

	s4 := backup(t, v, spec2, nil)
	if st := v.loadChecked(si); s4.ParentDamaged || st == nil || st.Snapshot != s4.ID {
		t.Fatalf("record after the backup that follows healing: %+v, %+v", s4, st)
	}
}
