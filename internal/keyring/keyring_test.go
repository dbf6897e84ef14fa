package keyring

import (
	"bufio"
	"errors"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
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
	t.Setenv("HOME", t.TempDir()) // a Secret Service the bus might start finds no keyring of the user's
	startBus(t)
	checkUnavailable(t)
}

// A real Secret Service: GNOME Keyring on a private session bus, its login keyring made and
// unlocked with a test password. Set, Get, Delete and Get again, as `vault set --password-keyring`,
// a backup and `vault remove` use them.
func TestGNOMEKeyring(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service over D-Bus is the Linux keyring")
	}
	keyringd, err := exec.LookPath("gnome-keyring-daemon")
	if err != nil {
		t.Skip("gnome-keyring is not installed (.ci/run installs it)")
	}
	startBus(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", home+"/data")
	t.Setenv("XDG_RUNTIME_DIR", home)
	d := exec.Command(keyringd, "--foreground", "--unlock", "--components=secrets")
	d.Stdin = strings.NewReader("test-keyring-password")
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Process.Kill(); _ = d.Wait() })
	waitForSecretService(t)

	// The daemon takes a moment to claim its name on the bus.
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := Get("usb")
		if errors.Is(err, ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GNOME Keyring did not come up: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := Set("usb", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if err := Set("cloud", "another one"); err != nil {
		t.Fatal(err)
	}
	if pw, err := Get("usb"); err != nil || pw != "correct horse battery" {
		t.Fatalf("Get(usb) = %q, %v", pw, err)
	}
	if err := Delete("usb"); err != nil {
		t.Fatal(err)
	}
	if _, err := Get("usb"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := Delete("usb"); err != nil {
		t.Fatalf("deleting what is gone: %v", err)
	}
	if pw, err := Get("cloud"); err != nil || pw != "another one" {
		t.Fatalf("the other vault's entry: %q, %v", pw, err)
	}
}

// startBus starts a private D-Bus session bus for the test.
func startBus(t *testing.T) {
	t.Helper()
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

// waitForSecretService waits until GNOME Keyring owns its name on the bus and has unlocked the
// login keyring with the password it read. A Secret Service call made earlier finds the default
// collection locked, and it stays locked (this test failed about one run in three without the
// wait): the daemon answers org.freedesktop.DBus.Properties on its collection once it is ready.
func waitForSecretService(t *testing.T) {
	t.Helper()
	conn, err := dbus.ConnectSessionBus() // its own connection: the shared one outlives this test's bus
	if err != nil {
		t.Fatalf("session bus: %v", err)
	}
	defer conn.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var owned bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&owned)
		if err == nil && owned {
			v, err := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets/collection/login").
				GetProperty("org.freedesktop.Secret.Collection.Locked")
			if locked, ok := v.Value().(bool); err == nil && ok && !locked {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GNOME Keyring did not unlock its login keyring in 20 s (%v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
