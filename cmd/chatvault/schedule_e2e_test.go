package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/dump"
	"github.com/chatvault/chatvault/internal/demo"
	"github.com/chatvault/chatvault/schedule"
	"github.com/chatvault/chatvault/schedule/watch"
	"github.com/chatvault/chatvault/vault"
)

// scheduleEnv is a user's machine in a temporary folder: settings, archive, state, a vault on
// a "USB drive" and a Downloads folder.
type scheduleEnv struct {
	t                           *testing.T
	dir, cfg, archive, dest, dl string
	g                           *globals
	out                         bytes.Buffer
}

func newScheduleEnv(t *testing.T) *scheduleEnv {
	e := &scheduleEnv{t: t, dir: t.TempDir()}
	e.cfg = filepath.Join(e.dir, "config.toml")
	e.archive = filepath.Join(e.dir, "archive")
	e.dest = filepath.Join(e.dir, "usb", "chatvault")
	e.dl = filepath.Join(e.dir, "Downloads")
	for k, v := range map[string]string{"HOME": e.dir, "XDG_STATE_HOME": filepath.Join(e.dir, "state"),
		"XDG_CACHE_HOME": filepath.Join(e.dir, "cache"), "XDG_CONFIG_HOME": filepath.Join(e.dir, "config"),
		"CHATVAULT_PASSWORD": "correct horse battery", "CHATVAULT_TZ": "UTC", "CHATVAULT_SERVICE_MANAGER": "none"} {
		t.Setenv(k, v)
	}
	os.MkdirAll(e.dl, 0o700)
	os.MkdirAll(filepath.Dir(e.dest), 0o700)
	e.g = &globals{stdin: strings.NewReader(""), stdout: &e.out, stderr: &e.out, archiveFlag: e.archive, configFlag: e.cfg}
	return e
}

// cli runs a chatvault command as the user would, and returns its exit status and output.
func (e *scheduleEnv) cli(args ...string) (int, string) {
	var out bytes.Buffer
	code := run(append([]string{"--config", e.cfg, "--archive", e.archive}, args...), strings.NewReader(""), &out, &out)
	return code, out.String()
}

func (e *scheduleEnv) mustCLI(args ...string) string {
	e.t.Helper()
	code, out := e.cli(args...)
	if code != 0 {
		e.t.Fatalf("chatvault %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

func (e *scheduleEnv) writeExport(name string, followUp bool) {
	e.t.Helper()
	if err := writeDemoExport(filepath.Join(e.dl, name), followUp); err != nil {
		e.t.Fatal(err)
	}
}

// A week of a daily schedule with real imports and real backups into a local vault, driven by
// a simulated clock. The timer wakes chatvault every hour and at 02:30; the machine is off from
// Wednesday 00:00 to Friday 08:00; on Saturday the USB drive is unplugged for a few hours. The
// backups run on the right days, once on return from two days off (not once per missed day),
// failures are retried with backoff and reported (status exits 16 after three), retention
// keeps the vault at its limit, and status reports each run. A longer export downloaded on
// Friday is imported once it is complete, and its copy under another name is not imported
// again.
func TestScheduledWeekEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("real backups: skipped with -short")
	}
	e := newScheduleEnv(t)
	ctx := context.Background()

	// Setup, as the user does it once.
	first := filepath.Join(e.dir, "exports", demo.ExportName)
	if err := writeDemoExport(first, false); err != nil {
		t.Fatal(err)
	}
	e.mustCLI("import", first)
	e.mustCLI("vault", "add", "usb", e.dest)
	e.mustCLI("init", "usb")
	e.mustCLI("schedule", "set", "daily", "--at", "02:30")
	e.mustCLI("watch", "add", e.dl)
	setRetention(t, e.dest, vault.Retention{KeepLatest: 3})
	os.WriteFile(filepath.Join(e.dl, "boarding pass.pdf"), []byte("%PDF-1.4 not a chat"), 0o600)

	monday := time.Date(2024, 5, 6, 0, 0, 0, 0, time.Local)
	at := func(day int, hhmm string) time.Time {
		var h, m int
		fmt.Sscanf(hhmm, "%d:%d", &h, &m)
		return monday.AddDate(0, 0, day).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	clock := schedule.NewManualClock(at(0, "03:00"))
	r := e.g.newRunner(clock, nil, 0)

	var backups []string // "Mon 03:00 ok" per backup attempt
	events := map[time.Time]func(){
		at(4, "12:00"): func() { e.writeExport(demo.ExportName, true) }, // the longer export, downloaded
		at(4, "14:00"): func() { e.writeExport("WhatsApp Chat with Family Trip (1).zip", true) },
		at(5, "00:00"): func() { os.Rename(e.dest, e.dest+".unplugged") },
		at(5, "04:30"): func() { os.Rename(e.dest+".unplugged", e.dest) },
	}
	var failingStatus string
	for now := at(0, "03:00"); now.Before(at(7, "00:00")); now = now.Add(30 * time.Minute) {
		if ev := events[now]; ev != nil {
			ev()
		}
		if now.Minute() == 30 && now.Hour() != 2 {
			continue // the timer: every hour, and at 02:30
		}
		if !now.Before(at(2, "00:00")) && now.Before(at(4, "08:00")) {
			continue // the machine is off
		}
		clock.Set(now)
		s, _, err := e.g.scheduleSettings()
		if err != nil {
			t.Fatal(err)
		}
		rep, err := r.Pass(ctx, s, schedule.PassOptions{By: "timer"})
		if err != nil {
			t.Fatalf("%s: %v", now.Format("Mon 15:04"), err)
		}
		st, err := gatherStatus(e.g, now)
		if err != nil {
			t.Fatal(err)
		}
		usb := st.Vaults[0]
		for _, b := range rep.Backups {
			result := "ok"
			if !b.OK {
				result = fmt.Sprintf("failed %d", b.Failures)
			}
			backups = append(backups, now.Format("Mon 15:04")+" "+result)
			// Status reports every run as it happened.
			if !usb.LastAttempt.Equal(now) || usb.Result != map[bool]string{true: "ok", false: "failed"}[b.OK] ||
				(b.OK && (usb.Snapshot != b.Snapshot || usb.Bytes <= 0 || usb.Failures != 0)) {
				t.Errorf("%s: status after the run: %+v", now.Format("Mon 15:04"), *usb.VaultState)
			}
		}
		if now.Equal(at(5, "04:00")) {
			var buf bytes.Buffer
			g := *e.g
			g.stdout, g.stderr = &buf, &buf
			err := runStatus(&g, false, now)
			failingStatus = buf.String()
			if exitCode(err) != exitBackupsFailing {
				t.Errorf("status after three failures: exit %d, want %d\n%s", exitCode(err), exitBackupsFailing, buf.String())
			}
		}
	}

	want := []string{
		"Mon 03:00 ok", // the first run: never backed up
		"Tue 02:30 ok",
		"Fri 08:00 ok",                                                   // back after two days off: one catch-up backup
		"Sat 02:30 failed 1", "Sat 03:00 failed 2", "Sat 04:00 failed 3", // drive unplugged, retried with backoff
		"Sat 05:00 ok",
		"Sun 02:30 ok",
	}
	if strings.Join(backups, "\n") != strings.Join(want, "\n") {
		t.Errorf("backups:\n%s\nwant:\n%s", strings.Join(backups, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(failingStatus, "chatvault: backups are failing: vault usb: failed 3 times in a row (last error: vault usb") ||
		!strings.Contains(failingStatus, "last attempt  2024-05-11 04:00, failed (3 in a row)") {
		t.Errorf("status while failing:\n%s", failingStatus)
	}

	// Retention: five backups were made; the vault's rule keeps the latest three, and the
	// latest holds the longer export imported from Downloads on Friday.
	v := openTestVault(t, e.dest)
	snaps, err := v.Snapshots(ctx, vault.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 3 {
		t.Errorf("%d snapshots in the vault, want 3 (retention: keep the latest 3 of 5)", len(snaps))
	}
	if m := manifestOf(t, v, snaps[len(snaps)-1].ID); m.Counts.Messages != demo.Messages()+2 {
		t.Errorf("last snapshot holds %d messages, want %d (the longer export included)", m.Counts.Messages, demo.Messages()+2)
	}

	// Status at the end: fine, with each watched file's fate.
	st, err := gatherStatus(e.g, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	usb := st.Vaults[0]
	if len(st.Problems) != 0 || !usb.LastSuccess.Equal(at(6, "02:30")) || usb.Snapshot != snaps[len(snaps)-1].ID ||
		!usb.NextRun.Equal(at(7, "02:30")) || usb.LastForget.IsZero() || usb.LastMaint.IsZero() {
		t.Errorf("final status: problems %v, usb %+v next %s", st.Problems, *usb.VaultState, usb.NextRun)
	}
	f := st.Folders[0]
	results := map[string]string{}
	for _, l := range [][]watch.File{f.Imported, f.LeftAlone, f.Failed} {
		for _, file := range l {
			results[file.Name] = string(file.Result)
		}
	}
	wantFiles := fmt.Sprint(map[string]string{demo.ExportName: "imported", "WhatsApp Chat with Family Trip (1).zip": "already imported", "boarding pass.pdf": "not a chat export"})
	if fmt.Sprint(results) != wantFiles || !f.LastImport.Equal(at(4, "13:00")) {
		t.Errorf("watched folder: %v, last import %s; want %s at Fri 13:00", results, f.LastImport, wantFiles)
	}
	log, _ := os.ReadFile(logPath())
	if n := strings.Count(string(log), `msg="backup done"`); n != 5 {
		t.Errorf("log has %d backups, want 5:\n%s", n, log)
	}
	if strings.Contains(string(log), "passport") || strings.Contains(string(log), "Dora") {
		t.Error("the log holds message text or names")
	}
	var out bytes.Buffer
	g := *e.g
	g.stdout = &out
	var js statusReport
	if err := runStatus(&g, true, clock.Now()); err != nil || json.Unmarshal(out.Bytes(), &js) != nil || len(js.Vaults) != 1 {
		t.Errorf("status --json: %v\n%s", err, out.String())
	}
}

func setRetention(t *testing.T, dest string, r vault.Retention) {
	v := openTestVault(t, dest)
	if err := v.SetRetention(context.Background(), r); err != nil {
		t.Fatal(err)
	}
}

func openTestVault(t *testing.T, dest string) *vault.Vault {
	t.Helper()
	d, err := vault.ParseDestination(dest, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := vault.Open(context.Background(), d, vault.Password(os.Getenv("CHATVAULT_PASSWORD")),
		vault.OpenOptions{CacheDir: t.TempDir(), LogOutput: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close(context.Background()) })
	return v
}

func manifestOf(t *testing.T, v *vault.Vault, id string) dump.Manifest {
	t.Helper()
	r, err := v.OpenSnapshot(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	f, _, err := r.Open(context.Background(), "manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var m dump.Manifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}
