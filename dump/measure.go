package dump

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/chatvault/chatvault/archive"
)

// twinMinMonths is how many stale months make a second reader worth opening: a first backup has
// thousands, a nightly one a handful.
const twinMinMonths = 16

// measureAll renders every stale month once to learn its digest, size and count, in order. With
// many months and more than one core it reads on the dump's snapshot and on a twin of it at once:
// SQLite stepping through the messages is most of a first backup's rendering, and one
// connection steps on one core. Should the archive have changed between the two snapshots'
// starts, it reads on the snapshot alone.
func (d *Dump) measureAll(ctx context.Context, stale []archive.DumpMonth, progress func(done, total int)) ([]archive.DumpMonth, error) {
	views := []*archive.View{d.snap.View}
	if len(stale) >= twinMinMonths && runtime.GOMAXPROCS(0) > 1 {
		twin, err := d.a.Twin(ctx, d.snap)
		if err != nil {
			return nil, err
		}
		if twin != nil {
			defer twin.Close()
			views = append(views, twin.View)
		}
	}
	d.readers = len(views)
	out := make([]archive.DumpMonth, len(stale))
	var (
		mu       sync.Mutex
		next     int
		done     int
		firstErr error
	)
	report := func() {
		if progress != nil {
			progress(done, len(stale))
		}
	}
	report()
	var wg sync.WaitGroup
	for _, v := range views {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				stop := i >= len(stale) || firstErr != nil
				mu.Unlock()
				if stop {
					return
				}
				mm := stale[i]
				got, err := measureMonth(ctx, v, d.keys, mm)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("render %s of conversation %d: %w", mm.Month, mm.ConversationID, err)
				}
				out[i] = got
				done++
				report()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if len(views) > 1 {
		// Two renderers' garbage, given back before the upload starts: otherwise the heap they
		// grew stays mapped while kopia's buffers come on top of it.
		debug.FreeOSMemory()
	}
	return out, nil
}
