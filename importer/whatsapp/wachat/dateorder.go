package wachat

import (
	"fmt"
	"strings"
)

// DateOrder is the order of day, month and year in numeric dates. The zero
// value means "not set": Scan decides it from the file.
type DateOrder uint8

const (
	DMY DateOrder = iota + 1 // 31/12/2021: most of the world
	MDY                      // 12/31/21: en-US and a few others
	YMD                      // 2021-12-31: sv, lt, hu, ja, zh, ko, ...
)

func (o DateOrder) String() string {
	switch o {
	case DMY:
		return "DMY"
	case MDY:
		return "MDY"
	case YMD:
		return "YMD"
	case 0:
		return "auto"
	}
	return fmt.Sprintf("DateOrder(%d)", uint8(o))
}

// MarshalText writes the order as String does (so JSON shows "DMY").
func (o DateOrder) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText reads what ParseDateOrder reads.
func (o *DateOrder) UnmarshalText(b []byte) error {
	v, err := ParseDateOrder(string(b))
	*o = v
	return err
}

// ParseDateOrder reads "DMY", "MDY" or "YMD" (any case; "D/M/Y", "dd/mm/yyyy"
// and the like too), and "" or "auto" as 0.
func ParseDateOrder(s string) (DateOrder, error) {
	var b strings.Builder
	last := byte(0)
	for _, c := range strings.ToUpper(s) {
		if c == 'D' || c == 'M' || c == 'Y' {
			if byte(c) != last {
				b.WriteRune(c)
			}
			last = byte(c)
		}
	}
	switch b.String() {
	case "DMY":
		return DMY, nil
	case "MDY":
		return MDY, nil
	case "YMD":
		return YMD, nil
	case "":
		if t := strings.TrimSpace(strings.ToLower(s)); t == "" || t == "auto" {
			return 0, nil
		}
	}
	return 0, fmt.Errorf("unknown date order %q: want DMY, MDY or YMD", s)
}

// orders lists the date orders in the order of preference used when the
// file does not decide (see Scan).
var orders = [...]DateOrder{DMY, MDY, YMD}

// ymd returns the header's date under order o, and whether it is a valid
// date under o. A 4-digit first field is a year whatever the order (no
// locale writes a 4-digit year first and then the day), and so is a
// 4-digit last field for DMY and MDY; a year written with 2 digits is in
// 20xx (WhatsApp appeared in 2009). Year is 0 when the header has none.
func (h *header) ymd(o DateOrder) (y, m, d int, ok bool) {
	f, w := h.f, h.w
	switch h.nf {
	case 0: // month written as a name
		y, m, d = h.myear, h.mmon, h.mday
	case 2: // no year
		if o == DMY {
			d, m = f[0], f[1]
		} else {
			m, d = f[0], f[1]
		}
		if w[0] > 2 || w[1] > 2 {
			return 0, 0, 0, false
		}
	case 3:
		switch {
		case w[0] == 4:
			if w[2] == 4 {
				return 0, 0, 0, false
			}
			y, m, d = f[0], f[1], f[2]
		case w[2] == 4:
			if o == YMD || w[1] == 4 {
				return 0, 0, 0, false
			}
			y = f[2]
			if o == DMY {
				d, m = f[0], f[1]
			} else {
				m, d = f[0], f[1]
			}
		case w[1] == 4:
			// Year in the middle: no phone writes it, but it takes only
			// this to read it the way other parsers do.
			y = f[1]
			if o == DMY {
				d, m = f[0], f[2]
			} else {
				m, d = f[0], f[2]
			}
		default:
			switch o {
			case DMY:
				d, m, y = f[0], f[1], f[2]
			case MDY:
				m, d, y = f[0], f[1], f[2]
			case YMD:
				y, m, d = f[0], f[1], f[2]
			}
			y += 2000
		}
	default:
		return 0, 0, 0, false
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// daysIn is the length of month m of year y; February has 29 days when
// the year is unknown (0).
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y == 0 || y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// selfDescribed reports whether the header's date reads the same under
// every order (a 4-digit year first, or a month name): such headers do not
// vote on the file's date order.
func (h *header) selfDescribed() bool {
	return h.nf == 0 || h.nf == 3 && h.w[0] == 4
}
