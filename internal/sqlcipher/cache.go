package sqlcipher

import (
	"container/list"
	"sync"
)

// cachePages bounds the decrypted-page cache: enough for SQLite's b-tree descents and overflow
// chains to hit, small enough (at most 64 × 64 KiB) to ignore.
const cachePages = 64

// pageCache is a small LRU of decrypted pages, safe for concurrent use.
type pageCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front = most recent; values are *cached
	byNo  map[int64]*list.Element
}

type cached struct {
	pgno int64
	data []byte
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, order: list.New(), byNo: make(map[int64]*list.Element)}
}

func (c *pageCache) get(pgno int64) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byNo[pgno]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cached).data
	}
	return nil
}

func (c *pageCache) put(pgno int64, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byNo[pgno]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.byNo[pgno] = c.order.PushFront(&cached{pgno, data})
	for c.order.Len() > c.max {
		e := c.order.Back()
		c.order.Remove(e)
		delete(c.byNo, e.Value.(*cached).pgno)
	}
}
