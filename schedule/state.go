package schedule

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/chatvault/chatvault/internal/atomicfile"
	"github.com/chatvault/chatvault/schedule/watch"
)

// StateFile and LockFile are the names inside the state directory ($XDG_STATE_HOME/chatvault).
const (
	StateFile = "schedule.json"
	LockFile  = "run.lock"
)

// State is what scheduled runs remember: per vault the last backups and failures, per watched
// folder the files decided. Runs write it under the run lock; status only reads it.
type State struct {
	Version int `json:"version"`
	// LastRun is when any run last looked (even when nothing was due), and who ran it: a
	// scheduler that stopped firing shows here.
	LastRun   time.Time              `json:"last_run,omitzero"`
	LastRunBy string                 `json:"last_run_by,omitempty"`
	Vaults    map[string]*VaultState `json:"vaults,omitempty"`
	Watch     watch.Ledger           `json:"watch"`
}

// VaultState is one vault's backup history, as far as scheduling needs it.
type VaultState struct {
	// Since is when scheduled backups to this vault began (the first run that saw it): a vault
	// that never succeeded is overdue counting from here.
	Since       time.Time `json:"since,omitzero"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	// Result of the last attempt: "ok" or "failed".
	Result   string `json:"result,omitempty"`
	Snapshot string `json:"snapshot,omitempty"`
	// Bytes is the size of the archive the last snapshot holds; Uploaded what it sent.
	Bytes    int64         `json:"bytes,omitempty"`
	Uploaded int64         `json:"uploaded,omitempty"`
	Took     time.Duration `json:"took,omitempty"`
	// Failures counts failed backups since the last success; NextRetry is when the next
	// attempt may start (exponential backoff).
	Failures  int       `json:"consecutive_failures,omitempty"`
	NextRetry time.Time `json:"next_retry,omitzero"`
	// LastError is the last failure of any step (backup, retention, maintenance) in one line.
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
	LastForget  time.Time `json:"last_retention,omitzero"`
	LastMaint   time.Time `json:"last_maintenance,omitzero"`
}

const stateVersion = 1

// ErrDamaged marks a state file that is not valid JSON.
var ErrDamaged = errors.New("state file is damaged")

// ReadState reads the state file; a missing file is an empty state.
func ReadState(path string) (*State, error) {
	st := &State{Version: stateVersion}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrDamaged, path, err)
	}
	return st, nil
}

// recoverState reads the state file for a run. A damaged file (a crash cannot make one, writes
// are atomic, but a disk can) is moved aside and reported in the note: the scheduler must keep
// running unattended, and what it forgets costs at most an import repeated, which adds nothing
// to the archive.
func recoverState(path string) (st *State, note string, err error) {
	st, err = ReadState(path)
	if !errors.Is(err, ErrDamaged) {
		return st, "", err
	}
	aside := path + ".damaged"
	if rerr := os.Rename(path, aside); rerr != nil {
		return nil, "", fmt.Errorf("%v, and cannot be moved aside: %w", err, rerr)
	}
	return &State{Version: stateVersion}, fmt.Sprintf("%v; moved to %s, starting afresh", err, aside), nil
}

// Save writes the state atomically: a temporary file, synced, renamed over the old one.
func (s *State) Save(path string) error {
	s.Version = stateVersion
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(b, '\n'), 0o600)
}

// peek returns the vault's record, or a new one (Since = now) that is not stored: a vault gets
// a record when a backup to it is first attempted.
func (s *State) peek(name string, now time.Time) *VaultState {
	if v := s.Vaults[name]; v != nil {
		return v
	}
	return &VaultState{Since: now}
}

// Vault returns the vault's record, creating it (Since = now) on first sight.
func (s *State) Vault(name string, now time.Time) *VaultState {
	if s.Vaults == nil {
		s.Vaults = map[string]*VaultState{}
	}
	v := s.Vaults[name]
	if v == nil {
		v = &VaultState{Since: now}
		s.Vaults[name] = v
	}
	return v
}

// RecordSuccess notes a backup that succeeded outside a scheduled run (`chatvault backup` by
// hand): status shows it as the last backup, and the schedule counts the slot as done.
func (s *State) RecordSuccess(name string, start time.Time, snapshot string, bytes, uploaded int64, took time.Duration) {
	v := s.Vault(name, start)
	if start.Before(v.LastSuccess) {
		return
	}
	v.LastSuccess, v.LastAttempt, v.Result, v.Failures, v.NextRetry = start, start, "ok", 0, time.Time{}
	v.Snapshot, v.Bytes, v.Uploaded, v.Took = snapshot, bytes, uploaded, took
}
