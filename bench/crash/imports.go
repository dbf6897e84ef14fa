package crash

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// imports kills `chatvault import` of a chat with media at random points. After each kill: the
// archive passes integrity_check as the kill left it, the chat landed whole or not at all, the
// next open leaves no private folder of the dead import, and importing the chat again completes.
func (h *harness) imports(ctx context.Context) error {
	archive := filepath.Join(h.cfg.Work, "import-archive")
	db := filepath.Join(archive, "archive.db")
	src := func(i int) string { return filepath.Join(h.cfg.Work, "exports", fmt.Sprint(i)) }

	// Chat 0 is imported whole: it measures how long an import takes and how many messages land.
	if err := genChat(src(0), 0, h.cfg.Messages, h.cfg.Media, h.rng); err != nil {
		return err
	}
	start := time.Now()
	if _, err := h.chatvault(ctx, "--archive", archive, "import", src(0)); err != nil {
		return err
	}
	h.sum.ImportDuration = time.Since(start)
	_, n, err := dbCheck(ctx, db)
	if err != nil {
		return err
	}
	perChat := n
	h.logf("import of %d messages with %d media files takes %s", perChat, h.cfg.Media, h.sum.ImportDuration.Round(time.Millisecond))
	os.RemoveAll(src(0))

	for i := 1; i <= h.cfg.Imports; i++ {
		if err := genChat(src(i), i, h.cfg.Messages, h.cfg.Media, h.rng); err != nil {
			return err
		}
		_, before, err := dbCheck(ctx, db)
		if err != nil {
			return err
		}
		delay := time.Duration(h.rng.Int63n(int64(h.sum.ImportDuration)))
		finished, err := h.killAfter(ctx, delay, "--archive", archive, "import", src(i))
		if err != nil {
			h.fail("import %d ended on its own with an error: %v", i, err)
		}
		h.sum.ImportKills++
		integrity, after, err := dbCheck(ctx, db)
		if err != nil {
			h.fail("import %d: reading the archive after the kill: %v", i, err)
			continue
		}
		h.check(integrity == "ok", "import %d (killed after %s): integrity_check: %s", i, delay, integrity)
		switch {
		case finished:
			h.sum.FinishedFirst++
			h.check(after == before+perChat, "import %d finished before the kill with %d messages, want %d", i, after, before+perChat)
		case after == before:
			h.sum.None++
			h.sum.ChecksPassed++
		case after == before+perChat:
			h.sum.Landed++
			h.sum.ChecksPassed++
		default:
			h.fail("import %d (killed after %s): %d messages, want %d (nothing) or %d (all)", i, delay, after, before, before+perChat)
		}
		// The next process to open the archive removes what the dead one left.
		if _, err := h.chatvault(ctx, "--archive", archive, "stats"); err != nil {
			h.fail("import %d: stats after the kill: %v", i, err)
		}
		left := privateLeft(archive)
		h.check(len(left) == 0, "import %d (killed after %s): left after the next open: %v", i, delay, left)
		orphans, err := h.doctorOrphans(ctx, archive)
		if err != nil {
			h.fail("import %d: %v", i, err)
		}
		h.sum.OrphansAfter += orphans
		h.check(orphans == 0, "import %d (killed after %s): %d media files nothing refers to after the next open", i, delay, orphans)
		// The next import completes, and the chat is there once.
		if _, err := h.chatvault(ctx, "--archive", archive, "import", src(i)); err != nil {
			h.fail("import %d: the next import: %v", i, err)
		}
		_, final, err := dbCheck(ctx, db)
		h.check(err == nil && final == before+perChat, "import %d: after the next import %d messages, want %d (%v)", i, final, before+perChat, err)
		os.RemoveAll(src(i))
		h.logf("import %d: killed after %s: %s; orphans %d", i, delay.Round(time.Millisecond),
			map[bool]string{true: "finished first", false: map[bool]string{true: "none", false: "landed"}[after == before]}[finished], orphans)
	}
	return nil
}
