package txt

import (
	"strconv"
	"time"
)

// appendHeader writes "DD/MM/YYYY, HH:MM[:SS] - ".
func appendHeader(b []byte, t time.Time, seconds bool) []byte {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b = append2(b, d)
	b = append(b, '/')
	b = append2(b, int(mo))
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, ", "...)
	b = append2(b, h)
	b = append(b, ':')
	b = append2(b, mi)
	if seconds {
		b = append(b, ':')
		b = append2(b, s)
	}
	return append(b, " - "...)
}

func append2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10%10), byte('0'+n%10))
}
