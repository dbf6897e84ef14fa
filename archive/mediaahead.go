package archive

import (
	"io"
	"sync"
)

// Copying and hashing media files is most of an import with photos and voice notes. An importer
// that knows which files come next hands them to StageMedia as soon as it sees them; a few
// workers copy them into the store's temporary folder on other cores while the import goes on,
// and AddMedia records each one, in order, on the import's goroutine when its message's turn
// comes.

// mediaWorkers is how many files are copied at once: enough to keep both cores and the disk
// busy, few enough that the memory they hold (a copy buffer each) stays small.
const mediaWorkers = 4

// PendingMedia is a media file being copied into the store.
type PendingMedia struct {
	done chan struct{}
	st   staged
	size int64
	err  error
}

// mediaAhead runs the workers and remembers staged files nobody has added yet, so a rollback
// (or an importer that never adds one) leaves no temporary file behind.
type mediaAhead struct {
	slots   chan struct{}
	running sync.WaitGroup
	mu      sync.Mutex
	untaken map[*PendingMedia]bool
}

// StageMedia starts copying the file that open opens (at most maxBytes, 0 = no limit) into the
// media store. AddMedia must follow, from the import's goroutine.
func (im *Import) StageMedia(open func() (io.ReadCloser, error), maxBytes int64) *PendingMedia {
	ma := &im.ahead
	if ma.slots == nil {
		ma.slots = make(chan struct{}, mediaWorkers)
		ma.untaken = map[*PendingMedia]bool{}
	}
	p := &PendingMedia{done: make(chan struct{})}
	ma.mu.Lock()
	ma.untaken[p] = true
	ma.mu.Unlock()
	ma.slots <- struct{}{} // waits while every worker is busy
	ma.running.Add(1)
	go func() {
		defer func() { <-ma.slots; ma.running.Done(); close(p.done) }()
		r, err := open()
		if err != nil {
			p.err = err
			return
		}
		defer r.Close()
		p.st, p.size, p.err = im.a.media.stage(r, maxBytes)
	}()
	return p
}

// AddMedia waits for a file StageMedia started and records it as PutMedia does.
func (im *Import) AddMedia(p *PendingMedia, mime string) (sha string, size int64, err error) {
	<-p.done
	im.ahead.mu.Lock()
	delete(im.ahead.untaken, p)
	im.ahead.mu.Unlock()
	if p.err != nil {
		return "", 0, p.err
	}
	return im.recordMedia(p.st, p.size, mime)
}

// settle waits for the workers and removes the files nobody added.
func (ma *mediaAhead) settle(m *mediaStore) {
	ma.running.Wait()
	ma.mu.Lock()
	defer ma.mu.Unlock()
	for p := range ma.untaken {
		if p.err == nil {
			m.discard([]staged{p.st})
		}
		delete(ma.untaken, p)
	}
}
