package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A backup to a drive that is too small stops before writing, with one line and exit status
// 14, and the vault still verifies and restores what it had.
func TestBackupToAFullDrive(t *testing.T) {
	mnt := smallDrive(t, "100m")
	isolate(t)

	// A chat with 48 MiB of photos (random bytes: they neither compress nor dedup).
	export := filepath.Join(t.TempDir(), "export")
	os.MkdirAll(export, 0o700)
	var chat strings.Builder
	chat.WriteString("01/02/2024, 10:00 - Ana: hello\n")
	mustCLI(t, "import", writeExport(t, export, chat.String()))
	mustCLI(t, "vault", "add", "usb", filepath.Join(mnt, "vault"))
	mustCLI(t, "init", "usb")
	mustCLI(t, "backup")

	for i := 0; i < 48; i++ {
		name := fmt.Sprintf("IMG-20240201-WA%04d.jpg", i)
		b := make([]byte, 1<<20)
		rand.Read(b)
		os.WriteFile(filepath.Join(export, name), b, 0o600)
		fmt.Fprintf(&chat, "01/02/2024, 10:%02d - Ana: %s (file attached)\n", i+1, name)
	}
	mustCLI(t, "import", writeExport(t, export, chat.String()))

	code, _, errs := cli(t, "backup")
	if code != exitNoSpace || strings.Count(strings.TrimSpace(errs), "\n") > 0 || !strings.Contains(errs, "free") {
		t.Fatalf("backup to a full drive: exit %d (want %d), stderr:\n%s", code, exitNoSpace, errs)
	}
	out := mustCLI(t, "verify", "usb")
	if !strings.Contains(out, "All good") {
		t.Fatalf("verify after the failed backup:\n%s", out)
	}
	out = mustCLI(t, "restore", "--from", "usb", "--to", filepath.Join(t.TempDir(), "restored"))
	if !strings.Contains(out, "counts and digests match") {
		t.Fatalf("restore after the failed backup:\n%s", out)
	}
}

// A drive smaller than the space chatvault leaves free is refused at init, saying so.
func TestInitOnATinyDrive(t *testing.T) {
	mnt := smallDrive(t, "16m")
	isolate(t)
	mustCLI(t, "vault", "add", "usb", filepath.Join(mnt, "vault"))
	code, _, errs := cli(t, "init", "usb")
	want := "not enough free space at the destination: 16.0 MiB free (and chatvault leaves 64.0 MiB free)"
	if code != exitNoSpace || !strings.Contains(errs, want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
		t.Fatalf("init on a tiny drive: exit %d (want %d), stderr:\n%s", code, exitNoSpace, errs)
	}
}

// smallDrive mounts a tmpfs of the given size for the test (root only).
func smallDrive(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", mnt).Run() })
	return mnt
}

func writeExport(t *testing.T, dir, chat string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "WhatsApp Chat with Ana.txt"), []byte(chat), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}
