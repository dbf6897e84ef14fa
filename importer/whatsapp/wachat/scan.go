package wachat

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// Options tunes Scan and Parse. The zero value is ready to use.
type Options struct {
	// DateOrder, when set, is used instead of the order Scan decides (the
	// --date-order flag). Headers whose date does not fit it do not start
	// messages (see Layout.Misfits).
	DateOrder DateOrder

	// MaxLineBytes is the longest line accepted, in bytes (0: 1 MiB). A
	// longer line stops Scan and Parse with a *LineError wrapping
	// ErrLineTooLong, after reading at most this many bytes of it.
	MaxLineBytes int

	// DefaultYear is the year given to headers that omit it (Android
	// exports of 2013-2014 wrote "18 Mar 12:14" for the current year).
	// 0: use Layout.InferredYear.
	DefaultYear int

	// OnUnparsed, when set, receives every line that belongs to no message:
	// the lines before the first message header. (Every later line belongs
	// to the message it follows.) text is the line as decoded, without its
	// line break. When it is nil such lines are skipped; Layout.Unparsed
	// still counts them.
	OnUnparsed func(line int, text string)
}

const defaultMaxLine = 1 << 20

func (o *Options) maxLine() int {
	if o.MaxLineBytes > 0 {
		return o.MaxLineBytes
	}
	return defaultMaxLine
}

// Layout is what Scan decided about a file. Parse needs it.
type Layout struct {
	// DateOrder is the order numeric dates are read in.
	DateOrder DateOrder
	// Ambiguous is true when the dates of the whole file fit more than one
	// order (every day <= 12, say), so DateOrder is a choice, not a fact:
	// tell the user and offer Options.DateOrder. (Year first read from a
	// two-digit year, which every "16.02.21" also fits, counts only when the
	// timestamps favour it; see Scan.)
	Ambiguous bool
	// Candidates are the orders every header fits, in the order DMY, MDY,
	// YMD.
	Candidates []DateOrder

	// Headers is the number of lines that start a message: the number of
	// records Parse will produce.
	Headers int
	// Family is the header shape of the file.
	Family Family
	// Misfits counts lines of the file's header shape whose date does not
	// fit DateOrder; they continue the message before them and Parse adds a
	// Problem to it.
	Misfits int
	// OtherShapes counts lines with a header of another shape than Family
	// (a file that joins two exports, one from an iPhone and one from
	// Android, or a quoted copy of messages). Like Misfits they continue
	// the message before them, and Parse adds a Problem naming the line.
	OtherShapes int
	// Unparsed counts the lines before the first message.
	Unparsed int
	// Lines is the number of lines in the file.
	Lines int

	// Clock12h is true when headers carry AM/PM (in any spelling).
	Clock12h bool
	// Seconds is true when headers carry seconds (iOS).
	Seconds bool
	// Calendar is the calendar header years are written in: "gregorian",
	// "buddhist" ("2565 BE", made Gregorian by subtracting 543) or
	// "japanese" ("R4", Reiwa 4 = 2022). Record times are always Gregorian.
	Calendar string

	// YearlessHeaders counts headers that omit the year; InferredYear is
	// the year Parse gives them when Options.DefaultYear is 0: the year
	// after the latest year written in the file, or 0 when there is none
	// (then Parse needs Options.DefaultYear).
	YearlessHeaders int
	InferredYear    int

	// LookAlike says which other program's file this seems to be, when the
	// headers have a shape WhatsApp's exporter never writes: "" for a
	// WhatsApp export; LookAlikeSignal for bracketed ISO dates without
	// seconds ("[2019-12-24, 12:23] Jane: hi", Signal's history as exported
	// by signal-export and read by chat-miner); LookAlikeCopied for other
	// bracketed headers without seconds ("[12/3/21, 10:00] Bob: hi", what
	// WhatsApp's Android app puts on the clipboard when messages are
	// copied). WhatsApp's iPhone export, the only one with brackets, always
	// writes seconds. Such files parse the same way; the caller says which
	// format it assumed.
	LookAlike string

	// Notes explains the decisions a user may want to check, in English.
	Notes []string
}

// famStats collects, for one header family, what the date order decision
// needs.
type famStats struct {
	count      int      // headers of this family
	voters     int      // headers whose reading depends on the order
	selfYMD    int      // numeric headers with a 4-digit year first
	fits       [4]int   // headers with a valid date, by order
	first      [4]int   // line of the first valid header, by order
	decreases  [4]int   // times the timestamp went backwards, by order
	prev       [4]int64 // last timestamp, by order
	firstKey   [4]int64 // first timestamp, by order (to join the statistics of two parts)
	maxYear    [4]int   // latest explicit year, by order
	slashShort int      // voters written d/m/yy with a 1-digit field
	periods    int      // headers with AM/PM
	seconds    int      // headers with seconds
	cals       [3]int   // headers by calendar
	yearless   int      // headers without a year
	minYear    [4]int   // earliest explicit year, by order
	isoDash    int      // headers dated YYYY-MM-DD
}

// LookAlike values.
const (
	LookAlikeSignal = "signal"
	LookAlikeCopied = "copied"
)

const (
	sniffBytes    = 64 << 10  // the start of the input checked for binary data
	notChatWindow = 256 << 10 // give up when no header appears in this many bytes
)

// Scan is the first pass: it reads all of r, looks at every line that
// could be a message header, and decides the Layout.
//
// The file's header family is the one with the most headers. The date
// order is decided from the headers of that family:
//
//  1. An order is possible only if every header's date is valid under it
//     (day within its month, month <= 12). Headers that read the same under
//     every order (a 4-digit year first, a month name) do not vote; they
//     are read year first (or by their month name) whatever the order.
//  2. If one order is possible, it is the answer. Options.DateOrder, when
//     set, overrides everything.
//  3. If several are possible, the one under which the timestamps go
//     backwards least often wins: exports are chronological apart from a
//     few late-delivered messages, while a wrong order jumps back at nearly
//     every month boundary. (3b: YMD read from a two-digit year, which every
//     "16.02.21" also fits, stays a candidate only if it wins here.) When
//     more than one candidate is left, Layout.Ambiguous is set.
//  4. Then style: dates like "1/29/18" ('/' separators, a 1-digit day or
//     month, a 2-digit year) are the en-US short date, so MDY; this held
//     for 199 of 206 such real exports examined. Brackets (iOS) versus
//     dashes (Android) say nothing about the order.
//  5. Then DMY, the order most of the world uses; MDY before YMD.
//  6. If no order fits every header (a file mixing exports), the order
//     that fits most headers wins and the rest are Misfits.
//
// Scan returns an error wrapping ErrNotAChat when no line of the first
// 256 KiB (or of the whole input) is a header, one wrapping ErrBinary when
// the start of the input is not text, and a *LineError for a line longer
// than Options.MaxLineBytes.
func Scan(r io.Reader, opts Options) (Layout, error) {
	r = utf8Input(r)
	head, odd, err := sniff(r)
	if err != nil {
		return Layout{}, err
	}
	p, err := scanPart(io.MultiReader(bytes.NewReader(head), r), opts, true)
	if err != nil {
		return Layout{}, err
	}
	return p.layout(odd, opts)
}

// sniff reads the start of r and rejects it when it is not text (sniffBinary).
func sniff(r io.Reader) (head []byte, odd int, err error) {
	head = make([]byte, sniffBytes)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, 0, err
	}
	head = head[:n]
	odd, err = sniffBinary(head)
	return head, odd, err
}

// scanned is what Scan learns from a run of whole lines: the statistics of every header family,
// the number of headers and the number of lines.
type scanned struct {
	stats [numFamilies]famStats
	total int
	lines int
}

// scanPart reads r's lines into the statistics. atStart says r starts at the file's start, where
// a file without a header in its first notChatWindow bytes is refused early.
func scanPart(r io.Reader, opts Options, atStart bool) (*scanned, error) {
	lr := newLineReader(r, opts.maxLine())
	p := &scanned{}
	var h header
	var fix chunkParser // to repair lines with bad UTF-8 as Parse does
	consumed := 0
	for {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		consumed += len(line) + 1
		if !validLine(line) {
			line, _ = fix.fixUTF8(line)
		}
		if !matchHeader(line, &h, 0, true) {
			if atStart && p.total == 0 && consumed > notChatWindow {
				return nil, fmt.Errorf("%w: no message header in the first %d lines (%d KiB)", ErrNotAChat, lr.line, notChatWindow>>10)
			}
			continue
		}
		p.total++
		p.stats[h.fam].add(&h, lr.line)
	}
	p.lines = lr.line
	return p, nil
}

// layout decides the Layout from the statistics of the whole file; odd is what sniff counted.
func (p *scanned) layout(odd int, opts Options) (Layout, error) {
	if p.total == 0 {
		if odd > 0 {
			return Layout{}, fmt.Errorf("%w (%d NUL or invalid UTF-8 bytes, and no message header)", ErrBinary, odd)
		}
		return Layout{}, fmt.Errorf("%w: no message header in %d lines", ErrNotAChat, p.lines)
	}
	stats := &p.stats
	best := 0
	for f := range stats {
		if stats[f].count > stats[best].count {
			best = f
		}
	}
	l := decide(Family(best), &stats[best], p.lines, opts)
	l.OtherShapes = p.total - stats[best].count
	if l.OtherShapes > 0 {
		l.Notes = append(l.Notes, fmt.Sprintf("%d lines have a header of another shape than the file's %q; they are kept as text of the message before them", l.OtherShapes, l.Family))
	}
	return l, nil
}

// sniffBinary rejects input whose start is not text: more than 1% (and
// at least 16) NUL bytes or invalid UTF-8 bytes. (WhatsApp writes UTF-8;
// a UTF-16 file, a database or an image fails here.) A few such bytes in
// a chat are repaired by Parse; their number is returned so that a file
// without any header can be called binary rather than just not a chat.
func sniffBinary(b []byte) (int, error) {
	nul, bad := 0, 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c == 0 {
				nul++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			// A rune cut off by the end of the sniffed window is not bad.
			if len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:]) {
				break
			}
			bad++
		}
		i += size
	}
	if odd := nul + bad; odd >= 16 && odd*100 > len(b) {
		return odd, fmt.Errorf("%w (%d NUL bytes and %d invalid UTF-8 bytes in the first %d bytes)", ErrBinary, nul, bad, len(b))
	}
	return nul + bad, nil
}

func (s *famStats) add(h *header, line int) {
	s.count++
	if h.period != 0 {
		s.periods++
	}
	if h.hasSec {
		s.seconds++
	}
	s.cals[h.cal]++
	if h.nf == 2 || h.nf == 0 && h.myear == 0 {
		s.yearless++
	}
	voter := !h.selfDescribed()
	if voter {
		s.voters++
		if h.nf == 3 && h.dsep == '/' && h.w[2] == 2 && (h.w[0] == 1 || h.w[1] == 1) {
			s.slashShort++
		}
	} else if h.nf == 3 {
		s.selfYMD++
		if h.dsep == '-' && h.w[0] == 4 {
			s.isoDash++
		}
	}
	for _, o := range orders {
		y, m, d, ok := h.ymd(o)
		if !ok {
			continue
		}
		s.fits[o]++
		if s.first[o] == 0 {
			s.first[o] = line
		}
		if y == 0 {
			continue // no year: cannot be ordered
		}
		if y > s.maxYear[o] {
			s.maxYear[o] = y
		}
		if s.minYear[o] == 0 || y < s.minYear[o] {
			s.minYear[o] = y
		}
		k := Wall{y, m, d, h.hour, h.minute, h.second}.key()
		if s.prev[o] != 0 && k < s.prev[o] {
			s.decreases[o]++
		}
		if s.firstKey[o] == 0 {
			s.firstKey[o] = k
		}
		s.prev[o] = k
	}
}

// decide turns the statistics of the file's family into a Layout; see Scan
// for the rules.
func decide(fam Family, s *famStats, lines int, opts Options) Layout {
	l := Layout{Family: fam, Lines: lines}
	for _, o := range orders {
		if s.fits[o] == s.count {
			l.Candidates = append(l.Candidates, o)
		}
	}
	var chosen DateOrder
	considered := l.Candidates
	switch {
	case opts.DateOrder != 0:
		chosen = opts.DateOrder
		l.Notes = append(l.Notes, fmt.Sprintf("date order %s set by option", chosen))
	case s.voters == 0:
		// Every date reads the same whatever the order.
		chosen = DMY
		if s.selfYMD > 0 {
			chosen = YMD
		}
	case len(l.Candidates) == 1:
		chosen = l.Candidates[0]
	case len(l.Candidates) > 1:
		considered = withoutWeakYMD(s, l.Candidates)
		chosen = pickAmbiguous(s, considered)
	default:
		for _, o := range orders {
			if chosen == 0 || s.fits[o] > s.fits[chosen] {
				chosen = o
			}
		}
		l.Notes = append(l.Notes, fmt.Sprintf("no date order fits every header; %s fits %d of %d", chosen, s.fits[chosen], s.count))
	}
	l.DateOrder = chosen
	l.Ambiguous = s.voters > 0 && len(considered) > 1
	if l.Ambiguous && opts.DateOrder == 0 {
		l.Notes = append(l.Notes, fmt.Sprintf("the dates fit %v; %s was chosen (set the date order to change it)", considered, chosen))
	}
	l.Headers = s.fits[chosen]
	l.Misfits = s.count - s.fits[chosen]
	if s.first[chosen] > 0 {
		l.Unparsed = s.first[chosen] - 1
	} else {
		l.Unparsed = lines
	}
	l.Clock12h = s.periods > 0
	l.Seconds = s.seconds > 0
	if fam.bracket() && s.seconds == 0 {
		l.LookAlike = LookAlikeCopied
		if s.isoDash == s.count {
			l.LookAlike = LookAlikeSignal
		}
	}
	switch {
	case s.cals[calBuddhist] > s.cals[calGregorian] && s.cals[calBuddhist] >= s.cals[calJapanese]:
		l.Calendar = "buddhist"
	case s.cals[calJapanese] > s.cals[calGregorian]:
		l.Calendar = "japanese"
	default:
		l.Calendar = "gregorian"
	}
	if y := s.minYear[chosen]; y != 0 && y < 2009 {
		l.Notes = append(l.Notes, fmt.Sprintf("a header has the year %d, before WhatsApp existed: the export may use a calendar this parser does not convert", y))
	}
	l.YearlessHeaders = s.yearless
	if s.yearless > 0 {
		if y := s.maxYear[chosen]; y > 0 {
			l.InferredYear = y + 1
			l.Notes = append(l.Notes, fmt.Sprintf("%d headers omit the year; they are taken to be in %d, the year after the latest one written", s.yearless, l.InferredYear))
		} else {
			l.Notes = append(l.Notes, fmt.Sprintf("%d headers omit the year and no header has one: the year of the export must be given", s.yearless))
		}
	}
	return l
}

// withoutWeakYMD drops YMD from several candidates when it has no more
// support than the timestamps give the others. Among voting headers YMD
// can only come from a two-digit year written first ("21/02/16"), which
// few locales use (ko), while every "16.02.21" of a day-first locale fits
// it too; so it must win on chronology to stay in the running (rule 3b of
// Scan).
func withoutWeakYMD(s *famStats, cands []DateOrder) []DateOrder {
	var others []DateOrder
	for _, o := range cands {
		if o != YMD {
			others = append(others, o)
		}
	}
	if len(others) == len(cands) || len(others) == 0 {
		return cands
	}
	for _, o := range others {
		if s.decreases[o] <= s.decreases[YMD] {
			return others
		}
	}
	return cands
}

// pickAmbiguous chooses among several possible orders (rules 3 to 5 of
// Scan).
func pickAmbiguous(s *famStats, cands []DateOrder) DateOrder {
	best := cands[0]
	tie := false
	for _, o := range cands[1:] {
		switch {
		case s.decreases[o] < s.decreases[best]:
			best, tie = o, false
		case s.decreases[o] == s.decreases[best]:
			tie = true
		}
	}
	if !tie {
		return best
	}
	min := s.decreases[best]
	has := func(o DateOrder) bool {
		for _, c := range cands {
			if c == o && s.decreases[c] == min {
				return true
			}
		}
		return false
	}
	if s.slashShort > 0 && has(MDY) {
		return MDY
	}
	for _, o := range orders {
		if has(o) {
			return o
		}
	}
	return best
}
