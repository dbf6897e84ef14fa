package wachat

import (
	"unicode"
	"unicode/utf8"
)

// Day-period markers of 12-hour clocks, as phones write them. A space in a
// token matches any space (plain, no-break U+00A0, narrow no-break U+202F);
// ASCII letters match in either case.
const (
	dpAM    = 1 // before noon
	dpPM    = 2 // after noon
	dpNight = 3 // "at night": 9 pm to 5 am, so the hour decides
	dpNoon  = 4 // "at noon" (中午): 11 and 12 as written, 1 to 3 in the afternoon
)

type dayPeriod struct {
	tok string
	v   uint8
}

// suffixPeriods follow the time ("1:55 p. m."), longest first where one
// token is a prefix of another.
var suffixPeriods = []dayPeriod{
	{"a. m.", dpAM}, {"p. m.", dpPM}, {"a.m.", dpAM}, {"p.m.", dpPM}, {"a.m", dpAM}, {"p.m", dpPM},
	{"am", dpAM}, {"pm", dpPM},
	{"in the morning", dpAM}, {"in the afternoon", dpPM}, {"in the evening", dpPM}, {"at night", dpNight},
	{"de la mañana", dpAM}, {"de la tarde", dpPM}, {"de la noche", dpNight}, {"del mediodía", dpPM},
	{"vorm.", dpAM}, {"nachm.", dpPM},
	{"f.m.", dpAM}, {"e.m.", dpPM}, {"fm", dpAM}, {"em", dpPM}, // sv, nb, da
	{"ap.", dpAM}, {"ip.", dpPM}, // fi
	{"dop.", dpAM}, {"odp.", dpPM}, // cs, sk
	{"π.μ.", dpAM}, {"μ.μ.", dpPM}, {"πμ", dpAM}, {"μμ", dpPM}, // el
	{"ptg", dpPM}, {"pg", dpAM}, // ms
	{"sa", dpAM}, {"ch", dpPM}, // vi
	{"ص", dpAM}, {"م", dpPM}, // ar
	{"ق.ظ", dpAM}, {"ب.ظ", dpPM}, {"قبل\u200cازظهر", dpAM}, {"بعدازظهر", dpPM}, // fa
	{"午前", dpAM}, {"午後", dpPM}, {"上午", dpAM}, {"下午", dpPM}, {"오전", dpAM}, {"오후", dpPM},
	{"ก่อนเที่ยง", dpAM}, {"หลังเที่ยง", dpPM}, // th
	{"पूर्वाह्न", dpAM}, {"अपराह्न", dpPM}, // hi
	{"de.", dpAM}, {"du.", dpPM}, // hu
	{"vm.", dpAM}, {"nm.", dpPM}, // af
	{"e paradites", dpAM}, {"e pasdites", dpPM}, // sq
	{"ÖÖ", dpAM}, {"ÖS", dpPM}, // tr
	{"לפנה״צ", dpAM}, {"אחה״צ", dpPM}, // he
	{"дп", dpAM}, {"пп", dpPM}, // uk
	{"пр.об.", dpAM}, {"сл.об.", dpPM}, // bg
	{"претпл.", dpAM}, {"попл.", dpPM}, // mk
	{"f.h.", dpAM}, {"e.h.", dpPM}, // is
	{"priekšp.", dpAM}, {"pēcp.", dpPM}, // lv
	{"priešpiet", dpAM}, {"popiet", dpPM}, // lt
	{"म.पू.", dpAM}, {"म.उ.", dpPM}, // mr
	{"முற்பகல்", dpAM}, {"பிற்பகல்", dpPM}, // ta
	{"yb", dpAM}, {"yh", dpPM}, // cy
}

// prefixPeriods come before the time in some locales ("午後3:23",
// "오후 3:23", "de. 10:35").
var prefixPeriods = []dayPeriod{
	{"午前", dpAM}, {"午後", dpPM}, {"上午", dpAM}, {"下午", dpPM}, {"오전", dpAM}, {"오후", dpPM},
	{"de.", dpAM}, {"du.", dpPM}, {"ص", dpAM}, {"م", dpPM},
	// Chinese flexible day periods: small hours, morning, noon, evening, midnight.
	{"凌晨", dpAM}, {"早上", dpAM}, {"清晨", dpAM}, {"中午", dpNoon}, {"傍晚", dpPM}, {"晚上", dpPM}, {"半夜", dpAM},
}

// periodAt matches a day-period marker from list at b[i:]. It returns the
// marker and the index after it, or (0, i). The marker must end at a word
// boundary, so "am" does not match the start of a name; a marker before
// the time may also be followed by the time's first digit.
func periodAt(b []byte, i int, list []dayPeriod, prefix bool) (uint8, int) {
	if i >= len(b) {
		return 0, i
	}
	c := b[i] | 0x20
	for _, p := range list {
		t0 := p.tok[0]
		if t0 < utf8.RuneSelf {
			if t0 != c {
				continue
			}
		} else if t0 != b[i] {
			continue
		}
		if j, ok := matchToken(b, i, p.tok); ok && (boundary(b, j) || prefix && j < len(b) && b[j]-'0' < 10) {
			return p.v, j
		}
	}
	return 0, i
}

// matchToken matches tok at b[i:] as described above and returns the index
// after the match.
func matchToken(b []byte, i int, tok string) (int, bool) {
	for k := 0; k < len(tok); k++ {
		if i >= len(b) {
			return i, false
		}
		t := tok[k]
		if t == ' ' {
			n := spaceLen(b, i)
			if n == 0 {
				return i, false
			}
			i += n
			continue
		}
		c := b[i]
		if t >= 'a' && t <= 'z' {
			c |= 0x20
		}
		if c != t {
			return i, false
		}
		i++
	}
	return i, true
}

// boundary reports whether b[i:] starts with something that cannot
// continue a word: end of line, a space, punctuation, a mark.
func boundary(b []byte, i int) bool {
	if i >= len(b) {
		return true
	}
	c := b[i]
	if c < utf8.RuneSelf {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
	}
	if spaceLen(b, i) > 0 || markLen(b, i) > 0 {
		return true
	}
	// Another letter of the same script would make the match a word
	// prefix; everything else non-ASCII (a mark, a space) was handled.
	r, _ := utf8.DecodeRune(b[i:])
	return !isLetter(r)
}

// to24 converts an hour read with a day-period marker to 0..23. Exports
// are not always consistent: "23:59 PM" and "00:04 AM" occur, so an hour
// that is already outside 1..12 is taken as written.
func to24(hour int, p uint8) int {
	switch p {
	case dpAM:
		if hour == 12 {
			return 0
		}
	case dpPM:
		if hour >= 1 && hour < 12 {
			return hour + 12
		}
	case dpNight:
		if hour >= 6 && hour < 12 {
			return hour + 12
		}
		if hour == 12 {
			return 0
		}
	case dpNoon:
		if hour >= 1 && hour < 11 {
			return hour + 12
		}
	}
	return hour
}

func isLetter(r rune) bool { return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) }
