package crash

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestCrash runs the harness. It is slow and kills processes, so it runs only with
// CHATVAULT_CRASH=1: by default a smoke run of 3 import kills and 1 backup kill;
// CHATVAULT_CRASH_IMPORTS and CHATVAULT_CRASH_BACKUPS set the counts (run.sh: 100 and 20).
func TestCrash(t *testing.T) {
	if os.Getenv("CHATVAULT_CRASH") != "1" {
		t.Skip("the crash harness runs with CHATVAULT_CRASH=1 (see bench/crash/README.md)")
	}
	work := t.TempDir()
	bin := filepath.Join(work, "chatvault")
	build := exec.Command("go", "build", "-o", bin, "./cmd/chatvault")
	build.Dir = filepath.Join("..", "..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	seed := envInt(t, "CHATVAULT_CRASH_SEED", time.Now().UnixNano())
	cfg := Config{
		Bin: bin, Work: work, Seed: seed, Log: testLog{t},
		Imports:  int(envInt(t, "CHATVAULT_CRASH_IMPORTS", 3)),
		Backups:  int(envInt(t, "CHATVAULT_CRASH_BACKUPS", 1)),
		Messages: int(envInt(t, "CHATVAULT_CRASH_MESSAGES", 3000)),
		Media:    int(envInt(t, "CHATVAULT_CRASH_MEDIA", 150)),
	}
	start := time.Now()
	s, err := Run(context.Background(), cfg)
	t.Logf("seed %d; %s", seed, time.Since(start).Round(time.Second))
	t.Logf("imports: %d kills (import of %d messages + %d media files takes %s): %d landed whole, %d left nothing, %d finished before the kill; %d orphaned media files after the next open",
		s.ImportKills, cfg.Messages, cfg.Media, s.ImportDuration.Round(time.Millisecond), s.Landed, s.None, s.FinishedFirst, s.OrphansAfter)
	t.Logf("backups: %d kills (a backup takes %s), %d earlier snapshots restored and compared", s.BackupKills, s.BackupDuration.Round(time.Millisecond), s.SnapshotsRestored)
	t.Logf("checks passed: %d, failed: %d", s.ChecksPassed, len(s.Failures))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range s.Failures {
		t.Error(f)
	}
}

func envInt(t *testing.T, name string, def int64) int64 {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%s=%q: not a number", name, s)
	}
	return n
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(string(p[:len(p)-1]))
	return len(p), nil
}
