package crash

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// backups kills `chatvault backup` to a folder vault at random points. After each kill: the vault
// verifies reading every byte, an earlier snapshot restores with the messages it had, and the next
// backup completes.
func (h *harness) backups(ctx context.Context) error {
	if h.cfg.Backups == 0 {
		return nil
	}
	archive := filepath.Join(h.cfg.Work, "backup-archive")
	dest := filepath.Join(h.cfg.Work, "vault")
	src := func(i int) string { return filepath.Join(h.cfg.Work, "exports", fmt.Sprint("b", i)) }
	vaultArgs := func(args ...string) []string { return append([]string{"--archive", archive}, args...) }
	addChat := func(i int) error {
		if err := genChat(src(i), 1000+i, h.cfg.Messages, h.cfg.Media, h.rng); err != nil {
			return err
		}
		defer os.RemoveAll(src(i))
		_, err := h.chatvault(ctx, vaultArgs("import", src(i))...)
		return err
	}
	counts := map[string]int64{} // snapshot -> messages the archive had
	var order []string
	backup := func() (time.Duration, error) {
		start := time.Now()
		out, err := h.chatvault(ctx, vaultArgs("backup")...)
		if err != nil {
			return 0, err
		}
		m := snapshotLine.FindStringSubmatch(out)
		if m == nil {
			return 0, fmt.Errorf("backup printed no snapshot: %s", out)
		}
		_, n, err := dbCheck(ctx, filepath.Join(archive, "archive.db"))
		if err != nil {
			return 0, err
		}
		counts[m[1]] = n
		order = append(order, m[1])
		return time.Since(start), nil
	}
	for i := 0; i < 2; i++ {
		if err := addChat(i); err != nil {
			return err
		}
	}
	if _, err := h.chatvault(ctx, vaultArgs("vault", "add", "crash", dest)...); err != nil {
		return err
	}
	if _, err := h.chatvault(ctx, vaultArgs("init", "crash")...); err != nil {
		return err
	}
	d, err := backup()
	if err != nil {
		return err
	}
	h.sum.BackupDuration = d
	h.logf("backup takes %s", d.Round(time.Millisecond))

	for i := 1; i <= h.cfg.Backups; i++ {
		if err := addChat(i + 1); err != nil { // something new to back up
			return err
		}
		delay := time.Duration(h.rng.Int63n(int64(h.sum.BackupDuration)))
		finished, err := h.killAfter(ctx, delay, vaultArgs("backup")...)
		if err != nil {
			h.fail("backup %d ended on its own with an error: %v", i, err)
		}
		h.sum.BackupKills++
		_, err = h.chatvault(ctx, vaultArgs("verify", "crash", "--read-data")...)
		h.check(err == nil, "backup %d (killed after %s): verify --read-data: %v", i, delay, err)

		snap := order[h.rng.Intn(len(order))]
		to := filepath.Join(h.cfg.Work, "restored")
		os.RemoveAll(to)
		if _, err := h.chatvault(ctx, vaultArgs("restore", "--from", "crash", "--snapshot", snap, "--to", to)...); err != nil {
			h.fail("backup %d: restore of earlier snapshot %s: %v", i, snap, err)
		} else {
			integrity, n, err := dbCheck(ctx, filepath.Join(to, "archive.db"))
			h.check(err == nil && integrity == "ok" && n == counts[snap], "backup %d: snapshot %s restored %d messages (%s, %v), want %d", i, snap, n, integrity, err, counts[snap])
			h.sum.SnapshotsRestored++
		}
		os.RemoveAll(to)
		_, err = backup()
		h.check(err == nil, "backup %d: the next backup: %v", i, err)
		h.logf("backup %d: killed after %s (finished first: %v); restored %s", i, delay.Round(time.Millisecond), finished, snap)
	}
	return nil
}
