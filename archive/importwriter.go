package archive

import (
	"errors"
	"sync"
	"sync/atomic"
)

// messageWriter writes an import's messages on a goroutine of its own, so the importer's parsing
// and converting (on the caller's goroutine) overlaps SQLite's inserting, while the search index
// fills on a third. Batches go over a channel in order; a batch with an ack channel is a barrier
// that reports once everything before it is written.
type messageWriter struct {
	batches chan writeBatch
	free    chan writeBatch // written batches, reused so the import allocates a few only
	done    chan struct{}
	failed  atomic.Bool // set with the first error, so AddMessage stops early
	stopped sync.Once
}

type writeBatch struct {
	msgs    []Message
	args    []any
	updates []Update // applied after msgs, so an update can name a message of the same batch
	ack     chan error
}

func (im *Import) startWriter() *messageWriter {
	w := &messageWriter{batches: make(chan writeBatch, 8), free: make(chan writeBatch, 10), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		var err error // the first error; later batches are dropped, the import rolls back
		for b := range w.batches {
			if err == nil && len(b.msgs) > 0 {
				err = im.write(b.msgs, b.args)
			}
			if err == nil && len(b.updates) > 0 {
				err = im.applyUpdates(b.updates)
			}
			if err != nil {
				w.failed.Store(true)
			}
			clear(b.args) // drop references to texts already written
			select {
			case w.free <- writeBatch{msgs: b.msgs[:0], args: b.args[:0]}:
			default:
			}
			if b.ack != nil {
				b.ack <- err
			}
		}
	}()
	return w
}

// send hands the pending batch to the writer (with an ack channel: as a barrier).
func (im *Import) send(ack chan error) {
	im.writer.batches <- writeBatch{msgs: im.pending, args: im.args, updates: im.updates, ack: ack}
	im.updates = nil
	select {
	case b := <-im.writer.free:
		im.pending, im.args = b.msgs, b.args
	default:
		im.pending, im.args = make([]Message, 0, insertBatchRows), make([]any, 0, insertBatchRows*len(messageColumns))
	}
}

// flush writes everything added so far and returns the writer's first error.
func (im *Import) flush() error {
	if im.done {
		return errors.New("import already finished")
	}
	ack := make(chan error, 1)
	im.send(ack)
	return <-ack
}

// stop ends the writer goroutine once it has written what it was sent.
func (w *messageWriter) stop() {
	w.stopped.Do(func() {
		close(w.batches)
		<-w.done
	})
}
