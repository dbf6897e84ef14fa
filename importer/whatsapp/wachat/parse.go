package wachat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// Parse is the second pass: it reads r (the same bytes Scan read) and
// calls fn for every message, in file order. It reuses one Record for all
// calls (see Record). An error from fn stops Parse and is returned.
//
// Lines before the first message go to opts.OnUnparsed. A line that has
// the file's header shape but a date that does not fit the date order
// continues the message before it, with a Problem.
func Parse(r io.Reader, layout Layout, opts Options, fn func(*Record) error) error {
	if layout.DateOrder == 0 && opts.DateOrder == 0 {
		return errors.New("wachat: Parse needs the Layout that Scan returned")
	}
	p := &parser{
		lr:     newLineReader(r, opts.maxLine()),
		fam:    layout.Family,
		order:  layout.DateOrder,
		year:   layout.InferredYear,
		onSkip: opts.OnUnparsed,
		fn:     fn,
	}
	if opts.DateOrder != 0 {
		p.order = opts.DateOrder
	}
	if opts.DefaultYear != 0 {
		p.year = opts.DefaultYear
	}
	if layout.YearlessHeaders > 0 && p.year == 0 {
		return ErrNoYear
	}
	return p.run()
}

type parser struct {
	lr     *lineReader
	fam    Family
	order  DateOrder
	year   int
	onSkip func(int, string)
	fn     func(*Record) error

	// The message being collected: its lines joined with '\n' in raw,
	// where its body starts and its first line ends, its header's time.
	pending  bool
	raw      []byte
	body     int
	firstEnd int
	line     int
	endLine  int
	time     Wall
	prec     Precision
	problems []string

	h       header
	rec     Record
	scratch []byte
	strs    arena
}

func (p *parser) run() error {
	for {
		line, err := p.lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		n := p.lr.line
		var fixed string
		if !utf8.Valid(line) || bytes.IndexByte(line, 0) >= 0 {
			line, fixed = p.fixUTF8(line)
		}
		if matchHeader(line, &p.h, p.fam, false) {
			if t, ok := p.wall(&p.h); ok {
				if err := p.flush(); err != nil {
					return err
				}
				p.start(line, n, t)
				if fixed != "" {
					p.problems = append(p.problems, fmt.Sprintf("line %d: %s", n, fixed))
				}
				continue
			}
			if p.pending {
				p.problems = append(p.problems, fmt.Sprintf("line %d looks like a message header but its date does not fit the date order %s; kept as text", n, p.order))
			}
		}
		if !p.pending {
			if p.onSkip != nil {
				p.onSkip(n, string(line))
			}
			continue
		}
		p.raw = append(p.raw, '\n')
		p.raw = append(p.raw, line...)
		p.endLine = n
		if fixed != "" {
			p.problems = append(p.problems, fmt.Sprintf("line %d: %s", n, fixed))
		}
	}
	return p.flush()
}

// wall is the time of a header under the file's date order.
func (p *parser) wall(h *header) (Wall, bool) {
	y, m, d, ok := h.ymd(p.order)
	if !ok {
		return Wall{}, false
	}
	if y == 0 {
		y = p.year
	}
	w := Wall{y, m, d, h.hour, h.minute, h.second}
	if h.hour == 24 {
		// "24:00" is midnight at the end of the day.
		t := time.Date(y, time.Month(m), d, 24, h.minute, h.second, 0, time.UTC)
		w = Wall{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second()}
	}
	return w, true
}

func (p *parser) start(line []byte, n int, t Wall) {
	p.pending = true
	p.raw = append(p.raw[:0], line...)
	p.body = p.h.body
	p.firstEnd = len(line)
	p.line, p.endLine = n, n
	p.time = t
	p.prec = Minute
	if p.h.hasSec {
		p.prec = Second
	}
}

// flush hands the pending message to fn.
func (p *parser) flush() error {
	if !p.pending {
		return nil
	}
	p.pending = false
	raw := p.strs.string(p.raw)
	rec := &p.rec
	*rec = Record{
		Line:      p.line,
		EndLine:   p.endLine,
		Time:      p.time,
		Precision: p.prec,
		Raw:       raw,
		Problems:  p.problems,
	}
	p.problems = nil
	p.classify(rec, raw, p.body, p.firstEnd)
	return p.fn(rec)
}

// fixUTF8 replaces invalid UTF-8 and NUL bytes in line with U+FFFD and
// says what it did.
func (p *parser) fixUTF8(line []byte) ([]byte, string) {
	p.scratch = p.scratch[:0]
	bad, nul := 0, 0
	for i := 0; i < len(line); {
		c := line[i]
		if c == 0 {
			nul++
			p.scratch = append(p.scratch, "\uFFFD"...)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			p.scratch = append(p.scratch, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(line[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
			p.scratch = append(p.scratch, "\uFFFD"...)
		} else {
			p.scratch = append(p.scratch, line[i:i+size]...)
		}
		i += size
	}
	msg := ""
	switch {
	case bad > 0 && nul > 0:
		msg = fmt.Sprintf("%d invalid UTF-8 bytes and %d NUL bytes replaced by U+FFFD", bad, nul)
	case bad > 0:
		msg = fmt.Sprintf("%d invalid UTF-8 bytes replaced by U+FFFD", bad)
	default:
		msg = fmt.Sprintf("%d NUL bytes replaced by U+FFFD", nul)
	}
	return p.scratch, msg
}
