package unit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Installer puts the files in place for one operating system and asks its service manager to
// load them.
type Installer struct {
	// OS is "linux", "darwin" or "windows".
	OS string
	// Home is the user's home folder; ConfigHome is $XDG_CONFIG_HOME (Linux: systemd user
	// units go in ConfigHome/systemd/user); StateDir holds the task file on Windows.
	Home, ConfigHome, StateDir string
	// UID is the user's id, for launchctl's gui/UID domain.
	UID int
	// Run runs a service manager command and returns its combined output. Nil means there is
	// no service manager to talk to (a container, a test): files are written and the commands
	// to load them are returned for the user to run.
	Run func(name string, args ...string) ([]byte, error)
}

// Placed is a file with the absolute path it goes to.
type Placed struct {
	Path string
	Data []byte
}

// Result says what Install did, and what the user must still do.
type Result struct {
	Files []string
	// Manual lists commands the user must run because the service manager could not be
	// reached; Problem says why.
	Manual  []string
	Problem string
	// Notes are things worth knowing about this platform's scheduler.
	Notes []string
}

// ErrUnsupported means chatvault knows no scheduler for the operating system.
var ErrUnsupported = errors.New("no scheduler support for this operating system: run `chatvault daemon` from your own service manager")

// Where is the folder the files go in.
func (in Installer) Where() (string, error) {
	switch in.OS {
	case "linux":
		return filepath.Join(in.ConfigHome, "systemd", "user"), nil
	case "darwin":
		return filepath.Join(in.Home, "Library", "LaunchAgents"), nil
	case "windows":
		return in.StateDir, nil
	}
	return "", ErrUnsupported
}

// Files are the files for spec, at their absolute paths, as text (the Windows task in UTF-8; the
// installed file is UTF-16).
func (in Installer) Files(s Spec) ([]Placed, error) {
	dir, err := in.Where()
	if err != nil {
		return nil, err
	}
	var files []File
	switch in.OS {
	case "linux":
		files, err = Systemd(s)
	case "darwin":
		var f File
		f, err = Launchd(s)
		files = []File{f}
	case "windows":
		var f File
		f, err = TaskScheduler(s)
		files = []File{f}
	}
	if err != nil {
		return nil, err
	}
	out := make([]Placed, len(files))
	for i, f := range files {
		out[i] = Placed{filepath.Join(dir, f.Name), f.Data}
	}
	return out, nil
}

// Install writes the files and loads them. Writing replaces an earlier installation, so it is
// also how a changed plan or watched folder reaches the scheduler.
func (in Installer) Install(s Spec) (*Result, error) {
	files, err := in.Files(s)
	if err != nil {
		return nil, err
	}
	dir, _ := in.Where()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	res := &Result{}
	pathUnit := filepath.Join(dir, Name+".path")
	if in.OS == "linux" && len(s.Watch) == 0 {
		if _, err := os.Stat(pathUnit); err == nil {
			// Folders are no longer watched: stop and drop the path unit first.
			in.try("systemctl", "--user", "disable", "--now", Name+".path")
			os.Remove(pathUnit)
		}
	}
	for _, f := range files {
		data := f.Data
		if in.OS == "windows" {
			data = TaskFile(File{Data: data}).Data
		}
		if err := writeFile(f.Path, data); err != nil {
			return nil, err
		}
		res.Files = append(res.Files, f.Path)
	}
	switch in.OS {
	case "linux":
		units := []string{Name + ".timer"}
		if len(s.Watch) > 0 {
			units = append(units, Name+".path")
		}
		in.step(res, "systemctl", "--user", "daemon-reload")
		in.step(res, append([]string{"systemctl", "--user", "enable", "--now"}, units...)...)
		// Restarting the timer makes systemd recompute it (an enabled timer keeps its old
		// schedule until then).
		in.step(res, "systemctl", "--user", "restart", Name+".timer")
		res.Notes = append(res.Notes, "systemd runs your timers while you are logged in; for backups while logged out too: loginctl enable-linger "+userName())
	case "darwin":
		in.try("launchctl", "bootout", fmt.Sprintf("gui/%d/%s", in.UID, LaunchLabel))
		in.step(res, "launchctl", "bootstrap", fmt.Sprintf("gui/%d", in.UID), files[0].Path)
	case "windows":
		in.step(res, "schtasks", "/Create", "/TN", TaskName, "/XML", files[0].Path, "/F")
		res.Notes = append(res.Notes, "the task runs while you are logged on; a run missed while the computer was off starts when it is on again")
	}
	return res, nil
}

// Uninstall unloads and removes the files; it returns the files removed.
func (in Installer) Uninstall() (*Result, error) {
	dir, err := in.Where()
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var names []string
	switch in.OS {
	case "linux":
		names = []string{Name + ".timer", Name + ".path", Name + ".service"}
		in.try("systemctl", "--user", "disable", "--now", Name+".timer", Name+".path")
	case "darwin":
		names = []string{LaunchLabel + ".plist"}
		in.try("launchctl", "bootout", fmt.Sprintf("gui/%d/%s", in.UID, LaunchLabel))
	case "windows":
		names = []string{Name + ".xml"}
		in.step(res, "schtasks", "/Delete", "/TN", TaskName, "/F")
	}
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.Remove(p); err == nil {
			res.Files = append(res.Files, p)
		} else if !errors.Is(err, os.ErrNotExist) {
			return res, err
		}
	}
	if in.OS == "linux" && len(res.Files) > 0 {
		in.try("systemctl", "--user", "daemon-reload")
	}
	if in.Run == nil && len(res.Files) > 0 && in.OS != "windows" {
		// The files are gone, but a running service manager still has them loaded.
		res.Problem = "no service manager available here"
		switch in.OS {
		case "linux":
			res.Manual = []string{"systemctl --user stop " + Name + ".timer " + Name + ".path", "systemctl --user daemon-reload"}
		case "darwin":
			res.Manual = []string{fmt.Sprintf("launchctl bootout gui/%d/%s", in.UID, LaunchLabel)}
		}
	}
	return res, nil
}

// Installed says whether chatvault's files are in place, and which.
func (in Installer) Installed() (string, bool) {
	dir, err := in.Where()
	if err != nil {
		return "", false
	}
	var name, what string
	switch in.OS {
	case "linux":
		name, what = Name+".timer", "systemd user timer"
	case "darwin":
		name, what = LaunchLabel+".plist", "launchd agent"
	case "windows":
		name, what = Name+".xml", "Task Scheduler task"
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		return "", false
	}
	return what + " (" + p + ")", true
}

// step runs a command the installation needs; once one fails (or none can run), it and the
// rest are listed for the user to run.
func (in Installer) step(res *Result, argv ...string) {
	if in.Run != nil && res.Problem == "" {
		out, err := in.Run(argv[0], argv[1:]...)
		if err == nil {
			return
		}
		res.Problem = fmt.Sprintf("%s: %v %s", strings.Join(argv, " "), err, strings.Join(strings.Fields(string(out)), " "))
	} else if in.Run == nil && res.Problem == "" {
		res.Problem = "no service manager available here"
	}
	res.Manual = append(res.Manual, in.shellLine(argv))
}

// try runs a command whose failure does not matter (unloading what may not be loaded).
func (in Installer) try(argv ...string) {
	if in.Run != nil {
		in.Run(argv[0], argv[1:]...)
	}
}

func writeFile(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// shellLine writes a command for a person to paste into their shell, quoting words with spaces.
func (in Installer) shellLine(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		switch {
		case in.OS == "windows" && (a == "" || strings.ContainsAny(a, " \t")):
			a = `"` + a + `"`
		case in.OS != "windows" && (a == "" || strings.ContainsAny(a, " \t'\"$\\")):
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

func userName() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "$USER"
}
