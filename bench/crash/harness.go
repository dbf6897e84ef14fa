// Package crash is a crash harness: it SIGKILLs `chatvault import` and `chatvault backup` at
// random points and checks after each kill that nothing was damaged or half-done. It runs the
// real binary on real files; see README.md.
package crash

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver, as chatvault opens it
)

// Config says how many kills to make and where.
type Config struct {
	Bin      string // the chatvault binary
	Work     string // an empty folder for archives, exports and the vault
	Imports  int    // kills during imports
	Backups  int    // kills during backups
	Messages int    // messages per generated chat
	Media    int    // media files per generated chat
	Seed     int64
	Log      io.Writer
}

// Summary is what the harness saw.
type Summary struct {
	ImportKills       int
	Landed, None      int // killed imports that landed whole / left nothing
	FinishedFirst     int // imports that ended before the kill came
	OrphansAfter      int // media files a killed import had published but not committed (doctor --fix removes them)
	ImportDuration    time.Duration
	BackupKills       int
	BackupDuration    time.Duration
	ChecksPassed      int
	Failures          []string
	SnapshotsRestored int
}

type harness struct {
	cfg Config
	rng *rand.Rand
	env []string
	sum Summary
}

// Run makes the kills and checks, and returns the summary; Failures lists every check that failed.
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	h := &harness{cfg: cfg, rng: rand.New(rand.NewSource(cfg.Seed))}
	h.env = append(os.Environ(), "HOME="+cfg.Work, "XDG_CONFIG_HOME="+filepath.Join(cfg.Work, "config"),
		"XDG_CACHE_HOME="+filepath.Join(cfg.Work, "cache"), "XDG_DATA_HOME="+filepath.Join(cfg.Work, "data"),
		"XDG_STATE_HOME="+filepath.Join(cfg.Work, "state"), "CHATVAULT_PROGRESS=0", "CHATVAULT_TZ=UTC",
		"CHATVAULT_PASSWORD=crash-harness-password")
	if err := h.imports(ctx); err != nil {
		return &h.sum, err
	}
	if err := h.backups(ctx); err != nil {
		return &h.sum, err
	}
	return &h.sum, nil
}

func (h *harness) logf(format string, args ...any) {
	if h.cfg.Log != nil {
		fmt.Fprintf(h.cfg.Log, format+"\n", args...)
	}
}

func (h *harness) fail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	h.sum.Failures = append(h.sum.Failures, msg)
	h.logf("FAIL %s", msg)
}

func (h *harness) check(ok bool, format string, args ...any) {
	if ok {
		h.sum.ChecksPassed++
		return
	}
	h.fail(format, args...)
}

// chatvault runs the binary to its end and returns its output.
func (h *harness) chatvault(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, h.cfg.Bin, args...)
	cmd.Env = h.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("chatvault %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}

// killAfter starts the binary and SIGKILLs it after d; it reports whether the process ended first.
func (h *harness) killAfter(ctx context.Context, d time.Duration, args ...string) (finished bool, err error) {
	cmd := exec.CommandContext(ctx, h.cfg.Bin, args...)
	cmd.Env = h.env
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return false, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return true, err
	case <-time.After(d):
		cmd.Process.Kill() //nolint:errcheck // SIGKILL: the point of the harness
		<-done
		return false, nil
	}
}

// dbCheck opens an archive.db read-only, as it was left, and runs integrity_check and a count.
func dbCheck(ctx context.Context, path string) (integrity string, messages int64, err error) {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return "", 0, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return "", 0, err
	}
	var lines []string
	for rows.Next() {
		var s string
		rows.Scan(&s) //nolint:errcheck // an empty line shows as not ok
		lines = append(lines, s)
	}
	rows.Close()
	integrity = strings.Join(lines, "; ")
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM messages`).Scan(&messages)
	return integrity, messages, err
}

// privateLeft lists what is in the archive's private folders (tmp/ and media/.tmp/).
func privateLeft(archive string) []string {
	var out []string
	for _, d := range []string{filepath.Join(archive, "tmp"), filepath.Join(archive, "media", ".tmp")} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			out = append(out, filepath.Join(d, e.Name()))
		}
	}
	return out
}

var snapshotLine = regexp.MustCompile(`Snapshot ([0-9a-f]+) in `)

// doctorOrphans runs `chatvault doctor` on the archive and returns how many orphaned media files
// it found.
func (h *harness) doctorOrphans(ctx context.Context, archive string) (int, error) {
	out, _ := h.chatvault(ctx, "--archive", archive, "doctor", "--no-vaults", "--json")
	var r struct {
		Archive struct {
			Orphans []json.RawMessage `json:"orphans"`
		} `json:"archive"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		return 0, fmt.Errorf("doctor output: %v: %.200s", err, out)
	}
	return len(r.Archive.Orphans), nil
}
