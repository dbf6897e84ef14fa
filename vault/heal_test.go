package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// damageTree is a small archive dump with two media files big enough to
// have packs of their own.
func damageTree() (treeSpec, string) {
	s := chatTree(2, 2, 2, 300<<10)
	victim := ""

	for p := range s {
		if strings.HasPrefix(p, "media/") && (victim == "" || p < victim) {
			victim = p
		}
	}

	return s, victim
}

func verifyOrFatal(t *testing.T, v *Vault, readData bool) VerifyReport {
	t.Helper()

	rep, err := v.Verify(context.Background(), VerifyOptions{ReadData: readData})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}

	return rep
}

func damagedIn(rep VerifyReport) []string {
	var out []string

	for _, s := range rep.Snapshots {
		for _, d := range s.Damaged {
			out = append(out, s.Snapshot.ID+":"+d.Path)
		}
	}

	return out
}

// TestBackupHealsDeletedPack: a pack deleted at the destination. Verify
// names the file; the next plain backup notices the damage in its parent,
// stores fresh copies, and then every snapshot (the old one too, since it
// refers to the same pieces by name) verifies and restores byte for byte.
func TestBackupHealsDeletedPack(t *testing.T) {
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))
	spec, victim := damageTree()
	s1 := backup(t, v, spec, nil)

	packs := packsOf(t, v, s1.ID, victim)
	if len(packs) == 0 {
		t.Fatal("no packs for the victim")
	}

	for f := range packs {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}

	rep := verifyOrFatal(t, v, false)
	// (In so small a tree one pack holds every file's data: all are damaged.)
	if got := damagedIn(rep); !strings.Contains(strings.Join(got, " "), s1.ID+":"+victim) || rep.DamagedPieces == 0 {
		t.Fatalf("verify after deleting the pack: %v (%d pieces)", got, rep.DamagedPieces)
	}

	s2 := backup(t, v, spec, nil)
	if !s2.ParentDamaged || s2.HealedPieces == 0 || s2.UploadedBytes < 300<<10 {
		t.Fatalf("backup after damage did not heal: %+v", s2)
	}

	if got := damagedIn(verifyOrFatal(t, v, true)); len(got) != 0 {
		t.Fatalf("damage after the healing backup: %v", got)
	}

	checkSnapshot(t, v, s2.ID, spec)
	checkSnapshot(t, v, s1.ID, spec)

	// Healthy again: the next backup is the usual cheap one.
	s3 := backup(t, v, spec, nil)
	if s3.ParentDamaged || s3.ReadFiles != 0 {
		t.Fatalf("backup after healing: %+v", s3)
	}
}

// TestRepairFlippedByte: a flipped byte shows only when the data is read.
// Verify with ReadData finds it, MarkDamaged marks it, and the next backup
// stores it afresh.
func TestRepairFlippedByte(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))
	spec, victim := damageTree()
	s1 := backup(t, v, spec, nil)

	for f, ranges := range packsOf(t, v, s1.ID, victim) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}

		data[ranges[0][0]+ranges[0][1]/2] ^= 0x01

		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	rep := verifyOrFatal(t, v, true)
	if got := damagedIn(rep); len(got) != 1 || !strings.HasSuffix(got[0], victim) {
		t.Fatalf("verify --read-data after a flipped byte: %v", got)
	}

	n, err := v.MarkDamaged(ctx, rep)
	if err != nil || n != rep.DamagedPieces || n == 0 {
		t.Fatalf("mark damaged: %d of %d, %v", n, rep.DamagedPieces, err)
	}

	// Marked: even the structure check now sees it.
	if got := damagedIn(verifyOrFatal(t, v, false)); len(got) != 1 {
		t.Fatalf("structure check after marking: %v", got)
	}

	s2 := backup(t, v, spec, nil)
	if !s2.ParentDamaged || s2.HealedPieces != n {
		t.Fatalf("backup after marking: %+v", s2)
	}

	if got := damagedIn(verifyOrFatal(t, v, true)); len(got) != 0 {
		t.Fatalf("damage after the healing backup: %v", got)
	}

	checkSnapshot(t, v, s1.ID, spec)
	checkSnapshot(t, v, s2.ID, spec)
}

// TestLostForGood: a damaged file the archive no longer has stays reported
// against the snapshot that holds it, and the new backup is clean.
func TestLostForGood(t *testing.T) {
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))
	spec, victim := damageTree()
	s1 := backup(t, v, spec, nil)

	for f := range packsOf(t, v, s1.ID, victim) {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}

	without := spec.clone()
	delete(without, victim)
	s2 := backup(t, v, without, nil)

	got := damagedIn(verifyOrFatal(t, v, true))
	if len(got) != 1 || got[0] != s1.ID+":"+victim {
		t.Fatalf("after backing up without the lost file: %v", got)
	}

	checkSnapshot(t, v, s2.ID, without)
}

func truncateHalf(t *testing.T, f string) {
	t.Helper()

	st, err := os.Stat(f)
	if err != nil {
		t.Fatal(err)
	}

	if err := os.Truncate(f, st.Size()/2); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedCriticalFiles: each file a vault cannot be opened without,
// truncated at the destination. With its second copy the vault opens as if
// nothing happened and the file is put back; without the copy the error is
// ErrDamaged (not "unreachable", not "no vault here") and names the file.
func TestDamagedCriticalFiles(t *testing.T) {
	t.Parallel() // slow (subprocesses, servers, real I/O): overlaps the other slow ones
	ctx := context.Background()

	for _, c := range []struct{ file, copy string }{
		{"kopia.repository.f", "chatvault.copy.repo.f"},
		{"kopia.blobcfg.f", "chatvault.copy.bcfg.f"},
		{"chatvault.password.f", "chatvault.copy.pass.f"},
		{"chatvault.f", "chatvault.copy.desc.f"},
	} {
		t.Run(c.file, func(t *testing.T) {
			tv := newLocalVault(t)
			v := tv.open(t, Password(testPassword))
			spec, _ := damageTree()
			s1 := backup(t, v, spec, nil)
			v.Close(ctx)

			primary := filepath.Join(tv.dir, c.file)
			good, err := os.ReadFile(primary)
			if err != nil {
				t.Fatal(err)
			}

			if cp, err := os.ReadFile(filepath.Join(tv.dir, c.copy)); err != nil || string(cp) != string(good) {
				t.Fatalf("copy %s: %v (equal: %v)", c.copy, err, string(cp) == string(good))
			}

			truncateHalf(t, primary)

			ro := tv.opts
			ro.ReadOnly = true

			v2, err := Open(ctx, tv.dest, Password(testPassword), ro)
			if err != nil {
				t.Fatalf("open with the copy in place: %v", err)
			}

			checkSnapshot(t, v2, s1.ID, spec)
			v2.Close(ctx)

			if now, _ := os.ReadFile(primary); string(now) != string(good) {
				t.Errorf("%s was not restored from its copy", c.file)
			}

			// Both damaged.
			truncateHalf(t, primary)
			truncateHalf(t, filepath.Join(tv.dir, c.copy))

			_, err = Open(ctx, tv.dest, Password(testPassword), tv.opts)
			if !errors.Is(err, ErrDamaged) || errors.Is(err, ErrUnreachable) || errors.Is(err, ErrNotInitialized) {
				t.Fatalf("open with %s and its copy damaged: %v", c.file, err)
			}

			if name := strings.TrimSuffix(c.file, ".f"); !strings.Contains(err.Error(), name) {
				t.Errorf("the error does not name %s: %v", name, err)
			}

			// A damaged descriptor is replaced by repair (it holds no secret).
			if c.file == "chatvault.f" {
				v3, rr, err := Repair(ctx, tv.dest, Password(testPassword), tv.opts)
				if err != nil || !rr.NewDescriptor {
					t.Fatalf("repair of the descriptor: %v %+v", err, rr)
				}

				checkSnapshot(t, v3, s1.ID, spec)
				v3.Close(ctx)
			}

			// The recovery key still opens a vault whose password slot is damaged.
			if c.file == "chatvault.password.f" {
				v3, err := Open(ctx, tv.dest, RecoveryKey(tv.recovery), tv.opts)
				if err != nil {
					t.Fatalf("recovery key with a damaged password slot: %v", err)
				}

				checkSnapshot(t, v3, s1.ID, spec)
				v3.Close(ctx)
			}
		})
	}
}

// TestSlotCopyMissing: a copy that is gone (a vault made before copies
// existed) is written again by the next writable open.
func TestSlotCopyMissing(t *testing.T) {
	tv := newLocalVault(t)

	for _, f := range []string{"chatvault.copy.pass.f", "chatvault.copy.repo.f", "chatvault.copy.desc.f"} {
		if err := os.Remove(filepath.Join(tv.dir, f)); err != nil {
			t.Fatal(err)
		}
	}

	tv.open(t, Password(testPassword))

	for _, f := range []string{"chatvault.copy.pass.f", "chatvault.copy.repo.f", "chatvault.copy.desc.f"} {
		if _, err := os.Stat(filepath.Join(tv.dir, f)); err != nil {
			t.Errorf("%s not rewritten: %v", f, err)
		}
	}
}

// TestRepairDamagedIndex: an index blob cut short. Open says which blob is
// damaged (ErrDamaged); Repair moves it aside and rebuilds the index from
// the packs, and every snapshot restores.
func TestRepairDamagedIndex(t *testing.T) {
	t.Parallel() // slow (subprocesses, servers, real I/O): overlaps the other slow ones
	ctx := context.Background()
	tv := newLocalVault(t)
	v := tv.open(t, Password(testPassword))
	spec, _ := damageTree()
	s1 := backup(t, v, spec, nil)
	more := spec.clone()
	more["media/ff/"+strings.Repeat("ff", 32)] = fileSpec{size: 100 << 10, seed: 77}
	s2 := backup(t, v, more, nil)
	v.Close(ctx)

	var indexes []string

	for _, f := range filesUnder(t, tv.dir) {
		if strings.Contains(f, string(filepath.Separator)+"x"+string(filepath.Separator)) {
			indexes = append(indexes, f)
		}
	}

	if len(indexes) < 2 {
		t.Fatalf("index blobs: %v", indexes)
	}

	for _, f := range indexes {
		truncateHalf(t, f)
	}

	_, err := Open(ctx, tv.dest, Password(testPassword), tv.opts)

	var ie *IndexDamageError
	if !errors.As(err, &ie) || !errors.Is(err, ErrDamaged) || errors.Is(err, ErrUnreachable) {
		t.Fatalf("open with damaged index blobs: %v", err)
	}

	v2, rr, err := Repair(ctx, tv.dest, Password(testPassword), tv.opts)
	if err != nil {
		t.Fatalf("repair: %v (%+v)", err, rr)
	}
	defer v2.Close(ctx)

	if len(rr.Quarantined) != len(indexes) || rr.Recovered == 0 {
		t.Fatalf("repair report: %+v, want %d blobs moved aside", rr, len(indexes))
	}

	if got := damagedIn(verifyOrFatal(t, v2, true)); len(got) != 0 {
		t.Fatalf("damage after repair: %v", got)
	}

	checkSnapshot(t, v2, s1.ID, spec)
	checkSnapshot(t, v2, s2.ID, more)

	// And it keeps working: a backup, then a plain open.
	backup(t, v2, more, nil)
	tv.open(t, Password(testPassword))
}
