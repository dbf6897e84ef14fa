// Package unit writes the files that make the operating system start chatvault on a schedule: a
// systemd user timer and service (Linux), a launchd agent (macOS), a Task Scheduler task
// (Windows). Each starts one pass (`chatvault run --scheduled`) at the plan's slots, and a run
// missed while the machine was off happens at the next start (systemd Persistent=, launchd
// RunAtLoad, Task Scheduler StartWhenAvailable). The pass itself decides what is due, so an
// extra start costs nothing.
package unit

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chatvault/chatvault/schedule"
)

// Name is the base name of every file and job: chatvault-backup.timer, org.chatvault.backup,
// the "chatvault backup" task.
const (
	Name        = "chatvault-backup"
	LaunchLabel = "org.chatvault.backup"
	TaskName    = "chatvault backup"
)

// Spec is what to start and when.
type Spec struct {
	// Exe is the absolute path of the chatvault executable; Args follow it (the resolved
	// --config and --archive, then "run --scheduled").
	Exe  string
	Args []string
	Plan schedule.Plan
	// Wake adds regular wake-ups between slots (0 for none): retries after a failure wait for
	// the next start, and watched folders are looked at this often.
	Wake time.Duration
	// Watch lists folders whose changes start a pass at once, where the system can watch
	// (systemd path unit, launchd WatchPaths).
	Watch []string
	// Env is set for the run (XDG directories, so it finds the same state and caches).
	Env map[string]string
	// Description names the plan for people reading the files.
	Description string
	// Output is where launchd writes the run's own output (the log proper is chatvault.log).
	Output string
}

// File is one generated file: its name inside its folder, and its content.
type File struct {
	Name string
	Data []byte
}

// ErrNothing means there is nothing to start: the plan is off and no folder is watched.
var ErrNothing = errors.New("nothing to schedule: the plan is off and no folder is watched")

// check refuses values no unit format can carry safely.
func (s Spec) check() error {
	if !strings.HasPrefix(s.Exe, "/") && !(len(s.Exe) > 2 && s.Exe[1] == ':') {
		return fmt.Errorf("the executable path %q is not absolute", s.Exe)
	}
	all := append([]string{s.Exe}, s.Args...)
	all = append(all, s.Watch...)
	for k, v := range s.Env {
		all = append(all, k, v)
	}
	for _, a := range all {
		if strings.ContainsFunc(a, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return fmt.Errorf("%q holds a control character, which a scheduler file cannot carry", a)
		}
	}
	if s.Plan.Kind == schedule.Off && len(s.Watch) == 0 {
		return ErrNothing
	}
	return nil
}

func (s Spec) description() string {
	if s.Description != "" {
		return s.Description
	}
	return "chatvault scheduled backup: " + s.Plan.String()
}

// slotMinutes lists the plan's slot times of day in minutes, for formats that list them.
func slotMinutes(p schedule.Plan) []int {
	first := p.Hour*60 + p.Minute
	if p.Kind != schedule.Every {
		return []int{first}
	}
	var out []int
	for m := first; m < 24*60; m += int(p.Interval / time.Minute) {
		out = append(out, m)
	}
	return out
}
