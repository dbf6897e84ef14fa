package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/config"
	"github.com/chatvault/chatvault/internal/logfile"
	"github.com/chatvault/chatvault/schedule"
	"github.com/chatvault/chatvault/schedule/watch"
)

// stateDir holds the schedule state, the run lock and the log.
func stateDir() string { return filepath.Join(config.StateHome(), "chatvault") }

func logPath() string { return filepath.Join(stateDir(), "chatvault.log") }

// runOptions are shared by `run` and `daemon`.
type runOptions struct {
	scheduled bool
	now       bool
	settle    time.Duration
}

func newRunCommand(g *globals) *cobra.Command {
	o := &runOptions{}
	c := &cobra.Command{
		Use:   "run",
		Short: "Do one scheduled pass now: import watched folders, back up the vaults that are due",
		Long: `Do one scheduled pass: import the chat exports that appeared in watched folders (waiting for
files still being downloaded), back up each vault of the schedule that is due (or missed a run
while this computer was off: once, however many runs were missed), apply each vault's
retention rule, and run the vault's maintenance once a day.

The timer that ` + "`chatvault schedule install`" + ` sets up starts ` + "`chatvault run --scheduled`" + `. Run it by hand to
catch up now; --now backs up every vault of the schedule whether due or not.

Only one pass runs at a time: a pass that finds another running (the timer, the daemon, you)
says so and does nothing.` + runExitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPass(cmd.Context(), g, o)
		},
	}
	f := c.Flags()
	f.BoolVar(&o.scheduled, "scheduled", false, "started by a timer: quiet when nothing happened, and a pass already running is not an error")
	f.BoolVar(&o.now, "now", false, "back up every vault of the schedule now, due or not")
	f.DurationVar(&o.settle, "settle", 0, "how long a watched file must stay unchanged before it counts as complete (default 10s)")
	f.MarkHidden("settle")
	return c
}

const runExitHelp = `

EXIT STATUS
  0   success (or, with --scheduled, another pass was already running)
  1   a backup failed (it is retried with backoff; see chatvault status)
  11  another pass is running`

func newDaemonCommand(g *globals) *cobra.Command {
	o := &runOptions{}
	c := &cobra.Command{
		Use:   "daemon",
		Short: "Run schedules and watched folders in the foreground (servers, containers)",
		Long: `Run the schedule and watch folders in the foreground until stopped, for servers and containers
where no timer starts chatvault. It backs up each vault when due, catches up once on runs
missed while the machine slept, retries unreachable destinations with backoff, and imports
chat exports that appear in watched folders once they are complete. Changes made with
` + "`chatvault schedule set`" + ` and ` + "`chatvault watch add`" + ` take effect within a minute.

Each event is logged to stderr and to the log file ($XDG_STATE_HOME/chatvault/chatvault.log).
On a desktop, prefer ` + "`chatvault schedule install`" + `: the system starts chatvault only when needed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDaemon(cmd.Context(), g, o)
		},
	}
	c.Flags().DurationVar(&o.settle, "settle", 0, "how long a watched file must stay unchanged before it counts as complete (default 10s)")
	c.Flags().MarkHidden("settle")
	return c
}

// scheduleSettings reads the schedule, its vaults and the watched folders from the settings file
// afresh (the daemon sees changes without a restart).
func (g *globals) scheduleSettings() (schedule.Settings, *config.Config, error) {
	c, err := config.Load(g.configPath())
	if err != nil {
		return schedule.Settings{}, nil, err
	}
	var s schedule.Settings
	if c.Schedule != nil {
		if s.Plan, err = schedule.Parse(c.Schedule.Every, c.Schedule.At, c.Schedule.On, time.Local); err != nil {
			return s, c, fmt.Errorf("settings file %s, [schedule]: %w", g.configPath(), err)
		}
		s.Vaults = c.Schedule.Vaults
	} else {
		s.Plan = schedule.Plan{Kind: schedule.Off, Loc: time.Local}
	}
	if len(s.Vaults) == 0 {
		s.Vaults = c.VaultNames()
	}
	for _, w := range c.Watch {
		s.Folders = append(s.Folders, watchedPath(w.Path))
	}
	return s, c, nil
}

// newRunner builds the runner around the real import and backup code.
func (g *globals) newRunner(clock schedule.Clock, logTo io.Writer, settle time.Duration) *schedule.Runner {
	var w io.Writer = logfile.New(logPath())
	if logTo != nil {
		w = io.MultiWriter(w, logTo)
	}
	return &schedule.Runner{
		Clock:  clock,
		Jobs:   &cliJobs{g: g},
		Dir:    stateDir(),
		Log:    logfile.Logger(w),
		Settle: settle,
	}
}

func runPass(ctx context.Context, g *globals, o *runOptions) error {
	s, _, err := g.scheduleSettings()
	if err != nil {
		return err
	}
	by := "manual"
	if o.scheduled {
		by = "timer"
	}
	r := g.newRunner(schedule.SystemClock{}, nil, o.settle)
	rep, err := r.Pass(ctx, s, schedule.PassOptions{By: by, Now: o.now, Wait: true})
	if schedule.IsBusy(err) {
		if o.scheduled {
			fmt.Fprintf(g.stdout, "%s\n", oneLine(err))
			return nil
		}
		return withCode(err, exitLocked)
	}
	if rep != nil {
		printPass(g, rep, s, !o.scheduled)
	}
	if err != nil {
		return err
	}
	if n := failedBackups(rep); n > 0 {
		return &silentError{exitFailure}
	}
	return nil
}

func runDaemon(ctx context.Context, g *globals, o *runOptions) error {
	s, _, err := g.scheduleSettings()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "chatvault daemon: schedule %s, %s, %s; log %s\n", s.Plan, countOf(len(s.Vaults), "vault"),
		countOf(len(s.Folders), "watched folder"), logPath())
	r := g.newRunner(schedule.SystemClock{}, g.stderr, o.settle)
	err = r.Daemon(ctx, schedule.DaemonOptions{
		Settings: func() (schedule.Settings, error) {
			s, _, err := g.scheduleSettings()
			return s, err
		},
	})
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(g.stderr, "chatvault daemon: stopped")
		return nil
	}
	return err
}

func failedBackups(rep *schedule.Report) int {
	n := 0
	for _, b := range rep.Backups {
		if !b.OK {
			n++
		}
	}
	return n
}

// printPass tells what a pass did. A timer's pass (verbose false) is quiet when nothing
// happened: its output goes to the system journal.
func printPass(g *globals, rep *schedule.Report, s schedule.Settings, verbose bool) {
	w := g.stdout
	if rep.Note != "" {
		fmt.Fprintf(w, "Note: %s\n", rep.Note)
	}
	for _, f := range rep.Decided {
		name := sanitizeTerminal(f.Path)
		switch f.Result {
		case watch.Imported:
			fmt.Fprintf(w, "Imported %s (%s): %s new messages\n", name, f.Format, formatCount(int64(f.Messages)))
		case watch.Failed:
			fmt.Fprintf(w, "Could not import %s: %s\n", name, sanitizeTerminal(f.Reason))
		default:
			fmt.Fprintf(w, "Left alone %s: %s\n", name, f.Result)
		}
	}
	if rep.Pending > 0 {
		fmt.Fprintf(w, "%s in watched folders still being written: imported by a later run.\n", countOf(rep.Pending, "file"))
	}
	for _, b := range rep.Backups {
		if b.OK {
			fmt.Fprintf(w, "Backed up to %s: snapshot %s, %s, %s", b.Vault, shortID(b.Snapshot), formatBytes(b.Bytes), b.Took.Round(100*time.Millisecond))
			if !b.Since.IsZero() && b.Since.Before(s.Plan.Prev(time.Now())) {
				fmt.Fprintf(w, " (catching up: due since %s)", formatTime(b.Since, time.Local))
			}
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintf(w, "Backup to %s failed", b.Vault)
		if b.Failures > 0 {
			fmt.Fprintf(w, " (%d in a row; next try %s)", b.Failures, formatTime(b.NextRetry, time.Local))
		}
		fmt.Fprintf(w, ": %s\n", b.Error)
	}
	if !verbose {
		return
	}
	for _, l := range rep.Later {
		switch {
		case l.Retrying:
			fmt.Fprintf(w, "%s: waiting to retry after failures, next try %s\n", l.Vault, formatTime(l.Next, time.Local))
		case l.Next.IsZero():
			fmt.Fprintf(w, "%s: no backup scheduled (chatvault schedule set daily)\n", l.Vault)
		default:
			fmt.Fprintf(w, "%s: not due, next backup %s\n", l.Vault, formatTime(l.Next, time.Local))
		}
	}
	if len(s.Vaults) == 0 {
		fmt.Fprintln(w, "No vault to back up to: add one with `chatvault vault add NAME DESTINATION`.")
	}
}

// cliJobs does a scheduled run's work with the same code as the commands.
type cliJobs struct{ g *globals }

func (j *cliJobs) Detect(path string) (string, bool) {
	im, err := importer.Detect(importer.LocalSource(path))
	if err != nil {
		return "", false
	}
	return im.Name(), true
}

func (j *cliJobs) Import(ctx context.Context, path string) (watch.Outcome, error) {
	src := importer.LocalSource(path)
	im, err := importer.Detect(src)
	if err != nil {
		return watch.Outcome{}, err
	}
	loc, err := j.g.location()
	if err != nil {
		return watch.Outcome{}, err
	}
	a, err := j.g.openArchive(ctx)
	if err != nil {
		return watch.Outcome{}, busyLater(err)
	}
	defer a.Close()
	defer importer.TuneGC()()
	// RunSource, so a container (an iPhone backup) is expanded into its apps. Secrets come from
	// the environment (CHATVAULT_BACKUP_PASSWORD) or, when run from a terminal, a prompt.
	opts := importer.Options{TZ: loc, MaxMediaBytes: importer.DefaultMaxMediaBytes, Secrets: &importerFlags{}}
	reps, _, err := importer.RunSource(ctx, a, im, src, opts, false)
	if err != nil {
		return watch.Outcome{}, busyLater(err)
	}
	out := watch.Outcome{Format: im.Name()}
	for _, rep := range reps {
		out.MessagesAdded += rep.MessagesAdded
		out.MessagesPresent += rep.MessagesPresent
	}
	return out, nil
}

// busyLater marks an archive another process is writing as a reason to try again, not a bad
// file.
func busyLater(err error) error {
	if errors.Is(err, archive.ErrBusy) {
		return fmt.Errorf("%w: %w", watch.ErrTryLater, err)
	}
	return err
}

// A scheduled backup is exactly `chatvault backup --to VAULT`, retention is `chatvault forget
// VAULT` with the vault's own rule, and maintenance is kopia's automatic cycle (schedule_hooks.go).
func (j *cliJobs) Backup(ctx context.Context, name string) (schedule.BackupResult, error) {
	return backupForSchedule(ctx, j.quiet(), name)
}

func (j *cliJobs) Forget(ctx context.Context, name string) error {
	return forgetForSchedule(ctx, j.quiet(), name)
}

func (j *cliJobs) Maintain(ctx context.Context, name string) error {
	return maintainForSchedule(ctx, j.quiet(), name)
}

// quiet is the globals for the commands a run calls: their own output would only clutter the
// run's report (and a timer's journal); the report and the log say what happened.
func (j *cliJobs) quiet() *globals {
	q := *j.g
	q.stdout, q.stderr, q.stdin = io.Discard, io.Discard, strings.NewReader("")
	return &q
}

// watchedPath makes a configured folder absolute, so state and unit files name it one way.
func watchedPath(p string) string {
	p = config.ExpandHome(p)
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return filepath.Clean(p)
}

// scheduledVaults are the vaults the plan backs up, in order, with those missing from the
// settings named.
func scheduledVaults(s schedule.Settings, c *config.Config) (ok, missing []string) {
	for _, v := range s.Vaults {
		if _, found := c.Vaults[v]; found {
			ok = append(ok, v)
		} else {
			missing = append(missing, v)
		}
	}
	slices.Sort(ok)
	return ok, missing
}
