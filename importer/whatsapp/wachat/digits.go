package wachat

import (
	"unicode"
	"unicode/utf8"
)

// Headers may be written in any script's digits: Arabic locales use
// Arabic-Indic (٠-٩) or Extended Arabic-Indic (۰-۹) digits, Hindi and
// Marathi can use Devanagari (०-९), Bengali its own, and so on. Unicode
// encodes every decimal digit set as ten consecutive code points starting
// at zero, and unicode.Nd lists them as ranges that are whole sets, so a
// digit's value is its distance from the start of its range, modulo 10
// (digits_test.go checks that property of the table).

// digitAt decodes the decimal digit at b[i:], of any script. It returns the
// digit's value and its length in bytes, or (-1, 0) when b[i:] does not
// start with a digit.
func digitAt(b []byte, i int) (int, int) {
	c := b[i]
	if c-'0' < 10 {
		return int(c - '0'), 1
	}
	if c < utf8.RuneSelf {
		return -1, 0
	}
	r, n := utf8.DecodeRune(b[i:])
	if v := digitValue(r); v >= 0 {
		return v, n
	}
	return -1, 0
}

// digitValue is the value of a decimal digit rune of any script, or -1.
func digitValue(r rune) int {
	if r < utf8.RuneSelf {
		if r >= '0' && r <= '9' {
			return int(r - '0')
		}
		return -1
	}
	if r <= 0xFFFF {
		for _, g := range unicode.Nd.R16 {
			if uint16(r) < g.Lo {
				return -1
			}
			if uint16(r) <= g.Hi {
				return int(uint16(r)-g.Lo) % 10
			}
		}
		return -1
	}
	for _, g := range unicode.Nd.R32 {
		if uint32(r) < g.Lo {
			return -1
		}
		if uint32(r) <= g.Hi {
			return int(uint32(r)-g.Lo) % 10
		}
	}
	return -1
}

// number reads a run of up to 4 digits (of one or several scripts) at
// b[i:]. It returns the value, the number of digits and the index after the
// run; digits == 0 when there is no digit at i. A run longer than 4 digits
// is not a date or time field: it returns digits == 5.
func number(b []byte, i int) (val, digits, next int) {
	for i < len(b) {
		c := b[i]
		var d, n int
		if c-'0' < 10 {
			d, n = int(c-'0'), 1
		} else if c >= utf8.RuneSelf {
			d, n = digitAt(b, i)
			if n == 0 {
				break
			}
		} else {
			break
		}
		if digits == 4 {
			return val, 5, i
		}
		val = val*10 + d
		digits++
		i += n
	}
	return val, digits, i
}
