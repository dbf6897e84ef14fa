package archive

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofrs/flock"
)

// A media file gets its content name before the import that stored it commits (publish, then
// commit). A process killed between the two leaves files nothing refers to. So publish first
// writes the names it is about to create into a journal in its private staging folder; the next
// process that finds the folder abandoned removes those of the names nothing refers to, under the
// archive's write lock (no living import is between its publish and its commit then).

const journalName = "published"

// writeJournal appends the staged files' names to the staging folder's journal and syncs it.
func writeJournal(dir string, files []staged) error {
	f, err := os.OpenFile(filepath.Join(dir, journalName), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, st := range files {
		b.WriteString(st.sha)
		b.WriteByte('\n')
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// undoPublished removes the files a dead process's journal in dir names that nothing in the
// archive refers to. It reports false when it could not look (the archive is busy with another
// writer): the folder is then kept for a later open.
func (a *Archive) undoPublished(dir string) bool {
	f, err := os.Open(filepath.Join(dir, journalName))
	if err != nil {
		return true // nothing published
	}
	defer f.Close()
	ctx := context.Background()
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return false
	}
	defer conn.Close()
	// Do not make every open wait for a running import: try briefly, and leave the folder for
	// the next open when busy.
	if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = 200`); err != nil {
		return false
	}
	defer conn.ExecContext(ctx, `PRAGMA busy_timeout = 10000`) //nolint:errcheck // the pool's setting back
	tx, err := conn.BeginTx(ctx, nil)                          // immediate: holds the write lock
	if err != nil {
		return false
	}
	defer tx.Rollback() //nolint:errcheck // nothing written
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sha := sc.Text()
		if !ValidSHA256(sha) || referenced(ctx, tx, sha) {
			continue
		}
		os.Remove(a.media.path(sha))
	}
	return true
}

func referenced(ctx context.Context, tx *sql.Tx, sha string) bool {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM media WHERE sha256 = ?) + (SELECT count(*) FROM attachments WHERE sha256 = ?)`, sha, sha).Scan(&n)
	return err != nil || n > 0 // when unsure, keep it
}

// clearJournal removes the journal once the import that wrote it committed or undid its files
// itself: from then on nothing in it needs undoing.
func (m *mediaStore) clearJournal() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stageDir != nil {
		os.Remove(filepath.Join(m.stageDir.path, journalName))
	}
}

// livingJournals returns the names that living processes' journals under parent list: files an
// import is between publishing and committing, which a check must not call unreferenced.
func livingJournals(parent string) map[string]bool {
	out := map[string]bool{}
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		p := filepath.Join(parent, e.Name())
		if _, err := os.Stat(p + ".lock"); err != nil {
			continue // no lock file: nobody holds it
		}
		lock := flock.New(p + ".lock")
		if ok, err := lock.TryLock(); err == nil && ok {
			lock.Unlock()
			continue // dead: its files are reported
		}
		if b, err := os.ReadFile(filepath.Join(p, journalName)); err == nil {
			for _, sha := range strings.Fields(string(b)) {
				out[sha] = true
			}
		}
	}
	return out
}
