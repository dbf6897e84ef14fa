package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLocalLifecycle walks a filesystem vault through its life: init, open
// with password and recovery key, backups that read back byte-identical,
// incremental backups that neither re-read nor re-upload unchanged files,
// and a password change.
func TestLocalLifecycle(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)

	if !strings.Contains(tv.recovery, " ") || len(strings.ReplaceAll(tv.recovery, " ", "")) != 64 {
		t.Fatalf("recovery key %q is not 16 groups of 4 digits", tv.recovery)
	}

	v := tv.open(t, Password(testPassword))

	// Opening with the recovery key works too.
	tv.open(t, RecoveryKey(tv.recovery)).Close(ctx)

	t.Run("wrong secrets", func(t *testing.T) {
		_, err := Open(ctx, tv.dest, Password("not the password"), tv.opts)
		if !errors.Is(err, ErrWrongPassword) {
			t.Errorf("wrong password: got %v, want ErrWrongPassword", err)
		}

		_, err = Open(ctx, tv.dest, RecoveryKey("1234 5678"), tv.opts)
		if !errors.Is(err, ErrInvalidRecoveryKey) {
			t.Errorf("short recovery key: got %v, want ErrInvalidRecoveryKey", err)
		}

		typo := []byte(strings.ReplaceAll(tv.recovery, " ", ""))
		typo[10] = '0' + (typo[10]-'0'+1)%10
		_, err = Open(ctx, tv.dest, RecoveryKey(string(typo)), tv.opts)
		if !errors.Is(err, ErrInvalidRecoveryKey) {
			t.Errorf("recovery key with a typo: got %v, want ErrInvalidRecoveryKey", err)
		}

		other, _ := newRecoveryKey() // valid checksum, wrong key
		_, err = Open(ctx, tv.dest, RecoveryKey(other), tv.opts)
		if !errors.Is(err, ErrWrongPassword) {
			t.Errorf("someone else's recovery key: got %v, want ErrWrongPassword", err)
		}
	})

	spec := chatTree(4, 6, 6, 300<<10)
	busy := "conversations/whatsapp/chat-busy/2023/2023-05.jsonl"
	spec[busy] = fileSpec{data: bigMonth(40000, 1), mtime: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)}

	var o1 opens

	root := spec.build(&o1)

	s1, err := v.Backup(ctx, root, BackupOptions{Uncompressed: []string{"media"}})
	if err != nil {
		t.Fatal(err)
	}

	assertListedOnce(t, root.(*testDir))
	if s1.Files != int64(len(spec)) || s1.TotalBytes == 0 || s1.UploadedBytes == 0 {
		t.Fatalf("first backup: %+v", s1)
	}

	if n := len(o1.get()); n != len(spec) {
		t.Fatalf("first backup opened %d files, want %d", n, len(spec))
	}

	checkSnapshot(t, v, s1.ID, spec)

	// Unchanged tree: nothing opened, almost nothing uploaded (a manifest,
	// directory objects, an index).
	var o2 opens

	s2 := backup(t, v, spec, &o2)
	if got := o2.get(); len(got) != 0 {
		t.Fatalf("second backup of an unchanged tree opened %v", got)
	}

	if s2.CachedFiles != int64(len(spec)) || s2.UploadedBytes > 64<<10 {
		t.Fatalf("second backup: cached %d of %d files, uploaded %d bytes", s2.CachedFiles, len(spec), s2.UploadedBytes)
	}

	t.Logf("unchanged backup uploaded %d bytes", s2.UploadedBytes)

	// Append one line to a busy month (several MiB): only that file is read,
	// and the upload is about its last chunk, not the whole month.
	month := busy
	grown := spec.clone()
	f := grown[month]
	f.data = append(append([]byte{}, f.data...), []byte(`{"id":"new","text":"one more line"}`+"\n")...)
	f.mtime = f.mtime.Add(time.Minute)
	grown[month] = f

	var o3 opens

	s3 := backup(t, v, grown, &o3)
	if got := o3.get(); len(got) != 1 || got[month] != 1 {
		t.Fatalf("append backup opened %v, want only %s", got, month)
	}

	if s3.UploadedBytes >= 1<<20 {
		t.Fatalf("append backup uploaded %d bytes, want < 1 MiB", s3.UploadedBytes)
	}

	t.Logf("append to a %d-byte month uploaded %d bytes", len(f.data), s3.UploadedBytes)

	checkSnapshot(t, v, s3.ID, grown)
	checkSnapshot(t, v, s1.ID, spec) // the old version is still there

	list, err := v.Snapshots(ctx, SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}

	if len(list) != 3 || list[0].ID != s1.ID || list[2].ID != s3.ID {
		t.Fatalf("snapshots: %+v", list)
	}

	if latest, err := v.Snapshot(ctx, "latest"); err != nil || latest.ID != s3.ID {
		t.Fatalf("latest: %v %v", latest.ID, err)
	}

	if short, err := v.Snapshot(ctx, s1.ID[:8]); err != nil || short.ID != s1.ID {
		t.Fatalf("snapshot by prefix: %v %v", short.ID, err)
	}

	if _, err := v.Snapshot(ctx, "nosuchsnapshot"); !errors.Is(err, ErrSnapshotNotFound) {
		t.Fatalf("unknown snapshot: %v", err)
	}

	t.Run("change password", func(t *testing.T) {
		if err := v.ChangePassword(ctx, "new password"); err != nil {
			t.Fatal(err)
		}

		if _, err := Open(ctx, tv.dest, Password(testPassword), tv.opts); !errors.Is(err, ErrWrongPassword) {
			t.Fatalf("old password after change: %v", err)
		}

		nv := tv.open(t, Password("new password"))
		checkSnapshot(t, nv, s3.ID, grown)
		nv.Close(ctx)

		rv := tv.open(t, RecoveryKey(tv.recovery))
		checkSnapshot(t, rv, s1.ID, spec)

		if err := ResetPasswordWithRecoveryKey(ctx, tv.dest, tv.recovery, "third password", tv.opts); err != nil {
			t.Fatal(err)
		}

		tv.open(t, Password("third password"))
	})
}

// assertListedOnce checks that a backup called Entries exactly once on
// every directory (the Dir contract the dump relies on).
func assertListedOnce(t *testing.T, d *testDir) {
	t.Helper()

	if n := d.listed.Load(); n != 1 {
		t.Errorf("directory %s listed %d times", d.name, n)
	}

	for _, c := range d.children {
		if cd, ok := c.(*testDir); ok {
			assertListedOnce(t, cd)
		}
	}
}

func TestInitRefuses(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)

	if _, err := Init(ctx, tv.dest, testPassword, InitOptions{OpenOptions: tv.opts}); !errors.Is(err, ErrAlreadyInitialized) {
		t.Errorf("init twice: %v", err)
	}

	busy := t.TempDir()
	if err := os.WriteFile(filepath.Join(busy, "holiday.jpg"), []byte("photo"), 0o600); err != nil {
		t.Fatal(err)
	}

	dest, _ := ParseDestination(busy, nil)
	if _, err := Init(ctx, dest, testPassword, InitOptions{OpenOptions: tv.opts}); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("init in a folder with photos: %v", err)
	}

	for _, p := range []string{filepath.Join(t.TempDir(), "missing"), t.TempDir(), busy} {
		dest, _ := ParseDestination(p, nil)
		if _, err := Open(ctx, dest, Password(testPassword), tv.opts); !errors.Is(err, ErrNotInitialized) {
			t.Errorf("open %s: got %v, want ErrNotInitialized", p, err)
		}
	}
}

// TestInitFailureCleansUp: an Init that fails midway (here: the disk is
// "full" once the repository exists) leaves the destination empty, so the
// next Init succeeds.
func TestInitFailureCleansUp(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "vault")
	dest, _ := ParseDestination(dir, nil)

	opts := testOpenOptions(t)
	opts.MinFreeSpace = 1 << 62

	if _, err := Init(ctx, dest, testPassword, InitOptions{OpenOptions: opts}); !errors.Is(err, ErrNoSpace) {
		t.Fatalf("init on a full disk: %v", err)
	}

	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("failed init left %d entries", len(entries))
	}

	tv := initVault(t, dest, dir)
	tv.open(t, Password(testPassword))
}

func TestSlotDeleted(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)

	if err := os.Remove(filepath.Join(tv.dir, "chatvault.password.f")); err != nil {
		t.Fatalf("the password slot is not where docs/vault-without-chatvault.md says: %v", err)
	}

	// Its second copy puts it back.
	tv.open(t, Password(testPassword))

	for _, f := range []string{"chatvault.password.f", "chatvault.copy.pass.f"} {
		if err := os.Remove(filepath.Join(tv.dir, f)); err != nil {
			t.Fatal(err)
		}
	}

	_, err := Open(ctx, tv.dest, Password(testPassword), tv.opts)
	if !errors.Is(err, ErrSlotMissing) {
		t.Fatalf("open without the password slot: %v", err)
	}

	if !strings.Contains(err.Error(), "chatvault.password") {
		t.Errorf("error does not name the slot: %v", err)
	}

	// The recovery key still opens the vault and can set a new password.
	if err := ResetPasswordWithRecoveryKey(ctx, tv.dest, tv.recovery, "fresh", tv.opts); err != nil {
		t.Fatal(err)
	}

	tv.open(t, Password("fresh"))

	// A damaged slot (and copy) is not a wrong password.
	for _, f := range []string{"chatvault.password.f", "chatvault.copy.pass.f"} {
		if err := os.WriteFile(filepath.Join(tv.dir, f), []byte("garbage"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	if _, err := Open(ctx, tv.dest, Password("fresh"), tv.opts); !errors.Is(err, ErrSlotMissing) || !errors.Is(err, ErrDamaged) {
		t.Fatalf("open with a damaged slot: %v", err)
	}
}
