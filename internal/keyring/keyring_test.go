package keyring

import (
	"bufio"
	"errors"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// No session bus at all (a server, a container): every call is ErrUnavailable, never a hang.
func TestNoSessionBus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service over D-Bus is the Linux keyring")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+t.TempDir()+"/no-bus")
	checkUnavailable(t)
}

// A session bus with no Secret Service on it (a desktop-less session): ErrUnavailable too.
func TestBusWithoutSecretService(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service over D-Bus is the Linux keyring")
	}
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed")
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", strings.TrimSpace(addr))
	checkUnavailable(t)
}

func checkUnavailable(t *testing.T) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := Get("usb"); !errors.Is(err, ErrUnavailable) {
			t.Errorf("Get: %v, want ErrUnavailable", err)
		}
		if err := Set("usb", "hunter2-xyzzy"); !errors.Is(err, ErrUnavailable) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Set: %v, want ErrUnavailable (without the password)", err)
		}
		if err := Delete("usb"); !errors.Is(err, ErrUnavailable) {
			t.Errorf("Delete: %v, want ErrUnavailable", err)
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the keyring calls hang")
	}
}
