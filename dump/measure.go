package dump

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

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
func (d *Dump) measureAll(ctx context.Context, stale []archive.DumpMonth, progress func(done, total int), spool bool) ([]archive.DumpMonth, error) {
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
	if spool && len(stale) >= spoolMinMonths {
		d.spool = newSpool(d.a.PrivateTemp, d.Manifest.Counts.MediaBytes)
	}
	files := make([]*spoolFile, len(views))
	if d.spool != nil {
		for i := range files {
			files[i] = d.spool.file()
		}
		defer d.spool.finish()
	}
	out := make([]archive.DumpMonth, len(stale))
	var next atomic.Int64
	var mu sync.Mutex // progress is told in order, one call at a time
	done := 0
	if progress != nil {
		progress(0, len(stale))
	}
	g, gctx := errgroup.WithContext(ctx)
	for vi, v := range views {
		g.Go(func() error {
			for i := int(next.Add(1) - 1); i < len(stale); i = int(next.Add(1) - 1) {
				mm := stale[i]
				got, err := measureMonth(gctx, v, d.keys, mm, files[vi])
				if err != nil {
					return fmt.Errorf("render %s of conversation %d: %w", mm.Month, mm.ConversationID, err)
				}
				out[i] = got
				if progress != nil {
					mu.Lock()
					done++
					progress(done, len(stale))
					mu.Unlock()
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
