package archive

import (
	"container/heap"
	"context"
	"fmt"
	"strings"
	"time"
)

// SearchQuery is a full-text search.
type SearchQuery struct {
	Text           string
	ConversationID int64 // 0 = everywhere
	Since, Until   time.Time
	Limit          int // 0 = 50
}

// Hit is one message that matches, newest first.
type Hit struct {
	Message *Message
}

// Search finds messages whose text (or attachment file names) contain every term, newest first.
// Latin-script terms match words by prefix; Chinese, Japanese, Korean and Thai terms match as
// substrings; "quoted phrases" match exactly.
func (a *Archive) Search(ctx context.Context, q SearchQuery) ([]Hit, error) {
	match := ftsQuery(q.Text)
	if match == "" {
		return nil, fmt.Errorf("nothing to search for in %q", q.Text)
	}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if err := a.catchUpIndex(ctx); err != nil && err != ErrBusy {
		return nil, err
	}
	rows, err := a.index.db.QueryContext(ctx, `SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC`, match)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	// Rank candidates by time in batches, keeping only the newest Limit: bounded memory even when
	// a common word matches millions of messages.
	best := &hitHeap{}
	batch := make([]int64, 0, 500)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := a.rankBatch(ctx, batch, q, best)
		batch = batch[:0]
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		batch = append(batch, id)
		if len(batch) == cap(batch) {
			if err := flush(); err != nil {
				rows.Close()
				return nil, err
			}
		}
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	ids := make([]int64, best.Len())
	for i := len(ids) - 1; i >= 0; i-- {
		ids[i] = heap.Pop(best).(hitKey).id
	}
	hits := make([]Hit, 0, len(ids))
	msgs := make([]*Message, 0, len(ids))
	for _, id := range ids {
		m, err := a.messageByID(ctx, id)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
		hits = append(hits, Hit{Message: m})
	}
	return hits, a.loadParts(ctx, msgs)
}

type hitKey struct {
	ts, id int64
}

// hitHeap is a min-heap on (ts, id): the oldest of the kept hits is on top, ready to be replaced.
type hitHeap []hitKey

func (h hitHeap) Len() int { return len(h) }
func (h hitHeap) Less(i, j int) bool {
	return h[i].ts < h[j].ts || h[i].ts == h[j].ts && h[i].id < h[j].id
}
func (h hitHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)   { *h = append(*h, x.(hitKey)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (a *Archive) rankBatch(ctx context.Context, ids []int64, q SearchQuery, best *hitHeap) error {
	args := make([]any, 0, len(ids)+3)
	for _, id := range ids {
		args = append(args, id)
	}
	query := `SELECT id, ts FROM messages WHERE id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + `)`
	if q.ConversationID != 0 {
		query += ` AND conversation_id = ?`
		args = append(args, q.ConversationID)
	}
	if !q.Since.IsZero() {
		query += ` AND ts >= ?`
		args = append(args, q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		query += ` AND ts < ?`
		args = append(args, q.Until.UnixMilli())
	}
	rows, err := a.db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k hitKey
		if err := rows.Scan(&k.id, &k.ts); err != nil {
			return err
		}
		if best.Len() < q.Limit {
			heap.Push(best, k)
		} else if top := (*best)[0]; k.ts > top.ts || k.ts == top.ts && k.id > top.id {
			(*best)[0] = k
			heap.Fix(best, 0)
		}
	}
	return rows.Err()
}

func (a *Archive) messageByID(ctx context.Context, id int64) (*Message, error) {
	rows, err := a.db.QueryContext(ctx, messageSelect+` WHERE id=?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, fmt.Errorf("message %d vanished during the search", id)
	}
	m := &Message{}
	return m, scanMessage(rows, m)
}

// catchUpIndex indexes the messages the index does not hold yet (after a crash between the
// archive's commit and the index's, or a deleted index file).
func (a *Archive) catchUpIndex(ctx context.Context) error {
	w, err := a.index.watermark(ctx)
	if err != nil {
		return mapBusy(err)
	}
	var maxID int64
	if err := a.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM messages`).Scan(&maxID); err != nil {
		return err
	}
	if maxID <= w {
		return nil
	}
	iw, err := a.index.begin(ctx)
	if err != nil {
		return mapBusy(err)
	}
	for from := w; from < maxID; {
		docs, last, err := a.indexDocsAfter(ctx, from, maxID, 5000)
		if err != nil {
			iw.abort()
			return err
		}
		iw.add(docs)
		from = last
		if len(docs) == 0 {
			break
		}
	}
	return mapBusy(iw.commit(maxID))
}

func (a *Archive) indexDocsAfter(ctx context.Context, after, upTo int64, n int) ([]indexDoc, int64, error) {
	rows, err := a.db.QueryContext(ctx, messageSelect+` WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`, after, upTo, n)
	if err != nil {
		return nil, after, err
	}
	var page []*Message
	for rows.Next() {
		m := &Message{}
		if err := scanMessage(rows, m); err != nil {
			rows.Close()
			return nil, after, err
		}
		page = append(page, m)
	}
	if err := rows.Close(); err != nil {
		return nil, after, err
	}
	if err := a.loadParts(ctx, page); err != nil {
		return nil, after, err
	}
	docs := make([]indexDoc, len(page))
	for i, m := range page {
		docs[i] = indexDoc{id: m.ID, text: searchText(m)}
		after = m.ID
	}
	return docs, after, nil
}
