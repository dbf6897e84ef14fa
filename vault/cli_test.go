package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// kopiaBinary builds kopia's own CLI from the version pinned in go.mod, once
// per test run, or uses $CHATVAULT_KOPIA (CI builds bin/kopia and sets it).
// It skips when neither works.
var kopiaBuild = struct {
	once sync.Once
	dir  string
	path string
	err  error
}{}

func kopiaBinary(t *testing.T) string {
	t.Helper()

	if p := os.Getenv("CHATVAULT_KOPIA"); p != "" {
		return p
	}

	kopiaBuild.once.Do(func() {
		kopiaBuild.dir, kopiaBuild.err = os.MkdirTemp("", "chatvault-kopia-cli-")
		if kopiaBuild.err != nil {
			return
		}

		kopiaBuild.path = filepath.Join(kopiaBuild.dir, "kopia")

		cmd := exec.Command("go", "build", "-o", kopiaBuild.path, "github.com/kopia/kopia")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")

		if out, err := cmd.CombinedOutput(); err != nil {
			kopiaBuild.err = fmt.Errorf("%v: %s", err, out)
		}
	})

	if kopiaBuild.err != nil {
		t.Skipf("cannot build kopia's CLI (go build github.com/kopia/kopia), set CHATVAULT_KOPIA to a kopia v0.21.1 binary: %v", kopiaBuild.err)
	}

	return kopiaBuild.path
}

func removeKopiaBuild() {
	if kopiaBuild.dir != "" {
		os.RemoveAll(kopiaBuild.dir)
	}
}

// ageDecrypt runs the real age CLI on file and types passphrase at its
// prompt. age reads passphrases only from a terminal, so it runs on a
// pseudo-terminal made here.
func ageDecrypt(t *testing.T, agePath, file, passphrase string) string {
	t.Helper()

	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal for the age CLI: %v", err)
	}
	defer ptmx.Close()

	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}

	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}

	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the pty: %v", err)
	}

	out := filepath.Join(t.TempDir(), "secret")

	cmd := exec.Command(agePath, "--decrypt", "--output", out, file)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pts, pts, pts
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}

	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	pts.Close()

	// Wait for the prompt, answer it, and keep draining the terminal.
	var screen bytes.Buffer

	prompted := make(chan struct{})

	go func() {
		buf := make([]byte, 256)
		once := sync.Once{}

		for {
			n, err := ptmx.Read(buf)
			screen.Write(buf[:n])

			if strings.Contains(strings.ToLower(screen.String()), "passphrase") {
				once.Do(func() { close(prompted) })
			}

			if err != nil {
				return
			}
		}
	}()

	select {
	case <-prompted:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("age did not prompt for a passphrase")
	}

	if _, err := io.WriteString(ptmx, passphrase+"\n"); err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("age --decrypt %s: %v", file, err)
		}
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("age did not finish")
	}

	secret, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}

	return string(secret)
}

// TestReadableWithoutChatvault follows docs/vault-without-chatvault.md with
// the real tools: Debian's age decrypts a key slot, and kopia's own CLI
// connects with the secret, lists the snapshots and restores one.
func TestReadableWithoutChatvault(t *testing.T) {
	t.Parallel() // slow (subprocesses, servers, real I/O): overlaps the other slow ones
	if testing.Short() {
		t.Skip("builds kopia's CLI; skipped with -short")
	}

	agePath, err := exec.LookPath("age")
	if err != nil {
		t.Skip("age not found: apt-get install age")
	}

	kopia := kopiaBinary(t)

	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))
	spec := chatTree(2, 3, 3, 500<<10)
	s := backup(t, v, spec, nil)

	secret := ageDecrypt(t, agePath, filepath.Join(tv.dir, "chatvault.password.f"), testPassword)

	canonical, _ := ParseRecoveryKey(tv.recovery)
	if again := ageDecrypt(t, agePath, filepath.Join(tv.dir, "chatvault.recovery.f"), canonical); again != secret {
		t.Fatalf("the two slots hold different secrets")
	}

	work := t.TempDir()
	env := append(os.Environ(),
		"KOPIA_PASSWORD="+secret,
		"KOPIA_CONFIG_PATH="+filepath.Join(work, "repository.config"),
		"KOPIA_CACHE_DIRECTORY="+filepath.Join(work, "cache"),
		"KOPIA_LOG_DIR="+filepath.Join(work, "logs"),
		"KOPIA_CHECK_FOR_UPDATES=false",
		"KOPIA_PERSIST_CREDENTIALS_ON_CONNECT=false",
		"HOME="+work,
	)

	kopiaRun := func(args ...string) []byte {
		t.Helper()

		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()

		cmd := exec.CommandContext(ctx, kopia, args...)
		cmd.Env = env

		var stderr bytes.Buffer
		cmd.Stderr = &stderr

		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("kopia %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}

		return out
	}

	kopiaRun("repository", "connect", "filesystem", "--path", tv.dir)

	var listed []struct {
		ID     string `json:"id"`
		Source struct {
			Host, UserName, Path string
		} `json:"source"`
	}

	if err := json.Unmarshal(kopiaRun("snapshot", "list", "--all", "--json"), &listed); err != nil {
		t.Fatal(err)
	}

	if len(listed) != 1 || listed[0].ID != s.ID || listed[0].Source.Path != DefaultSourcePath {
		t.Fatalf("kopia snapshot list: %+v, want %s", listed, s.ID)
	}

	target := filepath.Join(work, "restored")
	kopiaRun("restore", s.ID, target)

	for p, want := range spec {
		got, err := os.ReadFile(filepath.Join(target, filepath.FromSlash(p)))
		if err != nil {
			t.Fatalf("restored tree: %v", err)
		}

		if !bytes.Equal(got, want.bytes()) {
			t.Fatalf("restored %s differs", p)
		}
	}

	kopiaRun("repository", "disconnect")
}
