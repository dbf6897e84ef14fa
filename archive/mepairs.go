package archive

import (
	"context"
	"database/sql"
	"sync"
)

// pairCache keeps the two-person conversations between the imports of one process: a folder of
// 10,000 chats must not read every conversation's members once per chat. An import refreshes the
// conversations it touched; a rolled-back one drops the cache. Another process's import in between
// can leave it behind, which costs at most a guess in a report.
type pairCache struct {
	mu    sync.Mutex
	pairs map[int64][2]int64 // conversation -> its two members; nil until first read
}

func (c *pairCache) drop() {
	c.mu.Lock()
	c.pairs = nil
	c.mu.Unlock()
}

// twoPersonPairs is View.twoPersonChats for an import in progress, from the cache.
func (im *Import) twoPersonPairs() ([][2]int64, error) {
	c := &im.a.pairs
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pairs == nil {
		m, err := readPairs(im.ctx, im.tx, "")
		if err != nil {
			return nil, err
		}
		c.pairs = m
	} else if len(im.convs) > 0 {
		m, err := readPairs(im.ctx, im.tx, " AND conversation_id IN ("+idList(im.convs)+")")
		if err != nil {
			c.pairs = nil
			return nil, err
		}
		for id := range im.convs {
			delete(c.pairs, id)
		}
		for id, p := range m {
			c.pairs[id] = p
		}
	}
	out := make([][2]int64, 0, len(c.pairs))
	for _, p := range c.pairs {
		out = append(out, p)
	}
	return out, nil
}

// readPairs reads the conversations of exactly two members (those the filter keeps).
func readPairs(ctx context.Context, tx *sql.Tx, filter string) (map[int64][2]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT conversation_id, min(participant_id), max(participant_id)
		FROM conversation_members WHERE 1=1`+filter+`
		GROUP BY conversation_id HAVING count(*) = 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int64][2]int64{}
	for rows.Next() {
		var conv int64
		var p [2]int64
		if err := rows.Scan(&conv, &p[0], &p[1]); err != nil {
			return nil, err
		}
		m[conv] = p
	}
	return m, rows.Err()
}
