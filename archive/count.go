package archive

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// CountMessages counts a conversation's messages in [since, until) (zero bounds are open)
// without reading them.
func (v *View) CountMessages(ctx context.Context, conversationID int64, since, until time.Time) (int, error) {
	q, args := rangeQuery(`SELECT count(*) FROM messages WHERE conversation_id = ?`, conversationID, since, until)
	var n int
	err := v.q.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

// HasSeconds reports whether any message of a conversation in [since, until) has a time that is
// not on a whole minute (a text export then needs seconds in its headers).
func (v *View) HasSeconds(ctx context.Context, conversationID int64, since, until time.Time) (bool, error) {
	q, args := rangeQuery(`SELECT 1 FROM messages WHERE conversation_id = ? AND ts % 60000 <> 0`, conversationID, since, until)
	var one int
	err := v.q.QueryRowContext(ctx, `SELECT EXISTS (`+q+`)`, args...).Scan(&one)
	return one == 1, err
}

func rangeQuery(q string, conversationID int64, since, until time.Time) (string, []any) {
	args := []any{conversationID}
	if !since.IsZero() {
		q += ` AND ts >= ?`
		args = append(args, since.UnixMilli())
	}
	if !until.IsZero() {
		q += ` AND ts < ?`
		args = append(args, until.UnixMilli())
	}
	return q, args
}

// MediaType is the MIME type recorded for a stored media file ("" when unknown).
func (v *View) MediaType(ctx context.Context, sha string) (string, error) {
	var mime string
	err := v.q.QueryRowContext(ctx, `SELECT mime FROM media WHERE sha256 = ?`, sha).Scan(&mime)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return mime, err
}
