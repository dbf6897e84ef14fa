package archive

import (
	"context"
	"database/sql"

	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// Check looks at an archive folder without changing it: Open would already remove leftovers and
// replace a damaged search index, and a check must report them first. What it finds is a
// finding in Health, not an error; the error is for not being able to look at all.

// CheckOptions select how deep Check looks.
type CheckOptions struct {
	// ReadMedia reads every media file and compares its bytes with its SHA-256 name.
	ReadMedia bool
}

// Health is what Check found.
type Health struct {
	Dir           string        `json:"dir"`
	Integrity     []string      `json:"integrity,omitempty"` // PRAGMA integrity_check's complaints; empty when "ok"
	IntegrityTook time.Duration `json:"integrity_took_ns"`
	MaxMessageID  int64         `json:"max_message_id"`
	MediaFiles    int           `json:"media_files"` // files under their content names
	Missing       []MissingFile `json:"missing,omitempty"`
	Orphans       []OrphanFile  `json:"orphans,omitempty"`
	Mismatched    []string      `json:"mismatched,omitempty"` // paths whose bytes no longer match their name (ReadMedia)
	MediaRead     int64         `json:"media_bytes_read,omitempty"`
	Leftovers     []Leftover    `json:"leftovers,omitempty"`
	Index         IndexHealth   `json:"index"`
}

// OK reports whether nothing was found.
func (h *Health) OK() bool {
	return len(h.Integrity) == 0 && len(h.Missing) == 0 && len(h.Orphans) == 0 && len(h.Mismatched) == 0 &&
		len(h.Leftovers) == 0 && h.Index.OK()
}

// Check examines the archive in dir read-only.
func Check(ctx context.Context, dir string, o CheckOptions) (*Health, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, dbName)); err != nil {
		return nil, fmt.Errorf("archive %s: %w (no %s)", dir, ErrNotArchive, dbName)
	}
	h := &Health{Dir: dir}
	if h.Leftovers, err = FindLeftovers(dir); err != nil {
		return nil, fmt.Errorf("archive %s: leftovers: %w", dir, err)
	}
	db, err := openReadOnly(filepath.Join(dir, dbName))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	start := time.Now()
	if h.Integrity, err = integrityCheck(ctx, db); err != nil {
		return nil, fmt.Errorf("archive %s: integrity_check: %w", dir, err)
	}
	h.IntegrityTook = time.Since(start)
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM messages`).Scan(&h.MaxMessageID); err != nil {
		return nil, fmt.Errorf("archive %s: %w", dir, err)
	}
	if err := checkMedia(ctx, db, filepath.Join(dir, "media"), o.ReadMedia, h); err != nil {
		return nil, fmt.Errorf("archive %s: media: %w", dir, err)
	}
	// Ids are never reused, but the highest message can be gone (a merged duplicate): an index
	// holding ids up to the table's sequence is not another archive's.
	var seq int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0)`).Scan(&seq); err != nil {
		return nil, fmt.Errorf("archive %s: %w", dir, err)
	}
	h.Index = checkIndex(ctx, filepath.Join(dir, indexName), h.MaxMessageID, seq)
	return h, nil
}

// openReadOnly opens a SQLite file for reading only: a check never writes.
func openReadOnly(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// integrityCheck runs PRAGMA integrity_check, which reads every page (quick_check skips the
// indexes' contents, so it misses an index that no longer matches its table).
func integrityCheck(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		if s != "ok" {
			out = append(out, s)
		}
	}
	return out, rows.Err()
}
