package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func dirSize(t *testing.T, dir string) int64 {
	t.Helper()

	var n int64

	for _, f := range filesUnder(t, dir) {
		st, err := os.Stat(f)
		if err == nil {
			n += st.Size()
		}
	}

	return n
}

// TestSlotsSurviveMaintenance forgets every snapshot and prunes with no
// safety margins, which deletes every blob kopia considers garbage: the key slots and descriptor must survive, and the
// space of the forgotten data must be freed.
func TestSlotsSurviveMaintenance(t *testing.T) {
	t.Parallel() // slow (subprocesses, servers, real I/O): overlaps the other slow ones
	ctx := context.Background()
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))

	spec := chatTree(2, 2, 4, 1<<20)
	backup(t, v, spec, nil)
	backup(t, v, chatTree(2, 3, 5, 1<<20), nil)

	before := dirSize(t, tv.dir)

	rep, err := v.Forget(ctx, Retention{KeepLatest: 1}, ForgetOptions{})
	if err != nil || len(rep.Forgotten) != 1 || len(rep.Kept) != 1 {
		t.Fatalf("forget: %+v %v", rep, err)
	}

	// Forget the last one too, directly: nothing is referenced any more.
	if err := v.forgetAll(ctx); err != nil {
		t.Fatal(err)
	}

	if err := v.Prune(ctx, SafetyNone); err != nil {
		t.Fatal(err)
	}

	after := dirSize(t, tv.dir)
	if after > before/4 {
		t.Errorf("maintenance freed too little: %d bytes before, %d after", before, after)
	}

	for _, name := range []string{"chatvault.f", "chatvault.password.f", "chatvault.recovery.f", "chatvault.copy.desc.f", "chatvault.copy.pass.f", "chatvault.copy.recov.f", "chatvault.copy.repo.f", "chatvault.copy.bcfg.f"} {
		if _, err := os.Stat(filepath.Join(tv.dir, name)); err != nil {
			t.Errorf("%s did not survive maintenance: %v", name, err)
		}
	}

	v.Close(ctx)

	v2 := tv.open(t, Password(testPassword))
	tv.open(t, RecoveryKey(tv.recovery))

	// The vault is still fully usable.
	s := backup(t, v2, spec, nil)
	checkSnapshot(t, v2, s.ID, spec)
	t.Logf("vault: %d bytes before, %d after forgetting everything", before, after)
}

// forgetAll deletes every snapshot manifest (a test shortcut: Forget always
// keeps at least the newest snapshot when any rule is set).
func (v *Vault) forgetAll(ctx context.Context) error {
	list, err := v.Snapshots(ctx, SnapshotFilter{IncludeIncomplete: true})
	if err != nil {
		return err
	}

	ids := make([]string, len(list))
	for i, s := range list {
		ids[i] = s.ID
	}

	return v.DeleteSnapshots(ctx, ids...)
}

func TestForgetRetention(t *testing.T) {
	t.Parallel() // slow (subprocesses, servers, real I/O): overlaps the other slow ones
	ctx := context.Background()
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))

	spec := chatTree(1, 1, 0, 0)
	for range 5 {
		backup(t, v, spec, nil)
	}

	// Another device's snapshots are retained on their own.
	other := BackupOptions{Source: Source{Host: "phone", User: "anna", Path: "/chatvault"}}
	for range 2 {
		if _, err := v.Backup(ctx, spec.build(nil), other); err != nil {
			t.Fatal(err)
		}
	}

	dry, err := v.Forget(ctx, Retention{KeepLatest: 2}, ForgetOptions{DryRun: true})
	if err != nil || len(dry.Forgotten) != 3 || len(dry.Kept) != 4 {
		t.Fatalf("dry run: forgotten %d kept %d, %v", len(dry.Forgotten), len(dry.Kept), err)
	}

	if list, _ := v.Snapshots(ctx, SnapshotFilter{}); len(list) != 7 {
		t.Fatalf("dry run deleted something: %d left", len(list))
	}

	// The stored default retention (DefaultRetention: keep 10 latest) keeps all.
	if r, err := v.Retention(ctx); err != nil || r != DefaultRetention {
		t.Fatalf("stored retention %+v %v", r, err)
	}

	if rep, err := v.Forget(ctx, Retention{}, ForgetOptions{}); err != nil || len(rep.Forgotten) != 0 {
		t.Fatalf("default retention forgot %d, %v", len(rep.Forgotten), err)
	}

	if err := v.SetRetention(ctx, Retention{KeepLatest: 2}); err != nil {
		t.Fatal(err)
	}

	rep, err := v.Forget(ctx, Retention{}, ForgetOptions{Host: "testhost"})
	if err != nil || len(rep.Forgotten) != 3 {
		t.Fatalf("forget: %+v %v", rep, err)
	}

	list, _ := v.Snapshots(ctx, SnapshotFilter{})
	if len(list) != 4 {
		t.Fatalf("%d snapshots left, want 2 per source", len(list))
	}

	// Pruning with full safety runs, but frees nothing yet (kopia's 24 h margins).
	rep, err = v.Forget(ctx, Retention{KeepLatest: 1}, ForgetOptions{Prune: true})
	if err != nil || !rep.Pruned {
		t.Fatalf("forget+prune: %+v %v", rep, err)
	}
}

func TestMaintenanceOwner(t *testing.T) {
	t.Parallel() // slow (subprocesses, servers, real I/O): overlaps the other slow ones
	ctx := context.Background()
	tv := newLocalVault(t)

	owner, err := tv.open(t, Password(testPassword)).MaintenanceOwner(ctx)
	if err != nil || owner != "tester@testhost" {
		t.Fatalf("owner %q %v", owner, err)
	}

	opts := tv.opts
	opts.Hostname = "laptop"

	v, err := Open(ctx, tv.dest, Password(testPassword), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close(ctx)

	if err := v.Maintenance(ctx, MaintenanceOptions{Mode: MaintenanceFull}); !errors.Is(err, ErrNotOwner) || !strings.Contains(err.Error(), "tester@testhost") {
		t.Fatalf("maintenance by a non-owner: %v", err)
	}

	if err := v.TakeMaintenanceOwnership(ctx); err != nil {
		t.Fatal(err)
	}

	if err := v.Maintenance(ctx, MaintenanceOptions{Mode: MaintenanceQuick}); err != nil {
		t.Fatalf("maintenance by the new owner: %v", err)
	}
}
