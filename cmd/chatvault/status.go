package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/schedule"
	"github.com/chatvault/chatvault/schedule/watch"
)

// exitBackupsFailing is status's answer for scripts and monitoring: some vault's backups keep
// failing or are overdue. (Defined here rather than in exitcodes.go, which other commands own.)
const exitBackupsFailing = 16

func newStatusCommand(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "status",
		Short: "How automatic backups and watched folders are doing",
		Long: `Show how automatic backups are doing: per vault the last backup (when, result, size, snapshot),
the next run, failures in a row and the last error; per watched folder the last import and the
files left alone (not chat exports, or already imported under another name).

A vault is failing when its backups failed ` + fmt.Sprint(schedule.FailLimit) + ` times in a row, or none succeeded for two periods of
the schedule (two days for a daily one), whatever the cause: a destination out of reach, a
password that no longer works, a timer that never fires. Then status says so in one line and
exits with status 16, for scripts and monitoring.

EXIT STATUS
  0   backups are fine (or no schedule is set)
  1   failure reading the settings or the state
  16  backups to some vault are failing or overdue`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runStatus(g, asJSON, time.Now()) },
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// statusReport is what `status --json` prints.
type statusReport struct {
	Error     *failure       `json:"error,omitempty"` // set with exit status 16, as every --json failure is
	Schedule  *scheduleInfo  `json:"schedule"`
	LastRun   time.Time      `json:"last_run,omitzero"`
	LastRunBy string         `json:"last_run_by,omitempty"`
	Vaults    []vaultStatus  `json:"vaults"`
	Folders   []folderStatus `json:"watched_folders"`
	// Problems are the reasons for exit status 16, one plain sentence each.
	Problems []string `json:"problems"`
	// Warnings need attention but are not failures yet.
	Warnings []string `json:"warnings"`
	Log      string   `json:"log"`
}

type vaultStatus struct {
	Name      string `json:"name"`
	Scheduled bool   `json:"scheduled"`
	*schedule.VaultState
	NextRun  time.Time `json:"next_run,omitzero"`
	DueNow   bool      `json:"due_now,omitempty"`
	DueSince time.Time `json:"due_since,omitzero"`
	Retrying bool      `json:"retrying,omitempty"`
	Failing  bool      `json:"failing"`
	Problem  string    `json:"problem,omitempty"`
}

type folderStatus struct {
	Path         string       `json:"path"`
	LastScan     time.Time    `json:"last_scan,omitzero"`
	LastImport   time.Time    `json:"last_import,omitzero"`
	LastImported string       `json:"last_imported,omitempty"`
	Error        string       `json:"error,omitempty"`
	Imported     []watch.File `json:"imported"`
	LeftAlone    []watch.File `json:"left_alone"`
	Failed       []watch.File `json:"failed"`
}

func gatherStatus(g *globals, now time.Time) (*statusReport, error) {
	s, c, err := g.scheduleSettings()
	if err != nil {
		return nil, err
	}
	info := gatherSchedule(s, c)
	st, err := schedule.ReadState(filepath.Join(stateDir(), schedule.StateFile))
	if err != nil {
		return nil, err
	}
	rep := &statusReport{Schedule: info, LastRun: st.LastRun, LastRunBy: st.LastRunBy, Log: logPath(),
		Vaults: []vaultStatus{}, Folders: []folderStatus{}, Problems: []string{}, Warnings: []string{}}
	var since time.Time
	if c.Schedule != nil {
		since = c.Schedule.Since
	}
	names := c.VaultNames()
	for _, m := range info.Missing {
		rep.Problems = append(rep.Problems, fmt.Sprintf("vault %s is in the schedule but not configured (chatvault vault add %s DESTINATION)", m, m))
	}
	for _, name := range names {
		vs := vaultStatus{Name: name, Scheduled: slices.Contains(s.Vaults, name), VaultState: st.Vaults[name]}
		if vs.Scheduled && s.Plan.Kind != schedule.Off {
			v := vs.VaultState
			if v == nil {
				v = &schedule.VaultState{Since: since}
			}
			d := s.Plan.Decide(now, v)
			vs.NextRun, vs.DueNow, vs.DueSince, vs.Retrying = d.Next, d.Due, d.Since, d.Retrying
			if h := s.Plan.Judge(now, vs.VaultState, since); h.Failing {
				vs.Failing, vs.Problem = true, h.Reason
				p := fmt.Sprintf("vault %s: %s", name, h.Reason)
				if vs.VaultState != nil && vs.LastError != "" && !vs.LastErrorAt.Before(vs.LastSuccess) {
					p += " (last error: " + vs.LastError + ")"
				}
				rep.Problems = append(rep.Problems, p)
			}
		}
		rep.Vaults = append(rep.Vaults, vs)
	}
	for _, dir := range s.Folders {
		fs := folderStatus{Path: dir, Imported: []watch.File{}, LeftAlone: []watch.File{}, Failed: []watch.File{}}
		if f := st.Watch.Folders[dir]; f != nil {
			fs.LastScan, fs.LastImport, fs.LastImported, fs.Error = f.LastScan, f.LastImport, f.LastImported, f.Error
			for _, file := range f.Files {
				switch file.Result {
				case watch.Imported:
					fs.Imported = append(fs.Imported, *file)
				case watch.Failed:
					fs.Failed = append(fs.Failed, *file)
				default:
					fs.LeftAlone = append(fs.LeftAlone, *file)
				}
			}
		}
		for _, l := range [][]watch.File{fs.Imported, fs.LeftAlone, fs.Failed} {
			sort.Slice(l, func(i, j int) bool { return l[i].Name < l[j].Name })
		}
		rep.Folders = append(rep.Folders, fs)
	}
	active := s.Plan.Kind != schedule.Off || len(s.Folders) > 0
	daemonAlive := st.LastRunBy == "daemon" && now.Sub(st.LastRun) < 10*time.Minute
	if active && info.Installed == "" && !daemonAlive {
		rep.Warnings = append(rep.Warnings, "nothing starts scheduled runs on this computer: run `chatvault schedule install` (or `chatvault daemon` on a server)")
	}
	return rep, nil
}

func runStatus(g *globals, asJSON bool, now time.Time) error {
	rep, err := gatherStatus(g, now)
	if err != nil {
		return err
	}
	if asJSON {
		if len(rep.Problems) > 0 {
			rep.Error = &failure{Kind: exitKind(exitBackupsFailing), Message: "backups are failing: " + strings.Join(rep.Problems, "; "), ExitStatus: exitBackupsFailing}
		}
		if err := printJSON(g.stdout, rep); err != nil {
			return err
		}
	} else {
		loc, err := g.location()
		if err != nil {
			return err
		}
		printStatus(g.stdout, rep, loc)
		for _, w := range rep.Warnings {
			fmt.Fprintf(g.stderr, "chatvault: warning: %s\n", w)
		}
	}
	if len(rep.Problems) > 0 {
		fmt.Fprintf(g.stderr, "chatvault: backups are failing: %s\n", strings.Join(rep.Problems, "; "))
		return &silentError{exitBackupsFailing}
	}
	return nil
}

func printStatus(w io.Writer, rep *statusReport, loc *time.Location) {
	sc := rep.Schedule
	fmt.Fprintf(w, "Schedule: %s", sc.Plan)
	if sc.Installed != "" {
		fmt.Fprintf(w, ", started by %s", sc.Installed)
	}
	fmt.Fprintln(w)
	if !rep.LastRun.IsZero() {
		fmt.Fprintf(w, "Last run: %s (%s)\n", formatTime(rep.LastRun, loc), rep.LastRunBy)
	} else {
		fmt.Fprintln(w, "Last run: never")
	}
	if len(rep.Vaults) == 0 {
		fmt.Fprintln(w, "\nNo vaults: chatvault vault add NAME DESTINATION")
	}
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "  %-13s %s\n", label, fmt.Sprintf(format, args...))
	}
	for _, v := range rep.Vaults {
		fmt.Fprintf(w, "\n%s", v.Name)
		if !v.Scheduled {
			fmt.Fprint(w, " (not in the schedule)")
		}
		fmt.Fprintln(w)
		st := v.VaultState
		if st == nil || st.LastSuccess.IsZero() {
			line("last backup", "never")
		} else {
			line("last backup", "%s, ok, %s, snapshot %s, took %s", formatTime(st.LastSuccess, loc), formatBytes(st.Bytes), shortID(st.Snapshot), st.Took.Round(100*time.Millisecond))
		}
		if st != nil && st.Failures > 0 {
			line("last attempt", "%s, failed (%d in a row)", formatTime(st.LastAttempt, loc), st.Failures)
		}
		if st != nil && st.LastError != "" && !st.LastErrorAt.Before(st.LastSuccess) {
			line("last error", "%s: %s", formatTime(st.LastErrorAt, loc), sanitizeTerminal(st.LastError))
		}
		switch {
		case v.Retrying:
			line("next run", "%s (retry)", formatTime(v.NextRun, loc))
		case v.DueNow:
			line("next run", "due since %s: at the next start of chatvault's timer or daemon", formatTime(v.DueSince, loc))
		case !v.NextRun.IsZero():
			line("next run", "%s", formatTime(v.NextRun, loc))
		}
		if v.Failing {
			line("FAILING", "%s", v.Problem)
		}
	}
	for _, f := range rep.Folders {
		fmt.Fprintf(w, "\nWatched folder %s\n", sanitizeTerminal(f.Path))
		if f.Error != "" {
			line("cannot read", "%s", sanitizeTerminal(f.Error))
		}
		if f.LastImport.IsZero() {
			line("last import", "none yet")
		} else {
			line("last import", "%s, %s", formatTime(f.LastImport, loc), sanitizeTerminal(f.LastImported))
		}
		listFiles(w, "left alone", f.LeftAlone)
		listFiles(w, "failed", f.Failed)
	}
	fmt.Fprintf(w, "\nLog: %s\n", rep.Log)
}

// listFiles lists up to 10 files with why; --json has them all.
func listFiles(w io.Writer, label string, files []watch.File) {
	const shown = 10
	for i, f := range files {
		if i == shown {
			fmt.Fprintf(w, "  %-13s ... and %d more (--json lists them)\n", "", len(files)-shown)
			break
		}
		why := string(f.Result)
		if f.Reason != "" {
			why += ": " + f.Reason
		}
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(w, "  %-13s %s (%s)\n", label, sanitizeTerminal(f.Name), sanitizeTerminal(why))
	}
}
