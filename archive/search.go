package archive

import (
	"container/heap"
	"context"
	"fmt"
	"math"
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
	terms := ftsTerms(q.Text)
	if len(terms) == 0 {
		return nil, fmt.Errorf("nothing to search for in %q", q.Text)
	}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if err := a.catchUpIndex(ctx); err != nil && err != ErrBusy {
		return nil, err
	}
	match, err := a.index.matchExpr(ctx, terms)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	lo, hi := int64(0), int64(math.MaxInt64) // hi: the last key, inclusive
	if !q.Since.IsZero() {
		lo = keyDay(q.Since.UnixMilli()) << keyIDBits
	}
	if !q.Until.IsZero() {
		hi = keyDay(q.Until.UnixMilli()-1)<<keyIDBits | keyIDMask
	}
	// Keys are in time order (searchkey.go): FTS5 hands over matches newest first, and reading stops
	// once the page is full and every key left is older than its oldest hit.
	rows, err := a.index.reads.QueryContext(ctx, `SELECT rowid FROM fts WHERE fts MATCH ? AND rowid >= ? AND rowid <= ? ORDER BY rowid DESC`, match, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	best := &hitHeap{}
	seen := map[int64]bool{} // a message whose time or text changed is indexed under more than one key
	batch := make([]int64, 0, rankBatchMax)
	size := min(q.Limit+8, rankBatchMax)
	for rows.Next() {
		var key int64
		if err := rows.Scan(&key); err != nil {
			rows.Close()
			return nil, err
		}
		if id := keyID(key); !seen[id] {
			seen[id] = true
			batch = append(batch, id)
		}
		if len(batch) < size {
			continue
		}
		if err := a.rankBatch(ctx, batch, q, best); err != nil {
			rows.Close()
			return nil, err
		}
		batch = batch[:0]
		size = min(2*size, rankBatchMax)
		// Every key still to come is of this day or older; a full page whose oldest hit is newer
		// than the whole day is final.
		if best.Len() == q.Limit && (*best)[0].ts >= (key>>keyIDBits+1)*dayMilli {
			break
		}
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if len(batch) > 0 {
		if err := a.rankBatch(ctx, batch, q, best); err != nil {
			return nil, err
		}
	}
	ids := make([]int64, best.Len())
	for i := len(ids) - 1; i >= 0; i-- {
		ids[i] = heap.Pop(best).(hitKey).id
	}
	var msgs []*Message
	for len(ids) > 0 {
		n := min(len(ids), rankBatchMax)
		page, err := a.messagesByID(ctx, ids[:n])
		if err != nil {
			return nil, err
		}
		msgs, ids = append(msgs, page...), ids[n:]
	}
	hits := make([]Hit, len(msgs))
	for i, m := range msgs {
		hits[i] = Hit{Message: m}
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

// rankBatchMax bounds the ids looked up in archive.db per statement.
const rankBatchMax = 500

// rankSQL looks up candidates by row id only. Filtering by chat or time in SQL would let SQLite
// prefer the (conversation_id, ts) index and scan the whole chat for every batch (74 s for one
// common word in a chat of a 1M-message archive); in Go the filter costs nothing.
const rankSQL = `SELECT id, conversation_id, ts FROM messages WHERE id ` + inIDs

func (a *Archive) rankBatch(ctx context.Context, ids []int64, q SearchQuery, best *hitHeap) error {
	rows, err := a.reads.QueryContext(ctx, rankSQL, jsonIDs(ids))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k hitKey
		var conv int64
		if err := rows.Scan(&k.id, &conv, &k.ts); err != nil {
			return err
		}
		if q.ConversationID != 0 && conv != q.ConversationID ||
			!q.Since.IsZero() && k.ts < q.Since.UnixMilli() ||
			!q.Until.IsZero() && k.ts >= q.Until.UnixMilli() {
			continue
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

// messagesByID reads the messages of ids (at most rankBatchMax), in that order, in one statement.
func (a *Archive) messagesByID(ctx context.Context, ids []int64) ([]*Message, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := a.reads.QueryContext(ctx, messageSelect+` WHERE id `+inIDs, jsonIDs(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[int64]*Message, len(ids))
	for rows.Next() {
		m := &Message{}
		if err := scanMessage(rows, m); err != nil {
			return nil, err
		}
		byID[m.ID] = m
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	msgs := make([]*Message, len(ids))
	for i, id := range ids {
		if msgs[i] = byID[id]; msgs[i] == nil {
			return nil, fmt.Errorf("message %d vanished during the search", id)
		}
	}
	return msgs, nil
}

// catchUpIndex indexes the messages the index does not hold yet (after a crash between the
// archive's commit and the index's, or a deleted index file).
func (a *Archive) catchUpIndex(ctx context.Context) error {
	w, err := a.index.watermark(ctx)
	if err != nil {
		return mapBusy(err)
	}
	var maxID int64
	if err := a.reads.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM messages`).Scan(&maxID); err != nil {
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
		docs[i] = indexDoc{id: m.ID, ts: m.Time.UnixMilli(), text: searchText(m)}
		after = m.ID
	}
	return docs, after, nil
}
