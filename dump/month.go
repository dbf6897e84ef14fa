package dump

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/chatvault/chatvault/archive"
)

// writeMonth writes a conversation month's messages as JSON Lines and returns how many.
func writeMonth(ctx context.Context, v *archive.View, k *keys, convID int64, month string, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	n := 0
	err := v.EachMonthMessage(ctx, convID, month, func(m *archive.Message) error {
		l := k.messageLine(m)
		line = appendMessageLine(line[:0], &l)
		n++
		_, err := bw.Write(line)
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, bw.Flush()
}

// renderMonth writes month mm from whichever reader is free.
func (d *Dump) renderMonth(ctx context.Context, mm archive.DumpMonth, w io.Writer) (int, error) {
	v, release := d.readers.get(ctx, mm)
	defer release()
	return writeMonth(ctx, v, d.keys, mm.ConversationID, mm.Month, w)
}

// measureMonth renders a month only to learn its digest, size and message count.
func (d *Dump) measureMonth(ctx context.Context, m archive.DumpMonth) (archive.DumpMonth, error) {
	dw := newDigestWriter()
	n, err := d.renderMonth(ctx, m, dw)
	if err != nil {
		return m, fmt.Errorf("render %s of conversation %d: %w", m.Month, m.ConversationID, err)
	}
	m.Digest, m.Size, m.Messages, m.DigestOf = dw.sum(), dw.size, n, m.ChangedAt
	return m, nil
}

// measureMonths measures several months at once (a first backup renders every month) and
// returns them in the order given. progress, when set, hears of each month done, one call at
// a time, and last of all of every month.
func (d *Dump) measureMonths(ctx context.Context, months []archive.DumpMonth, progress func(done, total int)) ([]archive.DumpMonth, error) {
	if len(months) == 0 {
		if progress != nil {
			progress(0, 0)
		}
		return nil, nil
	}
	out := make([]archive.DumpMonth, len(months))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		done  int
		first error
		next  = make(chan int)
		wg    sync.WaitGroup
	)
	report := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if first == nil {
				first = err
				cancel()
			}
			return
		}
		done++
		if progress != nil && done < len(months) {
			progress(done, len(months))
		}
	}
	if progress != nil {
		progress(0, len(months))
	}
	for w := 0; w < min(d.readers.parallel(), len(months)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				got, err := d.measureMonth(ctx, months[i])
				out[i] = got
				report(err)
			}
		}()
	}
feed:
	for i := range months {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if progress != nil {
		progress(len(months), len(months))
	}
	return out, nil
}
