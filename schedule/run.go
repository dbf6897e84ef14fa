package schedule

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chatvault/chatvault/schedule/watch"
)

// Jobs is the real work a run calls; the command line implements it with the importer and vault
// packages, tests with recorders.
type Jobs interface {
	watch.Importer
	// Backup snapshots the archive into the named vault.
	Backup(ctx context.Context, vault string) (BackupResult, error)
	// Forget applies the vault's retention policy.
	Forget(ctx context.Context, vault string) error
	// Maintain runs the vault's repository maintenance (when this machine owns it).
	Maintain(ctx context.Context, vault string) error
}

// BackupResult is what one backup made.
type BackupResult struct {
	Snapshot string
	Bytes    int64 // size of the archive dump the snapshot holds
	Uploaded int64 // bytes sent to the destination
}

// Settings are what the settings file says about automatic runs.
type Settings struct {
	Plan    Plan
	Vaults  []string // the vaults the plan backs up
	Folders []string // watched folders, absolute
}

// Runner runs scheduled passes: import what settled in watched folders, back up each vault that
// is due, apply retention, maintain.
type Runner struct {
	Clock Clock
	Jobs  Jobs
	// Dir holds the state file and the run lock ($XDG_STATE_HOME/chatvault).
	Dir string
	Log *slog.Logger
	// Settle is how long a watched file must stay unchanged (watch.DefaultSettle if 0); Poll is
	// how often folders are looked at while waiting (Settle/2 if 0).
	Settle time.Duration
	Poll   time.Duration
	// MaxWait bounds how long a one-shot run waits for files still being written (10 minutes
	// if 0); they are picked up by a later run otherwise.
	MaxWait time.Duration
	// MaintainEvery is how often maintenance is started (24 hours if 0); kopia itself decides
	// whether a quick or a full cycle is due.
	MaintainEvery time.Duration

	watcher watch.Watcher
}

// PassOptions say how a pass was started.
type PassOptions struct {
	// By names the starter in the state file and the log: "timer", "daemon", "manual".
	By string
	// Now backs up every vault of the plan, due or not (a manual `chatvault run --now`).
	Now bool
	// Wait keeps a one-shot pass polling until files still being written settle (up to
	// MaxWait); the daemon does not wait, it polls again soon anyway.
	Wait bool
}

// Report is what one pass did.
type Report struct {
	Note    string       // the state file was damaged and restarted
	Decided []watch.File // watched files decided in this pass
	Pending int          // watched files still being written
	Backups []BackupRun
	Later   []Later // vaults not due
	// NextWake is when something is next due (a slot, a retry, a watched folder poll).
	NextWake time.Time
}

// BackupRun is one vault's backup in a pass.
type BackupRun struct {
	Vault string
	// Since is the first slot this backup covers: before the latest slot, it caught up on runs
	// missed while the machine was off (one backup, however many slots passed).
	Since     time.Time
	OK        bool
	Snapshot  string
	Bytes     int64
	Took      time.Duration
	Error     string
	Failures  int
	NextRetry time.Time
}

// Later is a vault that was not due.
type Later struct {
	Vault    string
	Next     time.Time
	Retrying bool
}

func (r *Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return r.Log
}

// StatePath is the state file's path.
func (r *Runner) StatePath() string { return filepath.Join(r.Dir, StateFile) }

// Pass runs once. When another run holds the lock it returns an error wrapping ErrBusy and does
// nothing.
func (r *Runner) Pass(ctx context.Context, s Settings, o PassOptions) (*Report, error) {
	lock, err := AcquireLock(filepath.Join(r.Dir, LockFile), o.By, r.Clock.Now())
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	st, note, err := recoverState(r.StatePath())
	if err != nil {
		return nil, err
	}
	rep := &Report{Note: note}
	if note != "" {
		r.log().Warn("state file damaged", "detail", note)
	}
	now := r.Clock.Now()
	// Writing the state on every daemon poll would wear the disk for nothing: the time of the
	// last look is refreshed once a minute unless something else changed.
	dirty := now.Sub(st.LastRun) >= time.Minute || st.LastRunBy != o.By
	st.LastRun, st.LastRunBy = now, o.By
	save := func() error {
		if err := st.Save(r.StatePath()); err != nil {
			r.log().Error("saving state", "err", err)
			return err
		}
		dirty = false
		return nil
	}

	if changed, err := r.watch(ctx, st, s, o, rep, save); err != nil {
		save()
		return rep, err
	} else if changed {
		dirty = true
	}

	for _, name := range s.Vaults {
		if ctx.Err() != nil {
			break
		}
		d := s.Plan.Decide(r.Clock.Now(), st.peek(name, now))
		if !d.Due && !o.Now {
			rep.Later = append(rep.Later, Later{Vault: name, Next: d.Next, Retrying: d.Retrying})
			continue
		}
		rep.Backups = append(rep.Backups, r.backup(ctx, name, st.Vault(name, now), d))
		if err := save(); err != nil {
			return rep, err
		}
	}
	rep.NextWake = r.nextWake(st, s)
	if dirty {
		if err := save(); err != nil {
			return rep, err
		}
	}
	return rep, ctx.Err()
}

// watch polls the watched folders, and in a one-shot pass keeps polling while files are still
// being written, so the backup that follows includes them.
func (r *Runner) watch(ctx context.Context, st *State, s Settings, o PassOptions, rep *Report, save func() error) (bool, error) {
	changed := false
	for dir := range st.Watch.Folders {
		if !slices.Contains(s.Folders, dir) {
			delete(st.Watch.Folders, dir) // no longer watched
			changed = true
		}
	}
	if len(s.Folders) == 0 {
		return changed, nil
	}
	r.watcher.Settle = r.Settle
	var waited time.Duration
	for {
		decided, pending, err := r.watcher.Scan(ctx, &st.Watch, s.Folders, r.Jobs, r.Clock.Now)
		for _, f := range decided {
			r.logFile(f)
		}
		rep.Decided = append(rep.Decided, decided...)
		rep.Pending = pending
		if len(decided) > 0 {
			if err := save(); err != nil {
				return changed, err
			}
		}
		if err != nil || pending == 0 || !o.Wait || waited >= r.maxWait() {
			return changed, err
		}
		if err := r.Clock.Sleep(ctx, r.poll()); err != nil {
			return changed, err
		}
		waited += r.poll()
	}
}

func (r *Runner) logFile(f watch.File) {
	name := logName(f.Path)
	switch f.Result {
	case watch.Imported:
		r.log().Info("imported", "file", name, "format", f.Format, "messages_added", f.Messages)
	case watch.Failed:
		reason := strings.ReplaceAll(f.Reason, f.Path, name)
		reason = strings.ReplaceAll(reason, filepath.Base(f.Path), filepath.Base(name))
		r.log().Warn("import failed", "file", name, "err", reason)
	default:
		r.log().Info("left alone", "file", name, "why", string(f.Result))
	}
}

// logName is how the log names an export: its folder and a fingerprint of its file name, which
// names a person or a group ("WhatsApp Chat with Alice.zip") and so stays out of the log.
// `chatvault status` shows the names.
func logName(path string) string {
	sum := sha256.Sum256([]byte(filepath.Base(path)))
	return filepath.Join(filepath.Dir(path), "export-"+hex.EncodeToString(sum[:4])+filepath.Ext(path))
}

// backup runs one vault's backup, then retention and (when due) maintenance, and records the
// outcome in v.
func (r *Runner) backup(ctx context.Context, name string, v *VaultState, d Decision) BackupRun {
	start := r.Clock.Now()
	run := BackupRun{Vault: name, Since: d.Since}
	v.LastAttempt = start
	res, err := r.Jobs.Backup(ctx, name)
	end := r.Clock.Now()
	if err != nil {
		run.Error = oneLine(err)
		if ctx.Err() != nil {
			// Stopped by the user or a shutdown: not the destination's fault, not counted.
			v.Result = "interrupted"
			r.log().Warn("backup interrupted", "vault", name)
			return run
		}
		v.Failures++
		v.Result, v.LastError, v.LastErrorAt = "failed", run.Error, start
		v.NextRetry = end.Add(Backoff(v.Failures))
		run.Failures, run.NextRetry = v.Failures, v.NextRetry
		r.log().Warn("backup failed", "vault", name, "failures", v.Failures,
			"retry_at", v.NextRetry.Format(time.RFC3339), "err", run.Error)
		return run
	}
	// The slot counts as done from the start: a backup that began at 02:30 covers 02:30.
	v.LastSuccess, v.Result, v.Failures, v.NextRetry = start, "ok", 0, time.Time{}
	v.Snapshot, v.Bytes, v.Uploaded, v.Took = res.Snapshot, res.Bytes, res.Uploaded, end.Sub(start)
	run.OK, run.Snapshot, run.Bytes, run.Took = true, res.Snapshot, res.Bytes, v.Took
	r.log().Info("backup done", "vault", name, "snapshot", res.Snapshot, "bytes", res.Bytes,
		"uploaded", res.Uploaded, "took", v.Took.Round(time.Millisecond).String(),
		"due_since", d.Since.Format(time.RFC3339))

	if err := r.Jobs.Forget(ctx, name); err != nil {
		v.LastError, v.LastErrorAt = "retention: "+oneLine(err), r.Clock.Now()
		r.log().Warn("retention failed", "vault", name, "err", oneLine(err))
	} else {
		v.LastForget = r.Clock.Now()
	}
	if r.Clock.Now().Sub(v.LastMaint) >= r.maintainEvery() {
		if err := r.Jobs.Maintain(ctx, name); err != nil {
			v.LastError, v.LastErrorAt = "maintenance: "+oneLine(err), r.Clock.Now()
			r.log().Warn("maintenance failed", "vault", name, "err", oneLine(err))
		} else {
			v.LastMaint = r.Clock.Now()
			r.log().Info("maintenance done", "vault", name)
		}
	}
	return run
}

// nextWake is the earliest time something is due: a vault's slot or retry, or the next look at
// the watched folders.
func (r *Runner) nextWake(st *State, s Settings) time.Time {
	now := r.Clock.Now()
	var next time.Time
	earlier := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, name := range s.Vaults {
		d := s.Plan.Decide(now, st.peek(name, now))
		if d.Due {
			earlier(now) // failed to run in this pass (interrupted): try again at once
		}
		earlier(d.Next)
	}
	if len(s.Folders) > 0 {
		earlier(now.Add(r.poll()))
	}
	return next
}

func (r *Runner) poll() time.Duration {
	if r.Poll > 0 {
		return r.Poll
	}
	if r.Settle > 0 {
		return r.Settle / 2
	}
	return watch.DefaultSettle / 2
}

func (r *Runner) maxWait() time.Duration {
	if r.MaxWait > 0 {
		return r.MaxWait
	}
	return 10 * time.Minute
}

func (r *Runner) maintainEvery() time.Duration {
	if r.MaintainEvery > 0 {
		return r.MaintainEvery
	}
	return 24 * time.Hour
}

// IsBusy says whether err means another run holds the lock.
func IsBusy(err error) bool { return errors.Is(err, ErrBusy) }

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
