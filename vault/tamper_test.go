package vault

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/kopia/kopia/repo/blob"
)

// packsOf returns the local files and byte ranges of the data packs that
// hold the content of the file at p in snapshot id. (A large file's list of
// chunks is metadata, kept in a "q" pack with directories; only the "p"
// packs with the data itself are returned.)
func packsOf(t *testing.T, v *Vault, id, p string) map[string][][2]int64 {
	t.Helper()

	ctx := context.Background()

	r, err := v.OpenSnapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}

	e, _, err := r.lookup(ctx, p)
	if err != nil {
		t.Fatal(err)
	}

	oid, _ := oidOf(e)

	cids, err := v.rep.VerifyObject(ctx, oid)
	if err != nil {
		t.Fatal(err)
	}

	sh := v.raw.(interface {
		GetShardedPathAndFilePath(ctx context.Context, id blob.ID) (string, string, error)
	})

	out := map[string][][2]int64{}

	for _, cid := range cids {
		ci, err := v.rep.ContentInfo(ctx, cid)
		if err != nil {
			t.Fatal(err)
		}

		if !strings.HasPrefix(string(ci.PackBlobID), "p") {
			continue
		}

		_, file, err := sh.GetShardedPathAndFilePath(ctx, ci.PackBlobID)
		if err != nil {
			t.Fatal(err)
		}

		out[file] = append(out[file], [2]int64{int64(ci.PackOffset), int64(ci.PackedLength)})
	}

	return out
}

// TestTamperedPacks damages the packs holding one file of one snapshot and
// checks that Verify names that snapshot and path, and that the other
// snapshots still restore byte for byte.
func TestTamperedPacks(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))

	base := chatTree(3, 4, 3, 200<<10)
	s1 := backup(t, v, base, nil)

	flipped := "media/f1/" + strings.Repeat("f1", 32)
	withX := base.clone()
	withX[flipped] = fileSpec{size: 3 << 20, seed: 991, mtime: base["manifest.json"].mtime}
	s2 := backup(t, v, withX, nil)

	truncated := "media/e2/" + strings.Repeat("e2", 32)
	withY := withX.clone()
	withY[truncated] = fileSpec{size: 2 << 20, seed: 992, mtime: base["manifest.json"].mtime}
	s3 := backup(t, v, withY, nil)

	xPacks := packsOf(t, v, s2.ID, flipped)
	yPacks := packsOf(t, v, s3.ID, truncated)

	if len(xPacks) == 0 || len(yPacks) == 0 {
		t.Fatalf("no data packs found: %v %v", xPacks, yPacks)
	}

	for f := range xPacks {
		if _, shared := yPacks[f]; shared {
			t.Fatalf("X and Y share pack %s; the test needs them apart", f)
		}
	}

	// Flip a byte in the middle of every chunk of X.
	for f, ranges := range xPacks {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}

		for _, r := range ranges {
			data[r[0]+r[1]/2] ^= 0x55
		}

		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	// Cut Y's packs in half.
	for f := range yPacks {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}

		if err := os.Truncate(f, st.Size()/2); err != nil {
			t.Fatal(err)
		}
	}

	damagedPaths := func(rep VerifyReport, id string) []string {
		for _, s := range rep.Snapshots {
			if s.Snapshot.ID == id {
				var out []string
				for _, d := range s.Damaged {
					out = append(out, d.Path)
				}

				return out
			}
		}

		t.Fatalf("snapshot %s missing from the report", id)

		return nil
	}

	// Structure only: the truncation shows, the flipped bytes cannot.
	quick, err := v.Verify(ctx, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}

	if got := damagedPaths(quick, s1.ID); len(got) != 0 {
		t.Errorf("structure check: s1 damaged at %v", got)
	}

	if got := damagedPaths(quick, s2.ID); len(got) != 0 {
		t.Errorf("structure check: s2 damaged at %v, flipped bytes need ReadData", got)
	}

	if got := damagedPaths(quick, s3.ID); len(got) != 1 || got[0] != truncated {
		t.Errorf("structure check: s3 damaged at %v, want [%s]", got, truncated)
	}

	full, err := v.Verify(ctx, VerifyOptions{ReadData: true})
	if err != nil {
		t.Fatal(err)
	}

	if full.OK() || full.BytesRead == 0 {
		t.Fatalf("full verify found nothing: %+v", full)
	}

	if got := damagedPaths(full, s1.ID); len(got) != 0 {
		t.Errorf("full check: s1 damaged at %v", got)
	}

	if got := damagedPaths(full, s2.ID); len(got) != 1 || got[0] != flipped {
		t.Errorf("full check: s2 damaged at %v, want [%s]", got, flipped)
	}

	if got := damagedPaths(full, s3.ID); len(got) != 2 {
		t.Errorf("full check: s3 damaged at %v, want both %s and %s", got, flipped, truncated)
	}

	// The undamaged snapshot restores completely.
	checkSnapshot(t, v, s1.ID, base)

	// Only the damaged file is unreadable in s2.
	r, _ := v.OpenSnapshot(ctx, s2.ID)
	if f, _, err := r.Open(ctx, flipped); err == nil {
		_, err = sameContentErr(f, withX[flipped])
		f.Close()

		if err == nil {
			t.Errorf("reading the flipped file succeeded")
		}
	}

	if f, _, err := r.Open(ctx, "manifest.json"); err != nil {
		t.Errorf("an intact file of s2: %v", err)
	} else {
		f.Close()
	}
}

func sameContentErr(f interface{ Read([]byte) (int, error) }, spec fileSpec) (bool, error) {
	err := sameContent(f, spec.reader())
	return err == nil, err
}
