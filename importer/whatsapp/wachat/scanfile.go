package wachat

import (
	"bytes"
	"io"
)

// splitScanBytes is the size from which ScanFile reads a file's two halves on two cores: the
// first pass over a 60 MB chat (1,000,000 messages) is a quarter of a second on one core, spent
// before anything else of the import can start.
const splitScanBytes = 16 << 20

// ScanFile is Scan for a file that can be read at any offset: a large UTF-8 file is scanned as
// two halves at once, split after a line break, and their statistics joined. The Layout and the
// errors are Scan's, line numbers included.
func ScanFile(f io.ReaderAt, size int64, opts Options) (Layout, error) {
	whole := func() (Layout, error) { return Scan(io.NewSectionReader(f, 0, size), opts) }
	if size < splitScanBytes {
		return whole()
	}
	cut, err := lineStartAfter(f, size/2, size)
	if err != nil {
		return Layout{}, err
	}
	if cut >= size {
		return whole() // one long last line: nothing to split
	}
	return scanSplit(f, size, cut, opts)
}

// scanSplit scans f's bytes before cut and from cut on at once; cut is a line's start.
func scanSplit(f io.ReaderAt, size, cut int64, opts Options) (Layout, error) {
	whole := func() (Layout, error) { return Scan(io.NewSectionReader(f, 0, size), opts) }
	var bom [2]byte
	if n, _ := f.ReadAt(bom[:], 0); n == 2 && (bom[0] == 0xFF && bom[1] == 0xFE || bom[0] == 0xFE && bom[1] == 0xFF) {
		return whole() // UTF-16: Scan decodes it, and a byte offset may fall inside a character
	}
	type result struct {
		p   *scanned
		err error
	}
	second := make(chan result, 1)
	go func() {
		p, err := scanPart(io.NewSectionReader(f, cut, size-cut), opts, false)
		second <- result{p, err}
	}()
	// The binary check reads the file's start, as Scan's does, wherever the cut is.
	_, odd, err := sniff(io.NewSectionReader(f, 0, size))
	var first *scanned
	if err == nil {
		first, err = scanPart(io.NewSectionReader(f, 0, cut), opts, true)
	}
	rest := <-second
	if err != nil {
		return Layout{}, err // what Scan meets first, it meets in the first half
	}
	if rest.err != nil {
		return whole() // rare (a line too long): Scan gives the error with its line number
	}
	first.join(rest.p)
	return first.layout(odd, opts)
}

// lineStartAfter returns the offset just after the first LF at or after from, or size when
// there is none.
func lineStartAfter(f io.ReaderAt, from, size int64) (int64, error) {
	buf := make([]byte, 64<<10)
	for off := from; off < size; {
		n, err := f.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return off + int64(i) + 1, nil
		}
		if err != nil && err != io.EOF {
			return 0, err
		}
		if n == 0 {
			break
		}
		off += int64(n)
	}
	return size, nil
}

// join adds the statistics of the lines that follow p's.
func (p *scanned) join(q *scanned) {
	for f := range p.stats {
		p.stats[f].join(&q.stats[f], p.lines)
	}
	p.total += q.total
	p.lines += q.lines
}

// join adds the statistics of headers that follow s's, whose line numbers start after lines.
func (s *famStats) join(t *famStats, lines int) {
	s.count += t.count
	s.voters += t.voters
	s.selfYMD += t.selfYMD
	s.slashShort += t.slashShort
	s.periods += t.periods
	s.seconds += t.seconds
	s.yearless += t.yearless
	s.isoDash += t.isoDash
	for c := range s.cals {
		s.cals[c] += t.cals[c]
	}
	for o := range s.fits {
		s.fits[o] += t.fits[o]
		if s.first[o] == 0 && t.first[o] != 0 {
			s.first[o] = t.first[o] + lines
		}
		s.decreases[o] += t.decreases[o]
		if s.prev[o] != 0 && t.firstKey[o] != 0 && t.firstKey[o] < s.prev[o] {
			s.decreases[o]++ // the step from the last header before the cut to the first after it
		}
		if s.firstKey[o] == 0 {
			s.firstKey[o] = t.firstKey[o]
		}
		if t.prev[o] != 0 {
			s.prev[o] = t.prev[o]
		}
		s.maxYear[o] = max(s.maxYear[o], t.maxYear[o])
		if s.minYear[o] == 0 || t.minYear[o] != 0 && t.minYear[o] < s.minYear[o] {
			s.minYear[o] = t.minYear[o]
		}
	}
}
