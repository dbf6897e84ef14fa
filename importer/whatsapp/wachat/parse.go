package wachat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
	"unsafe"
)

// Parse is the second pass: it reads r (the same bytes Scan read) and
// calls fn for every message, in file order, from the calling goroutine.
// It reuses Record values between calls (see Record). An error from fn
// stops Parse and is returned.
//
// Lines before the first message go to opts.OnUnparsed. A line that has
// the file's header shape but a date that does not fit the date order
// continues the message before it, with a Problem.
//
// Large inputs are parsed in parallel (see pipeline.go): the input is cut
// into chunks at lines that start a message, which needs no look-behind
// because whether a line starts a message depends only on the line and
// the Layout; chunks are parsed by GOMAXPROCS workers and their records
// handed to fn in order. Memory stays bounded by a few chunks.
func Parse(r io.Reader, layout Layout, opts Options, fn func(*Record) error) error {
	cfg := config{fam: layout.Family, order: layout.DateOrder, year: layout.InferredYear, otherShapes: layout.OtherShapes > 0}
	if opts.DateOrder != 0 {
		cfg.order = opts.DateOrder
	}
	if cfg.order == 0 {
		return errors.New("wachat: Parse needs the Layout that Scan returned")
	}
	if opts.DefaultYear != 0 {
		cfg.year = opts.DefaultYear
	}
	if layout.YearlessHeaders > 0 && cfg.year == 0 {
		return ErrNoYear
	}
	return runPipeline(utf8Input(r), &cfg, opts, fn)
}

// config is what deciding whether a line starts a message needs.
type config struct {
	fam   Family
	order DateOrder
	year  int // for headers without a year
	// otherShapes: Scan saw headers of another family, so continuation
	// lines are checked for them (only then: it costs a header match per
	// continuation line).
	otherShapes bool
}

// startsMessage reports whether line starts a message, and its time. The
// answer depends on the line and the config only.
func (c *config) startsMessage(line []byte, h *header) (Wall, bool) {
	if !matchHeader(line, h, c.fam, false) {
		return Wall{}, false
	}
	return c.wall(h)
}

// wall is the time of a header under the file's date order.
func (c *config) wall(h *header) (Wall, bool) {
	y, m, d, ok := h.ymd(c.order)
	if !ok {
		return Wall{}, false
	}
	if y == 0 {
		y = c.year
	}
	w := Wall{y, m, d, h.hour, h.minute, h.second}
	if h.hour == 24 {
		// "24:00" is midnight at the end of the day.
		t := time.Date(y, time.Month(m), d, 24, h.minute, h.second, 0, time.UTC)
		w = Wall{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second()}
	}
	return w, true
}

// chunk is a run of whole lines of the input, each ending in '\n' (line
// breaks normalised), that starts with a line that starts a message (or
// at the start of the input). The records parsed from it point into buf,
// so buf is never reused.
type chunk struct {
	buf       []byte
	firstLine int // number of the first line in buf
	last      bool
	err       error // an error reading after this chunk (delivered after it)

	recs     []Record
	unparsed []unparsedLine
	done     chan struct{}
}

type unparsedLine struct {
	line int
	text string
}

// chunkParser parses chunks. Each worker has its own.
type chunkParser struct {
	cfg     *config
	h       header
	scratch []byte
}

// parse fills c.recs and c.unparsed.
func (cp *chunkParser) parse(c *chunk) {
	buf := c.buf
	// Most exports are valid UTF-8 without NUL bytes throughout; checking
	// the whole chunk at once is much cheaper than line by line.
	clean := utf8.Valid(buf) && bytes.IndexByte(buf, 0) < 0
	var (
		rec      *Record
		msgStart int // offset in buf of the pending message
		msgEnd   int // end of its last line (before '\n')
		body     int
		firstEnd int
		fixedMsg bool // a line of it had bad UTF-8
	)
	finish := func() {
		if rec == nil {
			return
		}
		var raw string
		if fixedMsg {
			raw = cp.fixedRaw(buf[msgStart:msgEnd])
		} else {
			raw = unsafe.String(unsafe.SliceData(buf[msgStart:]), msgEnd-msgStart)
		}
		rec.Raw = raw
		classify(rec, raw, body, firstEnd)
		rec = nil
	}
	lineNo := c.firstLine
	for off := 0; off < len(buf); lineNo++ {
		nl := bytes.IndexByte(buf[off:], '\n')
		end := off + nl
		line := buf[off:end]
		fixed := ""
		if !clean && (!utf8.Valid(line) || bytes.IndexByte(line, 0) >= 0) {
			line, fixed = cp.fixUTF8(line)
		}
		matched := matchHeader(line, &cp.h, cp.cfg.fam, false)
		t, ok := Wall{}, false
		if matched {
			t, ok = cp.cfg.wall(&cp.h)
		}
		if ok {
			finish()
			c.recs = append(c.recs, Record{})
			rec = &c.recs[len(c.recs)-1]
			rec.Line, rec.EndLine = lineNo, lineNo
			rec.Time = t
			rec.Precision = Minute
			if cp.h.hasSec {
				rec.Precision = Second
			}
			msgStart, msgEnd = off, end
			body, firstEnd = cp.h.body, len(line)
			fixedMsg = fixed != ""
			if fixedMsg {
				rec.Problems = append(rec.Problems, fmt.Sprintf("line %d: %s", lineNo, fixed))
			}
			off = end + 1
			continue
		}
		if rec == nil {
			c.unparsed = append(c.unparsed, unparsedLine{lineNo, string(line)})
			off = end + 1
			continue
		}
		if matched {
			rec.Problems = append(rec.Problems, fmt.Sprintf("line %d looks like a message header but its date does not fit the date order %s; kept as text", lineNo, cp.cfg.order))
		} else if cp.cfg.otherShapes && matchHeader(line, &cp.h, 0, true) && cp.h.fam != cp.cfg.fam {
			rec.Problems = append(rec.Problems, fmt.Sprintf("line %d has a message header of another shape (%q) than the file's (%q): two exports joined in one file? kept as text", lineNo, cp.h.fam, cp.cfg.fam))
		}
		if fixed != "" {
			fixedMsg = true
			rec.Problems = append(rec.Problems, fmt.Sprintf("line %d: %s", lineNo, fixed))
		}
		rec.EndLine = lineNo
		msgEnd = end
		off = end + 1
	}
	finish()
}

// fixedRaw rebuilds Raw for a message with bad UTF-8 in some line.
func (cp *chunkParser) fixedRaw(b []byte) string {
	var out []byte
	for i, line := range bytes.Split(b, []byte{'\n'}) {
		if i > 0 {
			out = append(out, '\n')
		}
		if !validLine(line) {
			line, _ = cp.fixUTF8(line)
		}
		out = append(out, line...)
	}
	return string(out)
}

// fixUTF8 replaces invalid UTF-8 and NUL bytes in line with U+FFFD and
// says what it did. The result is valid until the next call.
func (cp *chunkParser) fixUTF8(line []byte) ([]byte, string) {
	cp.scratch = cp.scratch[:0]
	bad, nul := 0, 0
	for i := 0; i < len(line); {
		c := line[i]
		if c == 0 {
			nul++
			cp.scratch = append(cp.scratch, "\uFFFD"...)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			cp.scratch = append(cp.scratch, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(line[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
			cp.scratch = append(cp.scratch, "\uFFFD"...)
		} else {
			cp.scratch = append(cp.scratch, line[i:i+size]...)
		}
		i += size
	}
	var msg string
	switch {
	case bad > 0 && nul > 0:
		msg = fmt.Sprintf("%d invalid UTF-8 bytes and %d NUL bytes replaced by U+FFFD", bad, nul)
	case bad > 0:
		msg = fmt.Sprintf("%d invalid UTF-8 bytes replaced by U+FFFD", bad)
	default:
		msg = fmt.Sprintf("%d NUL bytes replaced by U+FFFD", nul)
	}
	return cp.scratch, msg
}

// validLine reports whether line is valid UTF-8 without NUL bytes.
func validLine(line []byte) bool {
	return utf8.Valid(line) && bytes.IndexByte(line, 0) < 0
}
