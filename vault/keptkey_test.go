package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeptKey: an open with the password keeps the key (0600, not in the
// cache folder); OpenKept then opens without a password and backs up; a
// password change on another device, a recovery-key change, a tampered key
// and a key for another vault are all refused with ErrNoKeptKey and deleted,
// while the device that changed the password keeps a working key.
func TestKeptKey(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)
	keyFile := filepath.Join(t.TempDir(), "keys", "usb.key")

	here := tv.opts
	here.KeyFile = keyFile

	if _, err := OpenKept(ctx, tv.dest, here); !errors.Is(err, ErrNoKeptKey) {
		t.Fatalf("before any open: %v", err)
	}

	v, err := Open(ctx, tv.dest, Password(testPassword), here)
	if err != nil {
		t.Fatal(err)
	}

	spec := chatTree(1, 1, 1, 10<<10)
	backup(t, v, spec, nil)
	v.Close(ctx)

	fi, err := os.Stat(keyFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("kept key file: %v %v", fi, err)
	}

	b, _ := os.ReadFile(keyFile)
	if strings.Contains(string(b), testPassword) {
		t.Fatal("the kept key file holds the password")
	}

	// The key opens the vault without a password, and backs up.
	kept, err := OpenKept(ctx, tv.dest, here)
	if err != nil {
		t.Fatalf("open with the kept key: %v", err)
	}

	s2 := backup(t, kept, spec, nil)
	checkSnapshot(t, kept, s2.ID, spec)

	// This device changes the password: its key keeps working.
	if err := kept.ChangePassword(ctx, "a new password here"); err != nil {
		t.Fatal(err)
	}

	kept.Close(ctx)

	again, err := OpenKept(ctx, tv.dest, here)
	if err != nil {
		t.Fatalf("kept key after this device's password change: %v", err)
	}

	again.Close(ctx)

	// Another device (no key file of its own) changes the password: the key
	// kept here no longer matches the slot and is deleted.
	other := tv.opts
	other.CacheDir = filepath.Join(t.TempDir(), "other")

	ov, err := Open(ctx, tv.dest, Password("a new password here"), other)
	if err != nil {
		t.Fatal(err)
	}

	if err := ov.ChangePassword(ctx, "the third password"); err != nil {
		t.Fatal(err)
	}

	ov.Close(ctx)

	if _, err := OpenKept(ctx, tv.dest, here); !errors.Is(err, ErrNoKeptKey) {
		t.Fatalf("kept key after another device's password change: %v", err)
	}

	if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
		t.Fatalf("the stale key is still there: %v", err)
	}

	// The old password does not open it either; the new one does, and keeps a key.
	if _, err := Open(ctx, tv.dest, Password("a new password here"), here); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("old password: %v", err)
	}

	v, err = Open(ctx, tv.dest, Password("the third password"), here)
	if err != nil {
		t.Fatal(err)
	}

	// A new recovery key made elsewhere also voids the key kept here.
	ov, err = Open(ctx, tv.dest, Password("the third password"), other)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := ov.NewRecoveryKey(ctx); err != nil {
		t.Fatal(err)
	}

	ov.Close(ctx)

	if _, err := OpenKept(ctx, tv.dest, here); !errors.Is(err, ErrNoKeptKey) {
		t.Fatalf("kept key after a new recovery key elsewhere: %v", err)
	}

	// A tampered key (slots still matching) is refused and deleted, and the
	// vault is unchanged: the password still opens it.
	if err := v.keepKey(ctx); err != nil {
		t.Fatal(err)
	}

	v.Close(ctx)

	b, err = os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}

	i := strings.Index(string(b), `"secret": "`) + len(`"secret": "`)
	b[i] ^= 1

	if err := os.WriteFile(keyFile, b, 0o600); err != nil {
		t.Fatal(err)
	}

	if _, err := OpenKept(ctx, tv.dest, here); !errors.Is(err, ErrNoKeptKey) {
		t.Fatalf("tampered key: %v", err)
	}

	if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
		t.Fatalf("the tampered key is still there: %v", err)
	}

	v = tv.open(t, Password("the third password"))
	checkSnapshot(t, v, s2.ID, spec)

	// A key kept for another vault is not used for this one.
	tv2 := newLocalVault(t)
	other2 := tv2.opts
	other2.KeyFile = keyFile

	v2, err := Open(ctx, tv2.dest, Password(testPassword), other2)
	if err != nil {
		t.Fatal(err)
	}

	v2.Close(ctx)

	if _, err := OpenKept(ctx, tv.dest, here); !errors.Is(err, ErrNoKeptKey) {
		t.Fatalf("another vault's key: %v", err)
	}

	if err := ForgetKey(keyFile); err != nil {
		t.Fatal(err)
	}
}
