package unit

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeManager records the service manager commands an installation runs.
type fakeManager struct {
	calls []string
	fail  string // a command prefix that fails
}

func (f *fakeManager) run(name string, args ...string) ([]byte, error) {
	c := strings.Join(append([]string{name}, args...), " ")
	f.calls = append(f.calls, c)
	if f.fail != "" && strings.HasPrefix(c, f.fail) {
		return []byte("Failed to connect to bus: No medium found"), errors.New("exit status 1")
	}
	return nil, nil
}

func TestInstallLinux(t *testing.T) {
	home := t.TempDir()
	m := &fakeManager{}
	in := Installer{OS: "linux", Home: home, ConfigHome: filepath.Join(home, ".config"), Run: m.run}
	spec := testSpec(t, plan(t, "daily", "02:30", "", time.Local))
	res, err := in.Install(spec)
	if err != nil || res.Problem != "" {
		t.Fatalf("install: %v %+v", err, res)
	}
	dir := filepath.Join(home, ".config", "systemd", "user")
	for _, n := range []string{"chatvault-backup.service", "chatvault-backup.timer", "chatvault-backup.path"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Error(err)
		}
	}
	want := "systemctl --user daemon-reload|systemctl --user enable --now chatvault-backup.timer chatvault-backup.path|systemctl --user restart chatvault-backup.timer"
	if got := strings.Join(m.calls, "|"); got != want {
		t.Errorf("commands %s\nwant %s", got, want)
	}
	if what, ok := in.Installed(); !ok || !strings.Contains(what, "systemd user timer") {
		t.Errorf("Installed() = %q, %v", what, ok)
	}

	// No folder watched any more: the path unit is stopped and removed.
	m.calls = nil
	spec.Watch = nil
	if _, err := in.Install(spec); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "chatvault-backup.path")); !os.IsNotExist(err) {
		t.Error("path unit left behind")
	}
	if m.calls[0] != "systemctl --user disable --now chatvault-backup.path" {
		t.Errorf("commands %v", m.calls)
	}

	// A user manager that cannot be reached: the files are written, the rest is for the user.
	m.calls, m.fail = nil, "systemctl --user daemon-reload"
	res, err = in.Install(spec)
	if err != nil || !strings.Contains(res.Problem, "No medium found") || len(res.Manual) != 3 || len(m.calls) != 1 {
		t.Errorf("unreachable manager: %v %+v, calls %v", err, res, m.calls)
	}

	m.calls, m.fail = nil, ""
	res, err = in.Uninstall()
	if err != nil || len(res.Files) != 2 || res.Problem != "" {
		t.Fatalf("uninstall: %v %+v", err, res)
	}
	if _, ok := in.Installed(); ok {
		t.Error("still installed after uninstall")
	}
}

func TestInstallMacAndWindows(t *testing.T) {
	home := t.TempDir()
	m := &fakeManager{}
	mac := Installer{OS: "darwin", Home: home, UID: 501, Run: m.run}
	if _, err := mac.Install(testSpec(t, plan(t, "weekly", "", "", time.Local))); err != nil {
		t.Fatal(err)
	}
	plist := filepath.Join(home, "Library", "LaunchAgents", "org.chatvault.backup.plist")
	if got := strings.Join(m.calls, "|"); got != "launchctl bootout gui/501/org.chatvault.backup|launchctl bootstrap gui/501 "+plist {
		t.Errorf("launchctl: %s", got)
	}

	m.calls = nil
	win := Installer{OS: "windows", StateDir: filepath.Join(home, "state"), Run: m.run}
	if _, err := win.Install(testSpec(t, plan(t, "daily", "", "", time.Local))); err != nil {
		t.Fatal(err)
	}
	task := filepath.Join(home, "state", "chatvault-backup.xml")
	if got := strings.Join(m.calls, "|"); got != "schtasks /Create /TN chatvault backup /XML "+task+" /F" {
		t.Errorf("schtasks: %s", got)
	}
	if b, _ := os.ReadFile(task); !bytes.HasPrefix(b, []byte{0xff, 0xfe}) {
		t.Error("task file is not UTF-16")
	}
	noManager := Installer{OS: "windows", StateDir: filepath.Join(home, "state")}
	res, err := noManager.Uninstall()
	if err != nil || len(res.Manual) != 1 || res.Manual[0] != `schtasks /Delete /TN "chatvault backup" /F` {
		t.Errorf("uninstall without schtasks: %v %+v", err, res)
	}
}
