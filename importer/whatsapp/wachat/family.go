package wachat

import "strings"

// Family is a header shape family: what frames the date and time, in which
// order they come, and what separates them from the body. All headers of
// one export share a family; Scan picks the file's and Parse accepts only
// that family, so a message that quotes a header of another shape (a copy
// of messages pasted from the Android app reads "[12/3/21, 10:00] Bob:
// hi") stays text. The finer details (date and time separators, seconds,
// AM/PM spelling, padding, year digits) may vary inside a family.
type Family uint8

const (
	famBracket   Family = 1 << 0 // "[date, time] body" (iOS, and copied messages)
	famTimeFirst Family = 1 << 1 // time before date ("[14:56:01, 3/18/22]", "19:23, 28 Aug 2013 -")
	famSepShift         = 2      // the separator kind is stored from bit 2 up
)

// How the header ends, before the body.
const (
	sepClose     = iota // "]" then a space (bracketed headers)
	sepDash             // " - " (Android)
	sepColon            // ": " (2012-2015 iOS: "7/8/12, 3:20:08 PM: Name: text")
	sepSemicolon        // "; "
	sepSpace            // a space only ("13. 6. 2018. 21:25:15 Name: text")
	numSeps
)

// numFamilies bounds the Family values (for per-family tables).
const numFamilies = numSeps << famSepShift

func makeFamily(bracket, timeFirst bool, sep int) Family {
	f := Family(sep) << famSepShift
	if bracket {
		f |= famBracket
	}
	if timeFirst {
		f |= famTimeFirst
	}
	return f
}

func (f Family) bracket() bool   { return f&famBracket != 0 }
func (f Family) timeFirst() bool { return f&famTimeFirst != 0 }
func (f Family) sep() int        { return int(f >> famSepShift) }

// String describes the family as a pattern, e.g. "date, time - body" or
// "[date, time] body".
func (f Family) String() string {
	var b strings.Builder
	if f.bracket() {
		b.WriteString("[")
	}
	if f.timeFirst() {
		b.WriteString("time, date")
	} else {
		b.WriteString("date, time")
	}
	if f.bracket() {
		b.WriteString("]")
	}
	switch f.sep() {
	case sepClose:
		b.WriteString(" ")
	case sepDash:
		b.WriteString(" - ")
	case sepColon:
		b.WriteString(": ")
	case sepSemicolon:
		b.WriteString("; ")
	case sepSpace:
		b.WriteString(" ")
	}
	b.WriteString("body")
	return b.String()
}

// MarshalText writes the family as String does.
func (f Family) MarshalText() ([]byte, error) { return []byte(f.String()), nil }
