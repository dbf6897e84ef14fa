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

// Span is how many messages a conversation has in a range, and the first and last one's times.
type Span struct {
	Messages    int
	First, Last time.Time // zero when there are no messages
}

// MessageSpan measures a conversation's messages in [since, until) (zero bounds are open)
// without reading them: a chat's header can say its whole range before its pages are written.
func (v *View) MessageSpan(ctx context.Context, conversationID int64, since, until time.Time) (Span, error) {
	q, args := rangeQuery(`SELECT count(*), min(ts), max(ts) FROM messages WHERE conversation_id = ?`, conversationID, since, until)
	var s Span
	var first, last sql.NullInt64
	if err := v.q.QueryRowContext(ctx, q, args...).Scan(&s.Messages, &first, &last); err != nil {
		return Span{}, err
	}
	if s.Messages > 0 {
		s.First, s.Last = time.UnixMilli(first.Int64).UTC(), time.UnixMilli(last.Int64).UTC()
	}
	return s, nil
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
