package wachat

import "unicode/utf8"

// This file reads message headers byte by byte: no regular expressions,
// no allocation, one pass with a little backtracking. A header is
//
//	[marks] ["["] DATE SEP TIME ["]"] END       date first (nearly all)
//	[marks] ["["] TIME "," DATE ["]"] END       time first (vi iOS, 2013 Android)
//
// where
//
//	DATE  = ITEM DSEP ITEM [DSEP ITEM] ["."] [" BE"]
//	ITEM  = digits (any script) | month name | Japanese era year ("R4")
//	DSEP  = "/" | "." | "-" | "," | "年" | "月" | ... then spaces, or spaces only;
//	        invisible marks may stand around it ("18‏/3‏/2022")
//	SEP   = ", " | "," | "، " | " " | " à " | " klo " | " - " ...
//	TIME  = [period] H (":"|".") MM [(":"|".") SS] ["."] [period]
//	END   = "] " | " - " | ": " | "; " | " "
//
// Only the shape is checked here; whether the date is valid depends on the
// file's date order and is decided by the caller.

// header is what matchHeader reads from a line.
type header struct {
	// Numeric dates: the fields in written order and their digit counts.
	// A 4-digit field (or a Buddhist or Japanese-era year, already made
	// Gregorian) can only be a year. nf is 3, or 2 when the year is left
	// out, or 0 when the month was written as a name (then mday, mmon and
	// myear hold the date; myear is 0 when left out).
	f     [3]int
	w     [3]uint8
	nf    uint8
	mday  int
	mmon  int
	myear int

	dsep   byte // the first date separator, for the date order's style hint
	cal    uint8
	hour   int
	minute int
	second int
	hasSec bool
	period uint8

	fam  Family
	body int // index of the body in the line
}

// Calendars a header's year can be written in.
const (
	calGregorian = iota
	calBuddhist  // Thai solar calendar: year + 543 ("2565 BE")
	calJapanese  // imperial era: "R4" is Reiwa 4 = 2022
)

// eraStart is the Gregorian year before the first year of each Japanese
// era, by its letter.
var eraStart = [...]struct {
	letter byte
	base   int
}{{'M', 1867}, {'T', 1911}, {'S', 1925}, {'H', 1988}, {'R', 2018}}

type dateItem struct {
	v     int
	w     uint8
	month bool // v is a month written as a name
}

// matchHeader reads a header at the start of b into h. When anyFam is
// false only headers of family want are accepted (Parse); otherwise any
// family is (Scan). It reports whether b starts with a header.
//
// Date first is tried before time first: "12.06.18, 11.05.15 - x" reads
// both ways, and date first is what nearly every export writes.
func matchHeader(b []byte, h *header, want Family, anyFam bool) bool {
	i := skipMarks(b, 0)
	if i >= len(b) {
		return false
	}
	bracket := b[i] == '['
	if bracket {
		i = skipMarks(b, i+1)
		if i >= len(b) {
			return false
		}
	}
	if !anyFam && bracket != want.bracket() {
		return false
	}
	if anyFam || !want.timeFirst() {
		if h.dateFirst(b, i, bracket, want, anyFam) {
			return true
		}
	}
	if anyFam || want.timeFirst() {
		if h.timeFirst(b, i, bracket, want, anyFam) {
			return true
		}
	}
	return false
}

// dateFirst reads DATE SEP TIME END.
func (h *header) dateFirst(b []byte, i int, bracket bool, want Family, anyFam bool) bool {
	var items [3]dateItem
	var ends [3]int
	n := h.readDate(b, i, &items, &ends)
	for k := n; k >= 2; k-- {
		j := afterDate(b, ends[k-1], k)
		j, ok := dateTimeSep(b, j)
		if !ok {
			continue
		}
		if j, ok = h.time(b, j); ok && h.setDate(items[:k]) && h.end(b, j, bracket, false, want, anyFam) {
			return true
		}
	}
	return false
}

// timeFirst reads TIME "," DATE END.
func (h *header) timeFirst(b []byte, i int, bracket bool, want Family, anyFam bool) bool {
	j, ok := h.time(b, i)
	if !ok {
		return false
	}
	j = skipBlank(b, j)
	switch {
	case j < len(b) && b[j] == ',':
		j++
	case j+1 < len(b) && b[j] == 0xD8 && b[j+1] == 0x8C: // Arabic comma
		j += 2
	default:
		return false
	}
	j = skipBlank(b, j)
	var items [3]dateItem
	var ends [3]int
	n := h.readDate(b, j, &items, &ends)
	for k := n; k >= 2; k-- {
		if h.setDate(items[:k]) && h.end(b, afterDate(b, ends[k-1], k), bracket, true, want, anyFam) {
			return true
		}
	}
	return false
}

// readDate reads up to three date items and records where each ends. It
// returns how many it read (fewer than two is no date).
func (h *header) readDate(b []byte, i int, items *[3]dateItem, ends *[3]int) int {
	h.dsep = 0
	h.cal = calGregorian
	n := 0
	for n < 3 {
		it, j, ok := h.item(b, i)
		if !ok {
			break
		}
		items[n], ends[n] = it, j
		n++
		if n == 3 {
			break
		}
		k, sep, ok := dateSep(b, j)
		if !ok {
			break
		}
		if n == 1 {
			h.dsep = sep
		}
		i = k
	}
	return n
}

// item reads one date item: a number, a month name or an era year.
func (h *header) item(b []byte, i int) (dateItem, int, bool) {
	i = skipMarks(b, i)
	if i >= len(b) {
		return dateItem{}, i, false
	}
	v, w, j := number(b, i)
	switch {
	case w == 1 || w == 2:
		return dateItem{v: v, w: uint8(w)}, j, true
	case w == 4:
		if v > 2400 {
			// No phone shows a Gregorian year past 2400: this is the
			// Thai solar calendar ("2565 BE" is 2022).
			v -= 543
			h.cal = calBuddhist
		}
		return dateItem{v: v, w: 4}, j, true
	case w != 0:
		return dateItem{}, i, false
	}
	c := b[i]
	if i+1 < len(b) && b[i+1]-'0' < 10 {
		for _, e := range eraStart {
			if c == e.letter {
				if v, w, j := number(b, i+1); w == 1 || w == 2 {
					h.cal = calJapanese
					return dateItem{v: e.base + v, w: 4}, j, true
				}
			}
		}
		return dateItem{}, i, false
	}
	if m, j := monthAt(b, i); m != 0 {
		return dateItem{v: int(m), month: true}, j, true
	}
	return dateItem{}, i, false
}

// dateSep reads the separator between two date items. It returns the
// index after it, the separator's first byte (' ' for spaces only) and
// whether there was one.
func dateSep(b []byte, i int) (int, byte, bool) {
	j := skipMarks(b, i)
	if j < len(b) {
		switch c := b[j]; c {
		case '/', '.', '-', ',':
			return skipBlank(b, j+1), c, true
		}
		if n := cjkUnit(b, j); n > 0 {
			return skipBlank(b, j+n), b[j], true
		}
	}
	k := skipBlank(b, j)
	return k, ' ', k > j
}

// cjkUnit returns the length of a year, month or day unit character at
// b[i:] (年 月 日, 년 월 일), or 0.
func cjkUnit(b []byte, i int) int {
	if i+2 >= len(b) {
		return 0
	}
	switch string(b[i : i+3]) {
	case "年", "月", "日", "년", "월", "일":
		return 3
	}
	return 0
}

// afterDate skips what may follow a complete date: a final dot
// ("13. 6. 2018.") and a Buddhist era suffix ("2565 BE").
func afterDate(b []byte, i, items int) int {
	if i < len(b) && b[i] == '.' {
		i++
	}
	if items == 3 {
		j := skipBlank(b, i)
		if j+1 < len(b) && b[j] == 'B' && b[j+1] == 'E' && boundary(b, j+2) {
			return j + 2
		}
		if n := cjkUnit(b, i); n > 0 { // "2021年12月24日"
			return i + n
		}
	}
	return i
}

// setDate stores the items of a date. Only shapes that occur are
// accepted: numbers only, or one month name among a day and an optional
// year.
func (h *header) setDate(items []dateItem) bool {
	months := 0
	for _, it := range items {
		if it.month {
			months++
		}
	}
	switch months {
	case 0:
		h.nf = uint8(len(items))
		for k, it := range items {
			h.f[k], h.w[k] = it.v, it.w
		}
		return h.plausible()
	case 1:
		h.nf = 0
		h.myear = 0
		var nums [2]dateItem
		n := 0
		for _, it := range items {
			if it.month {
				h.mmon = it.v
			} else {
				nums[n] = it
				n++
			}
		}
		// The day comes first among the numbers ("28 Aug 2013", "Mar 5,
		// 2013"); the year, if any, is the other one.
		if nums[0].w > 2 || nums[0].v < 1 || nums[0].v > 31 {
			return false
		}
		h.mday = nums[0].v
		if n == 2 {
			h.myear = nums[1].v
			if nums[1].w == 2 {
				h.myear += 2000
			}
		}
		return true
	}
	return false
}

// dateTimeSep reads the separator between the date and the time: a comma
// (Latin or Arabic), a dash, or a word ("à", "klo", ...), with spaces, or
// spaces only.
func dateTimeSep(b []byte, i int) (int, bool) {
	j := skipBlank(b, i)
	if j < len(b) {
		switch b[j] {
		case ',', '-':
			j++
		case 0xD8:
			if j+1 < len(b) && b[j+1] == 0x8C {
				j += 2
			}
		default:
			for _, w := range dateTimeWords {
				if k, ok := matchToken(b, j, w); ok && k < len(b) && spaceLen(b, k) > 0 {
					j = k
					break
				}
			}
		}
	}
	j = skipBlank(b, j)
	return j, j > i
}

// dateTimeWords stand between the date and the time in some locales:
// French "12/07/2017 à 22:35", Finnish "13.6.2018 klo 21.25.15".
var dateTimeWords = []string{"à", "klo", "kl.", "um", "at", "às"}

// time reads TIME and stores it. It accepts 24-hour times and 12-hour
// times with a day-period marker before or after.
func (h *header) time(b []byte, i int) (int, bool) {
	period, j := periodAt(b, i, prefixPeriods, true)
	if period != 0 {
		i = skipBlank(b, j)
	}
	hour, w, j := number(b, i)
	if w == 0 || w > 2 || j+1 >= len(b) {
		return 0, false
	}
	sep := b[j]
	if sep != ':' && sep != '.' {
		return 0, false
	}
	minute, w, k := number(b, j+1)
	if w != 2 || minute > 59 {
		return 0, false
	}
	second, hasSec := 0, false
	if k+1 < len(b) && b[k] == sep {
		if s, w, k2 := number(b, k+1); w == 2 {
			if s > 59 {
				return 0, false
			}
			second, hasSec, k = s, true, k2
		}
	}
	if k < len(b) && b[k] == '.' && (k+1 == len(b) || b[k+1] == ' ') {
		k++ // "2022/12/24, 13:01. - John"
	}
	if period == 0 {
		m := skipBlank(b, k)
		if m < len(b) && (b[m] >= utf8.RuneSelf || b[m]|0x20 >= 'a' && b[m]|0x20 <= 'z') {
			if p, e := periodAt(b, m, suffixPeriods, false); p != 0 {
				period, k = p, e
			}
		}
	}
	if period != 0 {
		if hour > 23 {
			return 0, false
		}
		hour = to24(hour, period)
	} else if hour > 24 {
		return 0, false
	}
	if hour == 24 && (minute != 0 || second != 0) {
		return 0, false
	}
	h.hour, h.minute, h.second, h.hasSec, h.period = hour, minute, second, hasSec, period
	return k, true
}

// end reads what ends the header and sets h.fam and h.body.
func (h *header) end(b []byte, i int, bracket, timeFirst bool, want Family, anyFam bool) bool {
	sep := -1
	j := i
	if bracket {
		j = skipBlank(b, j)
		if j >= len(b) || b[j] != ']' {
			return false
		}
		j++
		if j < len(b) && b[j] == ' ' {
			j++
		}
		sep = sepClose
	} else {
		spaces := 0
		for j < len(b) {
			n := spaceLen(b, j)
			if n == 0 {
				n = markLen(b, j)
				if n == 0 {
					break
				}
			}
			j += n
			spaces++
		}
		if j >= len(b) {
			return false
		}
		switch b[j] {
		case '-':
			if spaces > 0 {
				j, sep = skipBlank(b, j+1), sepDash
			}
		case ':', ';':
			if spaces == 0 && (j+1 == len(b) || b[j+1] == ' ') {
				sep = sepColon
				if b[j] == ';' {
					sep = sepSemicolon
				}
				j += 2
				if j > len(b) {
					j = len(b)
				}
			}
		}
		if sep < 0 && spaces > 0 {
			sep = sepSpace
		}
		if sep < 0 {
			return false
		}
	}
	f := makeFamily(bracket, timeFirst, sep)
	if !anyFam && f != want {
		return false
	}
	h.fam, h.body = f, j
	return true
}

// plausible reports whether the numeric date fits at least one date
// order. It keeps times and other numbers that happen to be punctuated
// like a date from matching.
func (h *header) plausible() bool {
	for o := DMY; o <= YMD; o++ {
		if _, _, _, ok := h.ymd(o); ok {
			return true
		}
	}
	return false
}
