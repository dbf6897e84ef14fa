package vault

import (
	"context"
	"testing"
	"time"
)

// TestCopy copies a vault's history into a second vault: the copies keep
// their sources, times and tags, read back identical, and copying again
// adds nothing.
func TestCopy(t *testing.T) {
	t.Parallel() // slow (subprocesses, servers, real I/O): overlaps the other slow ones
	ctx := context.Background()

	a := newLocalVault(t)
	va := a.open(t, Password(testPassword))

	spec1 := chatTree(2, 2, 3, 500<<10)
	s1, err := va.Backup(ctx, spec1.build(nil), BackupOptions{Tags: map[string]string{"reason": "daily"}, Description: "first"})
	if err != nil {
		t.Fatal(err)
	}

	spec2 := spec1.clone()
	spec2["media/ab/abcdef"] = fileSpec{size: 700 << 10, seed: 77, mtime: time.Unix(1700000000, 0)}

	phone := Source{Host: "phone", User: "anna", Path: "/chatvault"}
	if _, err := va.Backup(ctx, spec2.build(nil), BackupOptions{Source: phone}); err != nil {
		t.Fatal(err)
	}

	s3 := backup(t, va, spec2, nil)

	b := newLocalVault(t)
	vb := b.open(t, Password(testPassword))

	rep, err := Copy(ctx, va, vb, CopyOptions{Uncompressed: []string{"media"}})
	if err != nil {
		t.Fatal(err)
	}

	if len(rep.Copied) != 3 || rep.Skipped != 0 {
		t.Fatalf("copy: %+v", rep)
	}

	src, _ := va.Snapshots(ctx, SnapshotFilter{})
	dst, _ := vb.Snapshots(ctx, SnapshotFilter{})

	if len(dst) != len(src) {
		t.Fatalf("target has %d snapshots, source %d", len(dst), len(src))
	}

	for i := range src {
		s, d := src[i], dst[i]
		if s.Source != d.Source || !s.StartTime.Equal(d.StartTime) || !s.EndTime.Equal(d.EndTime) ||
			s.Description != d.Description || len(s.Tags) != len(d.Tags) || s.TotalBytes != d.TotalBytes {
			t.Errorf("copy %d differs:\n src %+v\n dst %+v", i, s, d)
		}
	}

	if dst[0].Tags["reason"] != "daily" || dst[0].Description != "first" {
		t.Errorf("tags or description lost: %+v", dst[0])
	}

	byStart := func(list []SnapshotInfo, at time.Time) string {
		for _, s := range list {
			if s.StartTime.Equal(at) {
				return s.ID
			}
		}

		t.Fatalf("no snapshot at %v", at)

		return ""
	}

	checkSnapshot(t, vb, byStart(dst, s1.StartTime), spec1)
	checkSnapshot(t, vb, byStart(dst, s3.StartTime), spec2)

	again, err := Copy(ctx, va, vb, CopyOptions{})
	if err != nil || len(again.Copied) != 0 || again.Skipped != 3 || again.UploadedBytes != 0 {
		t.Fatalf("second copy: %+v %v", again, err)
	}

	// A new snapshot in the source copies incrementally.
	s4 := backup(t, va, spec2, nil)

	inc, err := Copy(ctx, va, vb, CopyOptions{})
	if err != nil || len(inc.Copied) != 1 || inc.UploadedBytes > 64<<10 {
		t.Fatalf("incremental copy: %+v %v", inc, err)
	}

	checkSnapshot(t, vb, inc.Copied[0].ID, spec2)

	if !inc.Copied[0].StartTime.Equal(s4.StartTime) {
		t.Errorf("copied start time %v, want %v", inc.Copied[0].StartTime, s4.StartTime)
	}
}
