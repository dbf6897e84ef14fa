package wachat

import "unicode/utf8"

// Android exports of 2013-2014 wrote month names ("19:23, 28 Aug 2013 -",
// "18 Mar 12:14 -", "Mar 5, 8:11 PM -"). The names are the phone's
// locale's; these are the languages WhatsApp had most users in then.
var monthNames = map[string]uint8{}

func init() {
	lists := [][12]string{
		{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"},
		{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"},
		{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sept", "oct", "nov", "dec"},
		{"jan", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"},                                    // de
		{"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"}, // de
		{"janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"},                             // fr
		{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},                                   // es
		{"jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"},                                    // pt
		{"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"},                                    // it
		{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"},                                    // nl
	}
	for _, l := range lists {
		for i, n := range l {
			monthNames[n] = uint8(i + 1)
		}
	}
}

// monthAt reads a month name at b[i:] (letters, optionally followed by a
// dot) and returns the month (1..12) and the index after it, or (0, i).
func monthAt(b []byte, i int) (uint8, int) {
	var low [16]byte
	n := 0
	j := i
	for j < len(b) {
		c := b[j]
		if c >= 'A' && c <= 'Z' {
			c |= 0x20
		} else if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(b[j:])
			if !isLetter(r) || n+size > len(low) {
				break
			}
			n += copy(low[n:], b[j:j+size])
			j += size
			continue
		} else if c < 'a' || c > 'z' {
			break
		}
		if n == len(low) {
			return 0, i
		}
		low[n] = c
		n++
		j++
	}
	if n < 3 {
		return 0, i
	}
	m, ok := monthNames[string(low[:n])]
	if !ok {
		return 0, i
	}
	if j < len(b) && b[j] == '.' {
		j++
	}
	return m, j
}
