package viewer

import (
	"container/list"
	"context"
	"io"
	"sync"

	"github.com/chatvault/chatvault/internal/silk"
)

// Voice notes a browser cannot play (SILK) are served as WAV, converted when asked for. A
// browser asks for one file several times (a range for its length, then the sound), so the last
// conversions are kept, up to voiceCacheBytes; and only voiceWorkers convert at once, so a page
// of voice notes, or a hostile file, takes at most that many decoders' memory.
const (
	voiceCacheBytes = 48 << 20
	voiceWorkers    = 2
)

type voiceCache struct {
	slots chan struct{}
	mu    sync.Mutex
	order *list.List // of *voiceEntry, most recent first
	bySHA map[string]*list.Element
	bytes int
}

type voiceEntry struct {
	sha string
	wav []byte
}

func newVoiceCache() *voiceCache {
	return &voiceCache{slots: make(chan struct{}, voiceWorkers), order: list.New(), bySHA: map[string]*list.Element{}}
}

// wav returns the file named sha as WAV, converting it from r when it is not kept.
func (c *voiceCache) wav(ctx context.Context, sha string, r io.Reader) ([]byte, error) {
	if b := c.get(sha); b != nil {
		return b, nil
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.slots }()
	if b := c.get(sha); b != nil { // converted while this one waited
		return b, nil
	}
	b, err := silk.ToWAV(ctx, r)
	if err != nil {
		return nil, err
	}
	c.put(sha, b)
	return b, nil
}

func (c *voiceCache) get(sha string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.bySHA[sha]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*voiceEntry).wav
	}
	return nil
}

func (c *voiceCache) put(sha string, wav []byte) {
	if len(wav) > voiceCacheBytes/4 {
		return // a long one is converted again when asked for, not kept
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.bySHA[sha]; ok {
		return
	}
	c.bySHA[sha] = c.order.PushFront(&voiceEntry{sha, wav})
	c.bytes += len(wav)
	for c.bytes > voiceCacheBytes {
		old := c.order.Remove(c.order.Back()).(*voiceEntry)
		delete(c.bySHA, old.sha)
		c.bytes -= len(old.wav)
	}
}
