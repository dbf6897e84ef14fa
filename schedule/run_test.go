package schedule

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatvault/chatvault/schedule/watch"
)

// recorder is a Jobs that records calls, for testing the planner alone. The end-to-end test with
// real imports and backups lives in cmd/chatvault.
type recorder struct {
	clock Clock
	mu    sync.Mutex
	calls []string
	fail  func(vault string) error
}

func (r *recorder) record(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, r.clock.Now().Format("Mon 15:04")+" "+fmt.Sprintf(format, args...))
}

func (r *recorder) Detect(string) (string, bool) { return "", false }
func (r *recorder) Import(context.Context, string) (watch.Outcome, error) {
	return watch.Outcome{}, errors.New("unexpected import")
}

func (r *recorder) Backup(_ context.Context, vault string) (BackupResult, error) {
	if r.fail != nil {
		if err := r.fail(vault); err != nil {
			r.record("backup %s failed", vault)
			return BackupResult{}, err
		}
	}
	r.record("backup %s", vault)
	return BackupResult{Snapshot: "k" + vault, Bytes: 1000}, nil
}

func (r *recorder) Forget(_ context.Context, vault string) error {
	r.record("forget %s", vault)
	return nil
}

func (r *recorder) Maintain(_ context.Context, vault string) error {
	r.record("maintain %s", vault)
	return nil
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.calls
	r.calls = nil
	return c
}

// monday is 2024-05-06 00:00 UTC, a Monday.
var monday = time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)

func newTestRunner(t *testing.T, clock Clock, jobs Jobs) *Runner {
	return &Runner{Clock: clock, Jobs: jobs, Dir: t.TempDir()}
}

func dailyPlan(t *testing.T) Plan {
	p, err := Parse("daily", "02:30", "", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A timer wakes chatvault every hour and at 02:30 over a week; the machine is off from Wednesday
// 00:00 until Friday 08:00. The backup runs each day at 02:30, once (not twice, not once per
// missed day) when the machine comes back, with retention after each backup and maintenance at
// most once a day.
func TestWeekWithMachineOff(t *testing.T) {
	clock := NewManualClock(monday)
	jobs := &recorder{clock: clock}
	r := newTestRunner(t, clock, jobs)
	s := Settings{Plan: dailyPlan(t), Vaults: []string{"usb"}}
	offFrom, offUntil := monday.AddDate(0, 0, 2), monday.AddDate(0, 0, 4).Add(8*time.Hour)
	var caughtUp []BackupRun
	for now := monday; now.Before(monday.AddDate(0, 0, 7)); now = now.Add(30 * time.Minute) {
		if now.Minute() == 30 && now.Hour() != 2 {
			continue // the timer fires on the hour, and at the plan's 02:30
		}
		if !now.Before(offFrom) && now.Before(offUntil) {
			continue // machine off
		}
		clock.Set(now)
		rep, err := r.Pass(context.Background(), s, PassOptions{By: "timer"})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range rep.Backups {
			if b.Since.Before(s.Plan.Prev(now)) {
				caughtUp = append(caughtUp, b)
			}
		}
	}
	// The first pass (Monday 00:00) backs up at once: the vault never had a backup. Maintenance
	// runs at most once a day, so not at Monday 02:30 nor Saturday 02:30.
	want := []string{
		"Mon 00:00 backup usb", "Mon 00:00 forget usb", "Mon 00:00 maintain usb",
		"Mon 02:30 backup usb", "Mon 02:30 forget usb",
		"Tue 02:30 backup usb", "Tue 02:30 forget usb", "Tue 02:30 maintain usb",
		"Fri 08:00 backup usb", "Fri 08:00 forget usb", "Fri 08:00 maintain usb",
		"Sat 02:30 backup usb", "Sat 02:30 forget usb",
		"Sun 02:30 backup usb", "Sun 02:30 forget usb", "Sun 02:30 maintain usb",
	}
	if got := jobs.take(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(caughtUp) != 1 || !caughtUp[0].Since.Equal(monday.AddDate(0, 0, 2).Add(150*time.Minute)) {
		t.Errorf("caught up %+v, want one backup due since Wednesday 02:30", caughtUp)
	}
	st, err := ReadState(r.StatePath())
	if err != nil {
		t.Fatal(err)
	}
	v := st.Vaults["usb"]
	if v.Result != "ok" || v.Snapshot != "kusb" || !v.LastSuccess.Equal(monday.AddDate(0, 0, 6).Add(150*time.Minute)) {
		t.Errorf("state %+v", v)
	}
	if h := s.Plan.Judge(monday.AddDate(0, 0, 7), v, monday); h.Failing {
		t.Errorf("healthy vault judged failing: %s", h.Reason)
	}
}

// An unreachable destination is retried with growing pauses, never skipped silently; after
// FailLimit failures in a row the vault is judged failing; one success clears it.
func TestRetryWithBackoff(t *testing.T) {
	clock := NewManualClock(monday.Add(150 * time.Minute))
	down := true
	jobs := &recorder{clock: clock, fail: func(string) error {
		if down {
			return errors.New("destination unreachable: /media/usb is not mounted")
		}
		return nil
	}}
	r := newTestRunner(t, clock, jobs)
	s := Settings{Plan: dailyPlan(t), Vaults: []string{"usb"}}
	ctx := context.Background()
	var retries []time.Duration
	for i := 0; i < 5; i++ {
		rep, err := r.Pass(ctx, s, PassOptions{By: "daemon"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Backups) != 1 || rep.Backups[0].OK || rep.Backups[0].Failures != i+1 {
			t.Fatalf("pass %d: %+v", i, rep.Backups)
		}
		retries = append(retries, rep.NextWake.Sub(clock.Now()))
		// Waking before the retry time does nothing.
		clock.Advance(time.Minute)
		if rep, _ := r.Pass(ctx, s, PassOptions{By: "daemon"}); len(rep.Backups) != 0 || !rep.Later[0].Retrying {
			t.Fatalf("pass during backoff backed up: %+v", rep)
		}
		clock.Set(rep.NextWake)
	}
	if fmt.Sprint(retries) != "[5m0s 10m0s 20m0s 40m0s 1h20m0s]" {
		t.Errorf("retry pauses %v", retries)
	}
	st, _ := ReadState(r.StatePath())
	v := st.Vaults["usb"]
	h := s.Plan.Judge(clock.Now(), v, time.Time{})
	if !h.Failing || h.Reason != "failed 5 times in a row" || !strings.Contains(v.LastError, "not mounted") {
		t.Errorf("health %+v, state %+v", h, v)
	}
	down = false
	if rep, err := r.Pass(ctx, s, PassOptions{By: "daemon"}); err != nil || !rep.Backups[0].OK {
		t.Fatalf("recovery: %+v %v", rep, err)
	}
	st, _ = ReadState(r.StatePath())
	if h := s.Plan.Judge(clock.Now(), st.Vaults["usb"], time.Time{}); h.Failing || st.Vaults["usb"].Failures != 0 {
		t.Errorf("after recovery: %+v %+v", h, st.Vaults["usb"])
	}
	if Backoff(20) != 6*time.Hour {
		t.Errorf("backoff is not capped: %v", Backoff(20))
	}
}

// A schedule whose timer never fires is noticed: two periods without a backup make it failing.
func TestJudgeOverdue(t *testing.T) {
	p := dailyPlan(t)
	since := monday
	if h := p.Judge(monday.Add(47*time.Hour), nil, since); h.Failing {
		t.Errorf("failing too early: %s", h.Reason)
	}
	h := p.Judge(monday.Add(49*time.Hour), nil, since)
	if !h.Failing || !strings.Contains(h.Reason, "no backup for 2 days") {
		t.Errorf("not failing after two days without a run: %+v", h)
	}
	v := &VaultState{LastSuccess: monday}
	if h := p.Judge(monday.Add(72*time.Hour), v, since); !h.Failing || !strings.Contains(h.Reason, "last backup 2024-05-06") {
		t.Errorf("overdue vault: %+v", h)
	}
}

func TestLockSkipsOverlappingRun(t *testing.T) {
	clock := NewManualClock(monday)
	jobs := &recorder{clock: clock}
	r := newTestRunner(t, clock, jobs)
	held, err := AcquireLock(r.Dir+"/"+LockFile, "daemon", monday)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Pass(context.Background(), Settings{Plan: dailyPlan(t), Vaults: []string{"usb"}}, PassOptions{By: "timer"})
	if !IsBusy(err) || !strings.Contains(err.Error(), "daemon run, since 2024-05-06 00:00:00") {
		t.Fatalf("overlapping pass: %v", err)
	}
	if calls := jobs.take(); len(calls) != 0 {
		t.Errorf("overlapping pass did work: %v", calls)
	}
	held.Release()
	if _, err := r.Pass(context.Background(), Settings{Plan: dailyPlan(t), Vaults: []string{"usb"}}, PassOptions{By: "timer"}); err != nil {
		t.Fatal(err)
	}
}

// The daemon sleeps until the next slot; when the machine sleeps through two slots (the clock
// jumps), it catches up once on waking.
func TestDaemonCatchesUpAfterSuspend(t *testing.T) {
	clock := NewManualClock(monday.Add(3 * time.Hour))
	jobs := &recorder{clock: clock}
	r := newTestRunner(t, clock, jobs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := Settings{Plan: dailyPlan(t), Vaults: []string{"usb"}}
	done := make(chan error, 1)
	go func() {
		done <- r.Daemon(ctx, DaemonOptions{
			Settings: func() (Settings, error) { return s, nil },
			MaxSleep: 24 * time.Hour,
		})
	}()
	wake := func() time.Time {
		t.Helper()
		w, err := clock.WaitForSleepers(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	if w := wake(); !w.Equal(monday.AddDate(0, 0, 1).Add(150 * time.Minute)) {
		t.Fatalf("daemon sleeps until %s, want Tuesday 02:30", w)
	}
	clock.Set(monday.AddDate(0, 0, 1).Add(150 * time.Minute)) // Tuesday's slot
	wake()
	clock.Set(monday.AddDate(0, 0, 3).Add(9 * time.Hour)) // suspended until Thursday 09:00
	wake()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	want := "Mon 03:00 backup usb|Mon 03:00 forget usb|Mon 03:00 maintain usb|" +
		"Tue 02:30 backup usb|Tue 02:30 forget usb|" +
		"Thu 09:00 backup usb|Thu 09:00 forget usb|Thu 09:00 maintain usb"
	if got := strings.Join(jobs.take(), "|"); got != want {
		t.Errorf("daemon calls:\n%s\nwant\n%s", got, want)
	}
}
