package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/internal/config"
	"github.com/chatvault/chatvault/schedule"
	"github.com/chatvault/chatvault/schedule/unit"
)

func newScheduleCommand(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "schedule",
		Short: "Back up automatically: daily, weekly, monthly or every few hours",
		Long: `Back up automatically, like WhatsApp's daily/weekly/monthly backup, to every vault at once.

  chatvault schedule set daily --at 02:30     choose when (local time of this computer)
  chatvault schedule install                  let the system start it (systemd, launchd, Task Scheduler)
  chatvault status                            see the last backups, and whether anything is failing

A run missed while the computer was off or asleep happens once at the next start. A destination
that cannot be reached (a drive not plugged in) is retried with growing pauses and shows in
` + "`chatvault status`" + `, which exits non-zero once backups keep failing, for scripts and monitoring.
Without a subcommand, shows the schedule.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return showSchedule(g, asJSON) },
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.AddCommand(newScheduleSetCommand(g), newScheduleShowCommand(g), newScheduleInstallCommand(g), newScheduleUninstallCommand(g))
	return c
}

type scheduleSetOptions struct {
	at, on string
	vaults []string
}

func newScheduleSetCommand(g *globals) *cobra.Command {
	o := &scheduleSetOptions{}
	c := &cobra.Command{
		Use:   "set daily|weekly|monthly|off|every INTERVAL",
		Short: "Choose when automatic backups run",
		Long: `Choose when automatic backups run: daily, weekly, monthly, every few hours, or off.

--at is the local time of day (default 02:30: at night, and a computer that is off then catches
up when it starts). Weekly backups run on --on WEEKDAY (default sunday), monthly ones on --on DAY
(1 to 28, default 1). An interval must divide a day evenly (every 6h runs at 00:00, 06:00, ...;
--at shifts that). --vault limits backups to some vaults (repeatable; default: every vault).

If the schedule is installed (` + "`chatvault schedule install`" + `), it is updated too.

Examples:
  chatvault schedule set daily --at 02:30
  chatvault schedule set weekly --on sunday --vault usb
  chatvault schedule set every 6h
  chatvault schedule set off`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error { return runScheduleSet(g, o, strings.Join(args, " ")) },
	}
	f := c.Flags()
	f.StringVar(&o.at, "at", "", "time of day, HH:MM (default 02:30)")
	f.StringVar(&o.on, "on", "", "weekday for weekly backups, day of the month (1-28) for monthly ones")
	f.StringArrayVar(&o.vaults, "vault", nil, "back up only to this vault (repeatable; default: every vault)")
	return c
}

func runScheduleSet(g *globals, o *scheduleSetOptions, every string) error {
	plan, err := schedule.Parse(every, o.at, o.on, time.Local)
	if err != nil {
		return usagef(err.Error())
	}
	c, err := g.config()
	if err != nil {
		return err
	}
	for _, v := range o.vaults {
		if _, ok := c.Vaults[v]; !ok {
			return withCode(fmt.Errorf("no vault named %q (configured: %s): add it first with `chatvault vault add`", v, orNone(c.VaultNames())), exitNoVault)
		}
	}
	prev := c.Schedule
	s := &config.Schedule{Every: plan.Every(), Vaults: o.vaults}
	if plan.Kind != schedule.Off {
		s.At, s.On, s.Since = plan.At(), plan.On(), time.Now().Round(time.Second)
		// A schedule that was already on keeps its start: changing daily to weekly must not
		// hide that backups have been failing since before.
		if prev != nil && !prev.Since.IsZero() && prev.Every != "" && prev.Every != "off" {
			s.Since = prev.Since
		}
	}
	c.Schedule = s
	if err := c.Save(g.configPath()); err != nil {
		return err
	}
	w := g.stdout
	if plan.Kind == schedule.Off {
		fmt.Fprintln(w, "Automatic backups are off.")
	} else {
		targets := strings.Join(o.vaults, ", ")
		if len(o.vaults) == 0 {
			targets = "every vault (" + orNone(c.VaultNames()) + ")"
		}
		fmt.Fprintf(w, "Automatic backups: %s (local time), to %s. Next: %s.\n", plan, targets, formatTime(plan.Next(time.Now()), time.Local))
		if len(c.Vaults) == 0 {
			fmt.Fprintln(w, "No vault yet: add one with `chatvault vault add NAME DESTINATION`, then `chatvault init NAME`.")
		}
	}
	return refreshInstalled(g, plan.Kind != schedule.Off)
}

// refreshInstalled rewrites an installed schedule after the settings changed (the timer carries
// the plan's times and the watched folders). When nothing is installed it says how to.
func refreshInstalled(g *globals, wanted bool) error {
	in := newInstaller(runtime.GOOS)
	what, installed := in.Installed()
	if !installed {
		if wanted {
			fmt.Fprintln(g.stdout, "Nothing starts it yet: run `chatvault schedule install` (or `chatvault daemon` on a server).")
		}
		return nil
	}
	s, _, err := g.scheduleSettings()
	if err != nil {
		return err
	}
	spec, err := g.unitSpec(s)
	if err != nil {
		return err
	}
	res, err := in.Install(spec)
	if errors.Is(err, unit.ErrNothing) {
		fmt.Fprintf(g.stdout, "The installed %s has nothing to do now: `chatvault schedule uninstall` removes it.\n", what)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "Updated the installed %s.\n", what)
	return reportInstall(g, res, notLoaded)
}

func newScheduleShowCommand(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "show",
		Short: "Show the schedule, its vaults and watched folders, and what starts it",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return showSchedule(g, asJSON) },
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// scheduleInfo is what `schedule show --json` prints.
type scheduleInfo struct {
	Plan      string    `json:"plan"`
	Every     string    `json:"every"`
	At        string    `json:"at,omitempty"`
	On        string    `json:"on,omitempty"`
	Since     time.Time `json:"since,omitzero"`
	Vaults    []string  `json:"vaults"`
	Missing   []string  `json:"missing_vaults,omitempty"`
	Folders   []string  `json:"watched_folders"`
	Next      time.Time `json:"next,omitzero"`
	Installed string    `json:"installed,omitempty"`
}

func gatherSchedule(s schedule.Settings, c *config.Config) *scheduleInfo {
	ok, missing := scheduledVaults(s, c)
	info := &scheduleInfo{Plan: s.Plan.String(), Every: s.Plan.Every(), Vaults: ok, Missing: missing, Folders: s.Folders, Next: s.Plan.Next(time.Now())}
	if info.Vaults == nil {
		info.Vaults = []string{}
	}
	if info.Folders == nil {
		info.Folders = []string{}
	}
	if s.Plan.Kind != schedule.Off {
		info.At, info.On = s.Plan.At(), s.Plan.On()
		info.Since = c.Schedule.Since
	}
	info.Installed, _ = newInstaller(runtime.GOOS).Installed()
	return info
}

func showSchedule(g *globals, asJSON bool) error {
	s, c, err := g.scheduleSettings()
	if err != nil {
		return err
	}
	info := gatherSchedule(s, c)
	if asJSON {
		return printJSON(g.stdout, info)
	}
	w := g.stdout
	fmt.Fprintf(w, "Schedule:        %s", info.Plan)
	if !info.Since.IsZero() {
		fmt.Fprintf(w, " (local time; set %s)", formatTime(info.Since, time.Local))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Vaults:          %s\n", orNone(info.Vaults))
	for _, m := range info.Missing {
		fmt.Fprintf(w, "                 %s is in the schedule but not configured: chatvault vault add %s DESTINATION\n", m, m)
	}
	fmt.Fprintf(w, "Watched folders: %s\n", orNone(info.Folders))
	if !info.Next.IsZero() {
		fmt.Fprintf(w, "Next backup:     %s\n", formatTime(info.Next, time.Local))
	}
	if info.Installed != "" {
		fmt.Fprintf(w, "Started by:      %s\n", info.Installed)
	} else {
		fmt.Fprintln(w, "Started by:      nothing installed: chatvault schedule install (or chatvault daemon on a server)")
	}
	return nil
}

type installOptions struct {
	print bool
	goos  string
}

func newScheduleInstallCommand(g *globals) *cobra.Command {
	o := &installOptions{}
	c := &cobra.Command{
		Use:   "install",
		Short: "Let the system start scheduled backups (systemd, launchd, Task Scheduler)",
		Long: `Let the operating system start scheduled backups:

  Linux    a systemd user timer and service in ~/.config/systemd/user (plus a path unit that
           starts a run when something lands in a watched folder), enabled with systemctl --user
  macOS    a launchd agent, ~/Library/LaunchAgents/org.chatvault.backup.plist
  Windows  a Task Scheduler task, "chatvault backup"

Each starts ` + "`chatvault run --scheduled`" + ` at the schedule's times and regularly in between (so a
failed backup is retried and watched folders are looked at); a run missed while the computer
was off happens when it is on again. The run uses this chatvault executable, settings file and
archive, named by absolute path.

Unattended backups cannot ask for a password: give each vault a password source with
` + "`chatvault vault set NAME`" + ` and --password-file FILE, --password-command CMD or --password-keyring
(install warns about a vault that has none; see docs/schedules.md).

--print shows the files without installing anything; --for shows another system's.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runScheduleInstall(g, o) },
	}
	c.Flags().BoolVar(&o.print, "print", false, "print the files instead of installing them")
	c.Flags().StringVar(&o.goos, "for", runtime.GOOS, "with --print: the system to write them for (linux, macos, windows)")
	return c
}

func runScheduleInstall(g *globals, o *installOptions) error {
	goos := strings.ToLower(o.goos)
	if goos == "macos" {
		goos = "darwin"
	}
	if goos != runtime.GOOS && !o.print {
		return usagef("--for works with --print only: install on the system itself")
	}
	s, c, err := g.scheduleSettings()
	if err != nil {
		return err
	}
	if s.Plan.Kind == schedule.Off && len(s.Folders) == 0 {
		return usagef("the schedule is off and no folder is watched: nothing to install. First: chatvault schedule set daily")
	}
	spec, err := g.unitSpec(s)
	if err != nil {
		return err
	}
	in := newInstaller(goos)
	if o.print {
		files, err := in.Files(spec)
		if err != nil {
			return err
		}
		for _, f := range files {
			fmt.Fprintf(g.stdout, "# %s\n%s\n", f.Path, f.Data)
		}
		return nil
	}
	ok, _ := scheduledVaults(s, c)
	for _, name := range ok {
		if !c.Vaults[name].HasPasswordSource() {
			fmt.Fprint(g.stderr, noPasswordSourceHint(name))
		}
	}
	res, err := in.Install(spec)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "Installed %s.\n", strings.Join(res.Files, ", "))
	if err := reportInstall(g, res, notLoaded); err != nil {
		return err
	}
	if s.Plan.Kind != schedule.Off {
		fmt.Fprintf(g.stdout, "Backups run %s (local time); next: %s. `chatvault status` shows how they went.\n", s.Plan, formatTime(s.Plan.Next(time.Now()), time.Local))
	}
	return nil
}

// noPasswordSourceHint tells how to give a scheduled vault a password source, one example each.
// The environment variables are left out: the scheduler starts the run without the shell's.
func noPasswordSourceHint(name string) string {
	return fmt.Sprintf(`chatvault: warning: vault %[1]s has no password source: an unattended backup cannot ask for its password. Give it one:
  chatvault vault set %[1]s --password-file ~/.config/chatvault/%[1]s.pass   (the password on the first line; chmod 600)
  chatvault vault set %[1]s --password-command "pass show chatvault/%[1]s"   (a command that prints it)
  chatvault vault set %[1]s --password-keyring                            (the OS keyring, where there is one)
`, name)
}

const (
	notLoaded   = "the files are in place, but the scheduler could not load them"
	notUnloaded = "the files are removed, but the scheduler may still have them loaded"
)

// reportInstall says what the user must still do; it fails when the scheduler could not be told.
func reportInstall(g *globals, res *unit.Result, problem string) error {
	for _, n := range res.Notes {
		fmt.Fprintf(g.stdout, "Note: %s.\n", n)
	}
	if res.Problem == "" {
		return nil
	}
	fmt.Fprintf(g.stderr, "chatvault: %s (%s). Run:\n", problem, res.Problem)
	for _, m := range res.Manual {
		fmt.Fprintf(g.stderr, "  %s\n", m)
	}
	return &silentError{exitFailure}
}

func newScheduleUninstallCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "uninstall",
		Short: "Stop the system from starting scheduled backups (the schedule setting stays)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := newInstaller(runtime.GOOS).Uninstall()
			if err != nil {
				return err
			}
			if len(res.Files) == 0 {
				fmt.Fprintln(g.stdout, "Nothing was installed.")
			} else {
				fmt.Fprintf(g.stdout, "Removed %s. Backups no longer start by themselves (chatvault run starts one by hand).\n", strings.Join(res.Files, ", "))
			}
			return reportInstall(g, res, notUnloaded)
		},
	}
}

// unitSpec is what the scheduler starts: this executable with this settings file and archive
// (absolute paths, so the unattended run finds the same ones), and the XDG folders of this
// session, so it keeps its state and caches where `chatvault status` looks.
func (g *globals) unitSpec(s schedule.Settings) (unit.Spec, error) {
	exe, err := os.Executable()
	if err != nil {
		return unit.Spec{}, fmt.Errorf("cannot find this program's path: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	cfgPath, err := filepath.Abs(g.configPath())
	if err != nil {
		return unit.Spec{}, err
	}
	archivePath, err := g.archivePath()
	if err != nil {
		return unit.Spec{}, err
	}
	if archivePath, err = filepath.Abs(archivePath); err != nil {
		return unit.Spec{}, err
	}
	args := []string{"--config", cfgPath, "--archive", archivePath}
	if tz := firstNonEmpty(g.tzFlag, os.Getenv("CHATVAULT_TZ")); tz != "" {
		args = append(args, "--tz", tz)
	}
	args = append(args, "run", "--scheduled")
	wake := time.Hour
	if len(s.Folders) > 0 {
		wake = 15 * time.Minute
	}
	return unit.Spec{
		Exe:    exe,
		Args:   args,
		Plan:   s.Plan,
		Wake:   wake,
		Watch:  s.Folders,
		Env:    map[string]string{"XDG_STATE_HOME": config.StateHome(), "XDG_CACHE_HOME": config.CacheHome()},
		Output: filepath.Join(stateDir(), "scheduled-run.out"),
	}, nil
}

// newInstaller talks to this system's service manager. CHATVAULT_SERVICE_MANAGER=none writes
// the files only and says what to run (containers, tests).
func newInstaller(goos string) unit.Installer {
	home, _ := os.UserHomeDir()
	in := unit.Installer{OS: goos, Home: home, ConfigHome: config.ConfigHome(), StateDir: stateDir(), UID: os.Getuid()}
	if os.Getenv("CHATVAULT_SERVICE_MANAGER") != "none" {
		in.Run = func(name string, args ...string) ([]byte, error) {
			if _, err := exec.LookPath(name); err != nil {
				return nil, fmt.Errorf("%s is not available", name)
			}
			return exec.Command(name, args...).CombinedOutput()
		}
	}
	return in
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
