package archive

import (
	"context"
	"database/sql"
)

// queryer is what reads need: the database itself, or one read transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// View reads the archive. The Archive's own View sees each committed import as it lands; a
// Snapshot's View sees one fixed state for as long as it is open.
type View struct {
	q queryer
}

// Snapshot is a consistent read-only view of the archive: imports that commit while it is open
// are invisible to it. Backups read through one so that every file of a dump agrees.
type Snapshot struct {
	*View
	tx *sql.Tx
}

// Snapshot opens a consistent view. Close it promptly: it holds back WAL checkpoints.
func (a *Archive) Snapshot(ctx context.Context) (*Snapshot, error) {
	tx, err := a.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	// A read transaction's snapshot starts at its first read.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM meta`).Scan(&n); err != nil {
		tx.Rollback()
		return nil, err
	}
	return &Snapshot{View: &View{q: tx}, tx: tx}, nil
}

// Close ends the snapshot.
func (s *Snapshot) Close() error { return s.tx.Rollback() }
