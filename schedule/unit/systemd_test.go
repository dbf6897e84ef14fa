package unit

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/schedule"
)

func plan(t *testing.T, every, at, on string, loc *time.Location) schedule.Plan {
	t.Helper()
	p, err := schedule.Parse(every, at, on, loc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// testSpec starts a real executable (systemd-analyze verify checks that ExecStart's binary
// exists) with awkward arguments: spaces, quotes, a percent sign, a dollar sign.
func testSpec(t *testing.T, p schedule.Plan) Spec {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	return Spec{
		Exe:  exe,
		Args: []string{"--config", filepath.Join(home, "My Settings", `100% "mine" $HOME.toml`), "--archive", filepath.Join(home, "archive"), "run", "--scheduled"},
		Plan: p,
		Wake: time.Hour,
		Watch: []string{
			filepath.Join(home, "Downloads"),
			filepath.Join(home, "Phone exports 100%"),
		},
		Env: map[string]string{"XDG_STATE_HOME": filepath.Join(home, ".local", "state"), "XDG_CACHE_HOME": filepath.Join(home, "cache $dir")},
	}
}

func systemdAnalyze(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not found: apt-get install systemd")
	}
	return p
}

// The generated units pass `systemd-analyze verify` for every kind of plan: it parses every
// setting, the calendar expressions, the quoting, and checks that ExecStart exists. It reports
// problems as text with exit status 0, so any output fails the test.
func TestSystemdUnitsVerify(t *testing.T) {
	analyze := systemdAnalyze(t)
	for _, p := range []schedule.Plan{
		plan(t, "daily", "02:30", "", time.Local),
		plan(t, "weekly", "04:15", "wed", time.Local),
		plan(t, "monthly", "23:59", "28", time.Local),
		plan(t, "every 6h", "01:30", "", time.Local),
		plan(t, "every 20m", "00:05", "", time.Local),
		plan(t, "daily", "02:30", "", mustLoad(t, "Europe/Berlin")),
	} {
		t.Run(strings.ReplaceAll(p.String(), " ", "_"), func(t *testing.T) {
			files, err := Systemd(testSpec(t, p))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var paths []string
			for _, f := range files {
				path := filepath.Join(dir, f.Name)
				if err := os.WriteFile(path, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
				paths = append(paths, path)
			}
			if len(paths) != 3 {
				t.Fatalf("files %d, want service, timer and path", len(paths))
			}
			out, err := exec.Command(analyze, append([]string{"verify"}, paths...)...).CombinedOutput()
			if err != nil || len(bytes.TrimSpace(out)) > 0 {
				t.Errorf("systemd-analyze verify: %v\n%s", err, out)
				for _, f := range files {
					t.Logf("%s:\n%s", f.Name, f.Data)
				}
			}
			timer := string(files[1].Data)
			for _, want := range []string{"Persistent=true", "OnCalendar=" + OnCalendar(p), "OnCalendar=*-*-* 00/1:00:00", "WantedBy=timers.target"} {
				if !strings.Contains(timer, want) {
					t.Errorf("timer lacks %q:\n%s", want, timer)
				}
			}
		})
	}
}

func mustLoad(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("zone %s: %v", name, err)
	}
	return loc
}

// The timer's calendar expression fires exactly at the planner's slots: systemd computes the
// next elapses from a fixed base time and they must equal Plan.Next, one after another.
func TestOnCalendarMatchesPlanner(t *testing.T) {
	analyze := systemdAnalyze(t)
	berlin := mustLoad(t, "Europe/Berlin")
	base := time.Date(2024, 5, 7, 10, 0, 0, 0, time.UTC) // a Tuesday, no clock change near
	for _, p := range []schedule.Plan{
		plan(t, "daily", "02:30", "", time.UTC),
		plan(t, "weekly", "04:15", "sunday", time.UTC),
		plan(t, "monthly", "23:59", "28", time.UTC),
		plan(t, "every 6h", "01:30", "", time.UTC),
		plan(t, "every 15m", "00:05", "", time.UTC),
		plan(t, "weekly", "02:30", "mon", berlin),
	} {
		cmd := exec.Command(analyze, "calendar", "--iterations=4", "--base-time="+base.Format("2006-01-02 15:04:05")+" UTC", OnCalendar(p))
		cmd.Env = append(os.Environ(), "TZ=UTC")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", OnCalendar(p), err, out)
		}
		var got, want []string
		for _, line := range strings.Split(string(out), "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "Next elapse:") || strings.HasPrefix(line, "Iter. #") {
				_, v, _ := strings.Cut(line, ": ")
				got = append(got, strings.TrimSpace(v))
			}
		}
		for t0, i := base, 0; i < 4; i++ {
			t0 = p.Next(t0)
			want = append(want, t0.UTC().Format("Mon 2006-01-02 15:04:05 MST"))
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("%s (%s):\nsystemd %v\nplanner %v", p, OnCalendar(p), got, want)
		}
	}
}

func TestSystemdQuoting(t *testing.T) {
	if got := systemdQuote(`a "b" 100% $x \n`); got != `"a \"b\" 100%% $$x \\n"` {
		t.Errorf("systemdQuote = %s", got)
	}
	s := testSpec(t, plan(t, "daily", "", "", time.Local))
	s.Args = append(s.Args, "bad\nline")
	if _, err := Systemd(s); err == nil {
		t.Error("a newline in an argument was accepted")
	}
	off := testSpec(t, schedule.Plan{Kind: schedule.Off})
	off.Wake, off.Watch = 0, nil
	if _, err := Systemd(off); err == nil {
		t.Error("a plan that is off with nothing watched produced units")
	}
}
