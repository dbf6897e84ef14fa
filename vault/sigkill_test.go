package vault

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

const sigkillEnv = "CHATVAULT_TEST_SIGKILL_HELPER"

type sigkillJob struct {
	Vault    string `json:"vault"`
	CacheDir string `json:"cacheDir"`
	Seed     uint64 `json:"seed"`
}

// bigTree is the helper's backup: chat months plus media of which a part
// changes with the seed, so every run has new data to upload.
func bigTree(seed uint64) treeSpec {
	s := chatTree(3, 6, 0, 0)
	base := s["manifest.json"].mtime

	for i := range 24 {
		fseed := uint64(i) + 1
		if i%2 == 0 {
			fseed += seed * 1000 // half the media is new in every run
		}

		name := fmt.Sprintf("%064x", fseed*0x9e3779b97f4a7c15)
		s["media/"+name[:2]+"/"+name] = fileSpec{size: 1<<20 + int64(i)*4096, seed: fseed, mtime: base}
	}

	return s
}

// TestSigkillHelper is not a test: it is the process TestSigkill starts and
// kills. It backs up bigTree into the vault named in the environment.
func TestSigkillHelper(t *testing.T) {
	raw := os.Getenv(sigkillEnv)
	if raw == "" {
		t.Skip("helper process for TestSigkill")
	}

	var job sigkillJob
	if err := json.Unmarshal([]byte(raw), &job); err != nil {
		t.Fatal(err)
	}

	dest, err := ParseDestination(job.Vault, nil)
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()

	v, err := Open(ctx, dest, Password(testPassword), OpenOptions{CacheDir: job.CacheDir, Hostname: "testhost", Username: "tester"})
	if err != nil {
		t.Fatal(err)
	}

	if _, err := v.Backup(ctx, bigTree(job.Seed).build(nil), BackupOptions{Uncompressed: []string{"media"}}); err != nil {
		t.Fatal(err)
	}

	fmt.Println("helper: backup complete")
}

// TestSigkill kills a backup process at random points: after every kill
// the vault verifies, the earlier snapshots restore, and the next backup
// completes.
func TestSigkill(t *testing.T) {
	t.Parallel() // slow (subprocesses, servers, real I/O): overlaps the other slow ones
	if os.Getenv(sigkillEnv) != "" {
		t.Skip("inside the helper")
	}

	kills := 20
	if testing.Short() {
		kills = 5
	}

	ctx := context.Background()
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))

	first := chatTree(2, 2, 2, 100<<10)
	s0 := backup(t, v, first, nil)

	rng := rand.New(rand.NewPCG(20240601, 7))
	completed := []SnapshotInfo{s0}
	specs := map[string]treeSpec{s0.ID: first}
	helperCache := t.TempDir()

	helper := func(seed uint64) *exec.Cmd {
		job, _ := json.Marshal(sigkillJob{Vault: tv.dir, CacheDir: helperCache, Seed: seed})

		cmd := exec.Command(os.Args[0], "-test.run=^TestSigkillHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), sigkillEnv+"="+string(job))

		return cmd
	}

	// One uninterrupted run measures how long a helper takes, so the kills
	// can land anywhere from process start to the end of the upload.
	start := time.Now()
	if out, err := helper(1000).CombinedOutput(); err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}

	full := time.Since(start)

	var killedMidway int

	for i := range kills {
		seed := uint64(i) + 1
		cmd := helper(seed)

		started := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}

		delay := time.Duration(rng.Int64N(int64(full)))
		exited := make(chan error, 1)

		go func() { exited <- cmd.Wait() }()

		select {
		case <-time.After(delay):
			_ = cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			killedMidway++
		case <-exited:
			// Finished before the kill: helpers got faster than the first one (the vault holds
			// more of what they upload, the machine is less busy), so later kills are drawn
			// within this one's time.
			full = time.Since(started)
		}

		rep, err := v.Verify(ctx, VerifyOptions{})
		if err != nil {
			t.Fatalf("kill %d (after %v): verify: %v", i, delay, err)
		}

		if !rep.OK() {
			t.Fatalf("kill %d (after %v): damage: %+v", i, delay, rep)
		}

		// Every snapshot that completed before still restores.
		for _, s := range []SnapshotInfo{s0, completed[len(completed)-1]} {
			checkSnapshot(t, v, s.ID, specs[s.ID])
		}

		spec := bigTree(seed)
		s := backup(t, v, spec, nil)
		completed = append(completed, s)
		specs[s.ID] = spec
	}

	if killedMidway < kills/2 {
		t.Errorf("only %d of %d helpers were killed before finishing; the kills test too little", killedMidway, kills)
	}

	rep, err := v.Verify(ctx, VerifyOptions{ReadData: true})
	if err != nil || !rep.OK() {
		t.Fatalf("final full verify: %+v %v", rep, err)
	}

	checkSnapshot(t, v, completed[len(completed)-1].ID, specs[completed[len(completed)-1].ID])
	t.Logf("%d kills (%d mid-backup) in helpers taking %v, %d snapshots, vault %d bytes", kills, killedMidway, full, len(rep.Snapshots), dirSize(t, tv.dir))

}
