package schedule

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStateRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", StateFile)
	st, err := ReadState(path)
	if err != nil || len(st.Vaults) != 0 {
		t.Fatalf("missing state: %+v %v", st, err)
	}
	v := st.Vault("usb", monday)
	v.LastSuccess, v.Snapshot, v.Failures, v.Took = monday.Add(time.Hour), "k1", 2, 3*time.Second
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := ReadState(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Vaults["usb"]; *got != *v {
		t.Errorf("read back %+v, want %+v", got, v)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v", info.Mode().Perm())
	}
}

// A damaged state file does not stop unattended runs: it is moved aside, said so, and the run
// starts afresh. Status, which only reads, reports the damage instead.
func TestDamagedStateIsMovedAside(t *testing.T) {
	clock := NewManualClock(monday)
	jobs := &recorder{clock: clock}
	r := newTestRunner(t, clock, jobs)
	os.WriteFile(r.StatePath(), []byte(`{"vaults": {"usb": `), 0o600)
	if _, err := ReadState(r.StatePath()); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("ReadState of a damaged file: %v", err)
	}
	rep, err := r.Pass(context.Background(), Settings{Plan: dailyPlan(t), Vaults: []string{"usb"}}, PassOptions{By: "timer"})
	if err != nil || !strings.Contains(rep.Note, "moved to") || len(rep.Backups) != 1 {
		t.Fatalf("pass over damaged state: %+v %v", rep, err)
	}
	if _, err := os.Stat(r.StatePath() + ".damaged"); err != nil {
		t.Error(err)
	}
	if st, err := ReadState(r.StatePath()); err != nil || st.Vaults["usb"].Result != "ok" {
		t.Errorf("fresh state: %+v %v", st, err)
	}
}
