package wachat

import (
	"io"
	"runtime"
	"sync"
)

// The pipeline behind Parse:
//
//	reader goroutine ──chunks──▶ workers (GOMAXPROCS) ──▶ caller's goroutine: fn, in order
//
// The reader splits the input into lines (lineReader), appends them to a
// chunk with '\n' line ends, and closes the chunk before the first line
// that starts a message once the chunk holds chunkTarget bytes. Every
// chunk sent to the workers also goes, in order, into a queue that the
// caller's goroutine reads: it waits for each chunk to be parsed and
// hands its records to fn. The queue's capacity bounds the number of
// chunks in memory. An input that fits in one chunk is parsed on the
// caller's goroutine without starting any other.

// MaxMessageBytes bounds one message (its header line and the lines that follow it).
const MaxMessageBytes = 4 << 20

const (
	chunkTarget = 256 << 10
	maxWorkers  = 8
)

// chunker cuts the input into chunks.
type chunker struct {
	lr     *lineReader
	cfg    *config
	h      header
	fix    chunkParser // for the UTF-8 repair of lines it tests
	carry  []byte      // a line read but not yet put in a chunk
	carryN int
	// free holds record slices of delivered chunks for reuse: a chunk's
	// records are most of what Parse allocates otherwise.
	free chan []Record
}

// next returns the next chunk; it is marked last at the end of the input
// or when reading failed (then err is set).
func (k *chunker) next() *chunk {
	c := &chunk{buf: make([]byte, 0, chunkTarget+chunkTarget/4), done: make(chan struct{})}
	select {
	case c.recs = <-k.free:
	default:
	}
	if k.carry != nil {
		c.firstLine = k.carryN
		c.buf = append(append(c.buf, k.carry...), '\n')
		k.carry = nil
	}
	for {
		line, err := k.lr.next()
		if err != nil {
			c.last = true
			if err != io.EOF {
				c.err = err
			}
			c.sizeRecs(k.lr.line - c.firstLine + 1)
			return c
		}
		if c.firstLine == 0 {
			c.firstLine = k.lr.line
		}
		if len(c.buf) >= chunkTarget && k.starts(line) {
			k.carry = append(k.carry[:0:0], line...)
			k.carryN = k.lr.line
			c.sizeRecs(k.lr.line - c.firstLine)
			return c
		}
		if len(c.buf) >= chunkTarget+MaxMessageBytes {
			// Past the target a chunk only grows until a message starts: one that does
			// not is a single message longer than any WhatsApp allows.
			c.last, c.err = true, &LineError{Line: k.lr.line, Err: ErrMessageTooLong}
			c.sizeRecs(k.lr.line - c.firstLine + 1)
			return c
		}
		c.buf = append(append(c.buf, line...), '\n')
	}
}

// starts reports whether line starts a message, as the workers will see
// it (after the same UTF-8 repair).
func (k *chunker) starts(line []byte) bool {
	if !validLine(line) {
		line, _ = k.fix.fixUTF8(line)
	}
	_, ok := k.cfg.startsMessage(line, &k.h)
	return ok
}

func runPipeline(r io.Reader, cfg *config, opts Options, fn func(*Record) error) error {
	workers := min(runtime.GOMAXPROCS(0), maxWorkers)
	// At most cap(order)+workers+1 chunks exist at once; that many record
	// slices are worth keeping.
	k := &chunker{lr: newLineReader(r, opts.maxLine()), cfg: cfg, free: make(chan []Record, 3*workers+3)}
	first := k.next()
	if first.last {
		cp := &chunkParser{cfg: cfg}
		cp.parse(first)
		return deliver(first, opts, fn)
	}

	work := make(chan *chunk, workers)
	order := make(chan *chunk, 2*workers+2)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cp := &chunkParser{cfg: cfg}
			for c := range work {
				cp.parse(c)
				close(c.done)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(work)
		defer close(order)
		c := first
		for {
			select {
			case order <- c:
			case <-stop:
				return
			}
			work <- c
			if c.last {
				return
			}
			c = k.next()
		}
	}()

	var err error
	for c := range order {
		<-c.done
		if err == nil {
			err = deliver(c, opts, fn)
			if err != nil {
				close(stop)
			}
		}
		recycle(k.free, c)
	}
	wg.Wait()
	return err
}

// deliver hands a parsed chunk's lines and records to the caller, and
// then reports the error that ended reading after it, if any.
func deliver(c *chunk, opts Options, fn func(*Record) error) error {
	if opts.OnUnparsed != nil {
		for _, u := range c.unparsed {
			opts.OnUnparsed(u.line, u.text)
		}
	}
	for i := range c.recs {
		if err := fn(&c.recs[i]); err != nil {
			return err
		}
	}
	return c.err
}

// recycle offers a delivered chunk's record slice for reuse.
func recycle(free chan []Record, c *chunk) {
	clear(c.recs) // drop references to the chunk's buffer and attachments
	select {
	case free <- c.recs[:0]:
	default:
	}
	c.recs = nil
}

// sizeRecs makes room for the records of a chunk of n lines (at most one
// record a line), unless a reused slice is big enough.
func (c *chunk) sizeRecs(n int) {
	if cap(c.recs) < n {
		c.recs = make([]Record, 0, n+n/4)
	}
}
