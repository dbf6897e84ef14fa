package vault

import (
	"context"
	"errors"
	"io"
	iofs "io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestBackupCancel cancels a backup midway: no snapshot is written, the
// vault verifies, and the next backup completes without re-uploading what
// the canceled one already stored.
func TestBackupCancel(t *testing.T) {
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))
	spec := chatTree(2, 2, 30, 1<<20)

	ctx, cancel := context.WithCancel(context.Background())

	var progressed atomic.Int64

	_, err := v.Backup(ctx, spec.build(nil), BackupOptions{
		Uncompressed:     []string{"media"},
		ProgressInterval: 10 * time.Millisecond,
		Progress: func(p Progress) {
			progressed.Add(1)

			if p.BytesRead > 8<<20 {
				cancel()
			}
		},
	})
	if !errors.Is(err, ErrCanceled) {
		t.Fatalf("canceled backup: %v", err)
	}

	if progressed.Load() == 0 {
		t.Fatalf("no progress reported")
	}

	list, err := v.Snapshots(context.Background(), SnapshotFilter{IncludeIncomplete: true})
	if err != nil || len(list) != 0 {
		t.Fatalf("snapshots after cancel: %+v %v", list, err)
	}

	if rep, err := v.Verify(context.Background(), VerifyOptions{ReadData: true}); err != nil || !rep.OK() {
		t.Fatalf("verify after cancel: %+v %v", rep, err)
	}

	s := backup(t, v, spec, nil)
	checkSnapshot(t, v, s.ID, spec)

	if s.UploadedBytes > s.TotalBytes-4<<20 {
		t.Errorf("backup after cancel uploaded %d of %d bytes; the canceled run's data was not kept", s.UploadedBytes, s.TotalBytes)
	}
}

// TestBackupFailsOnBadTree: a file that cannot be opened, a file shorter
// than its declared size, or a directory listing out of order fail the
// backup and save no snapshot.
func TestBackupFailsOnBadTree(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))

	cases := map[string]func(treeSpec){
		"open error": func(s treeSpec) {
			f := s["manifest.json"]
			f.openErr = errors.New("disk on fire")
			s["manifest.json"] = f
		},
		"wrong size": func(s treeSpec) {
			f := s["contacts/whatsapp.jsonl"]
			f.size = f.length() + 10
			f.data = append([]byte{}, f.data...)
			s["contacts/whatsapp.jsonl"] = fileSpec{data: f.data[:len(f.data)-1], mtime: f.mtime, size: 0}
		},
	}

	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			spec := chatTree(1, 1, 0, 0)
			mutate(spec)

			root := spec.build(nil)
			if name == "wrong size" {
				// Declare one byte more than the file has.
				lieAboutSize(root, "whatsapp.jsonl")
			}

			if _, err := v.Backup(ctx, root, BackupOptions{}); err == nil {
				t.Fatalf("backup succeeded")
			}
		})
	}

	t.Run("unsorted", func(t *testing.T) {
		root := chatTree(1, 1, 0, 0).build(nil).(*testDir)
		c := root.children
		c[0], c[len(c)-1] = c[len(c)-1], c[0]

		_, err := v.Backup(ctx, root, BackupOptions{})
		if err == nil || !strings.Contains(err.Error(), "out of order") {
			t.Fatalf("unsorted tree: %v", err)
		}
	})

	if list, _ := v.Snapshots(ctx, SnapshotFilter{IncludeIncomplete: true}); len(list) != 0 {
		t.Fatalf("failed backups left snapshots: %+v", list)
	}
}

type sizeLiar struct{ *testFile }

func (s sizeLiar) Size() int64 { return s.testFile.Size() + 1 }

func lieAboutSize(d Dir, name string) {
	td := d.(*testDir)
	for i, c := range td.children {
		switch c := c.(type) {
		case *testDir:
			lieAboutSize(c, name)
		case *testFile:
			if c.name == name {
				td.children[i] = sizeLiar{c}
			}
		}
	}
}

// TestUnknownSizeAndZeroTime covers files that report Size -1 (matched on
// time alone) and files without a time (always read again).
func TestUnknownSizeAndZeroTime(t *testing.T) {
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))

	spec := chatTree(1, 2, 0, 0)
	for p, f := range spec {
		if strings.HasSuffix(p, ".jsonl") {
			f.noSize = true
			spec[p] = f
		}
	}

	spec["manifest.json"] = fileSpec{data: spec["manifest.json"].data} // no mtime

	var o1, o2 opens

	s1 := backup(t, v, spec, &o1)
	checkSnapshot(t, v, s1.ID, spec)

	backup(t, v, spec, &o2)

	if got := o2.get(); len(got) != 1 || got["manifest.json"] != 1 {
		t.Fatalf("second backup opened %v, want only the file without a time", got)
	}
}

// TestSnapshotReader browses a snapshot without restoring it.
func TestSnapshotReader(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))

	spec := chatTree(2, 2, 2, 3<<20)
	s := backup(t, v, spec, nil)

	r, err := v.OpenSnapshot(ctx, "latest")
	if err != nil {
		t.Fatal(err)
	}

	if r.Info().ID != s.ID {
		t.Fatalf("latest is %s, want %s", r.Info().ID, s.ID)
	}

	top, err := r.ReadDir(ctx, "/")
	if err != nil {
		t.Fatal(err)
	}

	var names []string
	for _, e := range top {
		names = append(names, e.Name)
	}

	if got := strings.Join(names, " "); got != "contacts conversations manifest.json media" {
		t.Fatalf("root: %s", got)
	}

	st, err := r.Stat(ctx, "conversations/whatsapp/chat-001/2023/2023-02.jsonl")
	if err != nil || st.IsDir || st.Size != spec["conversations/whatsapp/chat-001/2023/2023-02.jsonl"].length() {
		t.Fatalf("stat: %+v %v", st, err)
	}

	if _, err := r.Stat(ctx, "conversations/nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing path: %v", err)
	}

	if _, err := r.Stat(ctx, "manifest.json/inside"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("path under a file: %v", err)
	}

	// Random access into a large media file.
	var media string
	for p, f := range spec {
		if strings.HasPrefix(p, "media/") && f.length() > 3<<20 {
			media = p
		}
	}

	f, size, err := r.Open(ctx, "../../"+media)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	want := spec[media].bytes()
	if size != int64(len(want)) {
		t.Fatalf("size %d, want %d", size, len(want))
	}

	for _, off := range []int64{0, 1 << 20, size - 100, 12345} {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}

		buf := make([]byte, 100)
		if _, err := io.ReadFull(f, buf); err != nil {
			t.Fatal(err)
		}

		if string(buf) != string(want[off:off+100]) {
			t.Fatalf("bytes at %d differ", off)
		}
	}

	// Walk in order, skipping one subtree.
	var walked []string

	err = r.Walk(ctx, "", func(e EntryInfo) error {
		walked = append(walked, e.Path)
		if e.Path == "media" {
			return iofs.SkipDir
		}

		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	for i := 1; i < len(walked); i++ {
		if walked[i-1] >= walked[i] && walked[i-1] != "" {
			t.Fatalf("walk out of order: %q before %q", walked[i-1], walked[i])
		}

		if strings.HasPrefix(walked[i], "media/") {
			t.Fatalf("walk entered a skipped directory: %s", walked[i])
		}
	}
}

// TestEstimateUpload compares a changed tree with the previous snapshot.
func TestEstimateUpload(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))

	spec := chatTree(2, 2, 2, 100<<10)

	est, err := v.EstimateUpload(ctx, spec.build(nil), Source{})
	if err != nil || est.Files != int64(len(spec)) || est.ChangedFiles != est.Files {
		t.Fatalf("estimate before any backup: %+v %v", est, err)
	}

	backup(t, v, spec, nil)

	changed := spec.clone()
	changed["media/zz/new"] = fileSpec{size: 5000, seed: 5, mtime: time.Unix(1700000000, 0)}

	var o opens

	est, err = v.EstimateUpload(ctx, changed.build(&o), Source{})
	if err != nil || est.ChangedFiles != 1 || est.ChangedBytes != 5000 || len(o.get()) != 0 {
		t.Fatalf("estimate: %+v %v (opened %v)", est, err, o.get())
	}
}

// TestNoSpaceReserve: a destination that would drop below the reserve
// refuses the backup with ErrNoSpace, before or during the upload, and the
// vault stays valid.
func TestNoSpaceReserve(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))

	free, ok := v.FreeSpace(ctx)
	if !ok || free <= 0 {
		t.Fatalf("free space of a local folder: %d %v", free, ok)
	}

	s0 := backup(t, v, chatTree(1, 1, 0, 0), nil)

	opts := tv.opts
	opts.MinFreeSpace = free + 1<<40

	short := tv.open(t, Password(testPassword))
	short.opts.MinFreeSpace = opts.MinFreeSpace
	short.guard.minFree = opts.MinFreeSpace

	if _, err := short.Backup(ctx, chatTree(1, 1, 1, 1<<20).build(nil), BackupOptions{}); !errors.Is(err, ErrNoSpace) {
		t.Fatalf("backup with too little space: %v", err)
	}

	// Free space that runs out midway: the reserve sits 20 MiB below what
	// is free now and the backup brings 60 MiB.
	free, _ = v.FreeSpace(ctx)
	short.guard.minFree = free - 20<<20
	short.opts.MinFreeSpace = 0

	_, err := short.Backup(ctx, chatTree(1, 1, 60, 1<<20).build(nil), BackupOptions{Uncompressed: []string{"media"}})
	if !errors.Is(err, ErrNoSpace) {
		t.Fatalf("backup running out of space: %v", err)
	}

	if rep, err := v.Verify(ctx, VerifyOptions{ReadData: true}); err != nil || !rep.OK() {
		t.Fatalf("verify: %+v %v", rep, err)
	}

	checkSnapshot(t, v, s0.ID, chatTree(1, 1, 0, 0))
	backup(t, v, chatTree(1, 1, 2, 1<<20), nil)
}

// TestDiskFull backs up into a real, small filesystem (a tmpfs mounted
// for the test; needs root) until it is full.
func TestDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}

	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}

	t.Cleanup(func() { _ = exec.Command("umount", mnt).Run() })

	ctx := context.Background()
	dir := filepath.Join(mnt, "vault")
	dest, _ := ParseDestination(dir, nil)
	opts := testOpenOptions(t)
	opts.MinFreeSpace = -1 // no reserve: let the disk really fill up

	if _, err := Init(ctx, dest, testPassword, InitOptions{OpenOptions: opts}); err != nil {
		t.Fatal(err)
	}

	v, err := Open(ctx, dest, Password(testPassword), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close(ctx)

	small := chatTree(1, 1, 1, 1<<20)

	s0, err := v.Backup(ctx, small.build(nil), BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}

	_, err = v.Backup(ctx, chatTree(1, 1, 40, 1<<20).build(nil), BackupOptions{Uncompressed: []string{"media"}})
	if !errors.Is(err, ErrNoSpace) {
		t.Fatalf("backup into a full disk: %v", err)
	}

	for _, f := range filesUnder(t, dir) {
		if strings.Contains(filepath.Base(f), ".tmp.") {
			t.Errorf("partial file left behind: %s", f)
		}
	}

	if rep, err := v.Verify(ctx, VerifyOptions{ReadData: true}); err != nil || !rep.OK() {
		t.Fatalf("verify after disk full: %+v %v", rep, err)
	}

	checkSnapshot(t, v, s0.ID, small)
}
