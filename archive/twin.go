package archive

import (
	"context"
	"database/sql"
	"strconv"
)

// Twin is a second read snapshot of the state a Snapshot sees, on a connection of its own, so a
// backup can render months on two cores. Its page cache is small: it streams months in index
// order, which a large cache does not speed up, and every connection's cache counts toward the
// backup's peak memory.
type Twin struct {
	*View
	conn *sql.Conn
	tx   *sql.Tx
}

// twinCacheKiB is a twin connection's page cache, against connCacheKiB of the others.
const twinCacheKiB = 2048

// snapshotMark changes whenever a commit could change what a month renders to: every commit
// that adds or changes messages (or their parts) moves a month's change stamp forward, which
// grows the sum of the stamps, and new messages raise the largest row id.
const snapshotMark = `SELECT (SELECT coalesce(max(rowid), 0) FROM messages), (SELECT count(*) || ':' || total(changed_at) FROM dump_months)`

// Twin opens a twin of s. It returns nil (and no error) when an import committed between the
// two snapshots' starts: the caller then reads on s alone.
func (a *Archive) Twin(ctx context.Context, s *Snapshot) (*Twin, error) {
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(twinCacheKiB)); err != nil {
		conn.Close()
		return nil, err
	}
	t := &Twin{conn: conn}
	if t.tx, err = conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}); err != nil {
		t.Close()
		return nil, err
	}
	t.View = &View{q: t.tx}
	var ownRow, ownStamps, theirRow, theirStamps string
	if err := t.tx.QueryRowContext(ctx, snapshotMark).Scan(&ownRow, &ownStamps); err != nil {
		t.Close()
		return nil, err
	}
	if err := s.tx.QueryRowContext(ctx, snapshotMark).Scan(&theirRow, &theirStamps); err != nil {
		t.Close()
		return nil, err
	}
	if ownRow != theirRow || ownStamps != theirStamps {
		t.Close()
		return nil, nil
	}
	return t, nil
}

// Close ends the twin and gives its connection back with the archive's usual cache.
func (t *Twin) Close() error {
	if t.tx != nil {
		t.tx.Rollback()
	}
	_, err := t.conn.ExecContext(context.Background(), `PRAGMA cache_size = -`+strconv.Itoa(connCacheKiB))
	if e := t.conn.Close(); err == nil {
		err = e
	}
	return err
}
