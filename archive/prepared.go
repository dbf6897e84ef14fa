package archive

import (
	"context"
	"database/sql"
	"strconv"
	"sync"
)

// preparedDB is a database that prepares each statement text once and keeps it (on every pooled
// connection that runs it). Reads that run a handful of small statements, as a search does,
// spent a third of their time in SQLite's parser before. Statement texts must not embed values:
// lists of ids go in as one JSON array (jsonIDs). Past maxPrepared texts, statements run unprepared.
type preparedDB struct {
	*sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

const maxPrepared = 128

func newPreparedDB(db *sql.DB) *preparedDB {
	return &preparedDB{DB: db, stmts: map[string]*sql.Stmt{}}
}

func (p *preparedDB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	p.mu.Lock()
	st, ok := p.stmts[query]
	full := len(p.stmts) >= maxPrepared
	p.mu.Unlock()
	if ok || full {
		return st, nil
	}
	// Prepared without the lock: preparing waits for a free connection, and the connections may
	// be held by this process's open rows, whose next statement needs the lock.
	st, err := p.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if kept, ok := p.stmts[query]; ok {
		st.Close()
		return kept, nil
	}
	p.stmts[query] = st
	return st, nil
}

func (p *preparedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return p.DB.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

func (p *preparedDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, query)
	if err != nil || st == nil {
		// An error to prepare comes back from Scan, as it would unprepared.
		return p.DB.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// closeStatements closes the kept statements; the database is closed by its owner.
func (p *preparedDB) closeStatements() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, st := range p.stmts {
		st.Close()
	}
	p.stmts = map[string]*sql.Stmt{}
}

// inIDs is the SQL for "is one of the ids in the JSON array parameter": one statement text
// whatever the number of ids, so it can be prepared once. SQLite looks each id up by the index
// (or rowid) on the left, as it does for a literal list.
const inIDs = `IN (SELECT value FROM json_each(?))`

// jsonIDs is the parameter for inIDs.
func jsonIDs(ids []int64) string {
	b := make([]byte, 0, 2+len(ids)*8)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
