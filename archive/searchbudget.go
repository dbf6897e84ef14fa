package archive

import "sync"

// indexQueueBytes bounds the text waiting for the index goroutine, whatever the count: 32,768
// queued documents are a few megabytes of chat messages but could be gigabytes of long ones.
const indexQueueBytes = 16 << 20

// byteBudget lets a sender wait until the bytes in flight leave room for its own. One piece
// larger than the whole budget still goes, alone.
type byteBudget struct {
	mu   sync.Mutex
	cond sync.Cond
	used int
}

func newByteBudget() *byteBudget {
	b := &byteBudget{}
	b.cond.L = &b.mu
	return b
}

func (b *byteBudget) take(n, limit int) {
	b.mu.Lock()
	for b.used > 0 && b.used+n > limit {
		b.cond.Wait()
	}
	b.used += n
	b.mu.Unlock()
}

func (b *byteBudget) give(n int) {
	b.mu.Lock()
	b.used -= n
	b.cond.Broadcast()
	b.mu.Unlock()
}

// docBytes is what a piece of documents holds, for the budget.
func docBytes(docs []indexDoc) int {
	n := 0
	for _, d := range docs {
		n += 64 + len(d.text)
	}
	return n
}
