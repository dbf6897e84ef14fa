package archive

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver, as chatvault opens it
)

// Archive is an open archive directory.
type Archive struct {
	*View // reads see every committed import
	dir   string
	db    *sql.DB
	reads *preparedDB // a.db for the reads of View and Search, statements kept prepared
	id    string
	media *mediaStore
	index *searchIndex

	tempMu sync.Mutex
	temps  []*privateDir // PrivateTemp folders, removed on Close

	pairs pairCache // two-person conversations, for the guesses of import reports
}

// ErrBusy means another chatvault process is writing to the archive.
var ErrBusy = errors.New("the archive is busy: another chatvault process is writing to it")

// ErrNotArchive means the directory exists but holds something other than a chatvault archive.
var ErrNotArchive = errors.New("not a chatvault archive")

const dbName = "archive.db"

// Open opens the archive in dir, creating it (and dir) when it does not exist yet.
func Open(ctx context.Context, dir string) (*Archive, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create archive directory: %w", err)
	}
	db, err := openDB(filepath.Join(dir, dbName), 4)
	if err != nil {
		return nil, err
	}
	reads := newPreparedDB(db)
	a := &Archive{View: &View{q: reads}, dir: dir, db: db, reads: reads}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("archive %s: %w", dir, err)
	}
	if a.id, err = ensureArchiveID(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	a.media = newMediaStore(filepath.Join(dir, "media"))
	a.Leftovers() //nolint:errcheck // best effort: what a dead process left is removed next time too
	if a.index, err = openSearchIndex(ctx, filepath.Join(dir, indexName)); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// checkDir refuses to turn a non-empty directory that is not an archive into one,
// so a mistyped --archive never scatters files into someone's home folder.
func checkDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("archive %s: %w", dir, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, dbName)); err != nil {
		return fmt.Errorf("archive %s: %w (the folder is not empty and has no %s)", dir, ErrNotArchive, dbName)
	}
	return nil
}

// connCacheKiB is each connection's page cache: 16 MiB keeps memory bounded.
const connCacheKiB = 16384

// openDB opens a SQLite file with the settings every connection needs.
func openDB(path string, maxConns int) (*sql.DB, error) {
	q := url.Values{}
	for _, p := range []string{
		"journal_mode(WAL)",
		"synchronous(FULL)", // an import's commit must survive a power cut: media were synced before it
		"busy_timeout(10000)",
		"cache_size(-" + strconv.Itoa(connCacheKiB) + ")", // a bounded page cache per connection
		"foreign_keys(OFF)",
		"temp_store(MEMORY)", // sorts and temporary tables never spill message text into /tmp
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate") // writers take the lock up front instead of failing mid-transaction
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(maxConns)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

func ensureArchiveID(ctx context.Context, db *sql.DB) (string, error) {
	var id string
	err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='archive_id'`).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	id = randomID(16)
	_, err = db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES('archive_id', ?) ON CONFLICT DO NOTHING`, id)
	if err != nil {
		return "", err
	}
	return id, db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='archive_id'`).Scan(&id)
}

func randomID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// Dir is the archive's directory.
func (a *Archive) Dir() string { return a.dir }

// ID is the archive's stable random identity, kept across backup and restore.
func (a *Archive) ID() string { return a.id }

// Close closes the archive.
func (a *Archive) Close() error {
	a.tempMu.Lock()
	for _, d := range a.temps {
		d.remove()
	}
	a.temps = nil
	a.tempMu.Unlock()
	a.media.close()
	err := a.index.close()
	a.reads.closeStatements()
	if e := a.db.Close(); err == nil {
		err = e
	}
	return err
}
