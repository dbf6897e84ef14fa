package dump

import (
	"context"
	"runtime"
	"sync"

	"github.com/chatvault/chatvault/archive"
)

// readers lend archive views to render month files from, so that several months render at once:
// one snapshot is one SQLite connection, and its reads run one at a time.
//
// Besides the dump's own snapshot, up to maxExtra more read transactions are opened as needed.
// They start later than the dump's snapshot, so an import may have committed in between: a month
// is rendered from one only when that snapshot sees the month's change stamp the dump measured
// (the stamp moves with every change to the month's messages, in the same transaction), else
// from the dump's own snapshot, which any number of goroutines may share.
type readers struct {
	main     *archive.View
	open     func(ctx context.Context) (*archive.Snapshot, error)
	maxExtra int

	mu     sync.Mutex
	all    []*extraReader
	free   []*extraReader
	closed bool
}

// extraCacheKiB is the page cache of each extra snapshot (the dump's own keeps the usual 16 MiB).
const extraCacheKiB = 2 << 10

// extraReader is one more snapshot, and the change stamps it sees, by conversation and month.
type extraReader struct {
	snap    *archive.Snapshot
	stamps  map[int64]map[string]int64
	failing bool // could not read its stamps: not used again
}

func newReaders(a *archive.Archive, main *archive.View) *readers {
	// The archive's pool has 4 connections: the dump's snapshot, at most two more, and one
	// left for whatever else runs.
	return &readers{main: main, open: a.Snapshot, maxExtra: min(runtime.GOMAXPROCS(0), 3) - 1}
}

// parallel is how many months may usefully render at once.
func (r *readers) parallel() int { return r.maxExtra + 1 }

// get lends a view that sees month mm as the dump measured it; release gives it back.
func (r *readers) get(ctx context.Context, mm archive.DumpMonth) (v *archive.View, release func()) {
	e := r.take(ctx)
	if e == nil {
		return r.main, func() {}
	}
	if !e.sees(ctx, mm) {
		r.give(e)
		return r.main, func() {}
	}
	return e.snap.View, func() { r.give(e) }
}

func (r *readers) take(ctx context.Context) *extraReader {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	if n := len(r.free); n > 0 {
		e := r.free[n-1]
		r.free = r.free[:n-1]
		return e
	}
	if len(r.all) >= r.maxExtra {
		return nil
	}
	// A transaction ends when its context does: this one lives until close, not until the
	// render that asked for it.
	snap, err := r.open(context.WithoutCancel(ctx))
	if err != nil {
		r.maxExtra = len(r.all) // the pool is busy: make do with what there is
		return nil
	}
	// Months stream in order: a small page cache does, and keeps the backup's memory bounded.
	if err := snap.LimitCache(ctx, extraCacheKiB); err != nil {
		snap.Close()
		r.maxExtra = len(r.all)
		return nil
	}
	e := &extraReader{snap: snap, stamps: map[int64]map[string]int64{}}
	r.all = append(r.all, e)
	return e
}

func (r *readers) give(e *extraReader) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !e.failing {
		r.free = append(r.free, e)
	}
}

// sees reports whether the snapshot holds month mm as it was measured.
func (e *extraReader) sees(ctx context.Context, mm archive.DumpMonth) bool {
	stamps, ok := e.stamps[mm.ConversationID]
	if !ok {
		months, err := e.snap.DumpMonths(ctx, mm.ConversationID)
		if err != nil {
			e.failing = true
			return false
		}
		stamps = make(map[string]int64, len(months))
		for _, m := range months {
			stamps[m.Month] = m.ChangedAt
		}
		e.stamps[mm.ConversationID] = stamps
	}
	at, ok := stamps[mm.Month]
	return ok && at == mm.ChangedAt
}

// close ends the extra snapshots; views lent out must have been given back.
func (r *readers) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	var err error
	for _, e := range r.all {
		if e2 := e.snap.Close(); e2 != nil && err == nil {
			err = e2
		}
	}
	r.all, r.free = nil, nil
	return err
}
