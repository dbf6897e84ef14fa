package wechat

import (
	"strconv"

	"github.com/chatvault/chatvault/importer"
)

// rawRow builds a row's raw record as a JSON object of integer and string columns, in order,
// without reflection (this runs once per message).
type rawRow []byte

func newRaw() rawRow { return rawRow(make([]byte, 0, 256)).open() }

func (r rawRow) open() rawRow { return append(r, '{') }

func (r rawRow) key(k string) rawRow {
	if len(r) > 1 {
		r = append(r, ',')
	}
	r = append(r, '"')
	r = append(r, k...)
	return append(r, '"', ':')
}

func (r rawRow) Int(k string, v int64) rawRow { return strconv.AppendInt(r.key(k), v, 10) }

func (r rawRow) Str(k, v string) rawRow { return importer.AppendJSONString(r.key(k), v) }

func (r rawRow) String() string { return string(append(r, '}')) }

// clipRaw is importer.ClipRaw for a record already built as a string: copied only when clipped.
func clipRaw(s string) string {
	if len(s) <= importer.MaxRawBytes {
		return s
	}
	return importer.ClipRaw([]byte(s))
}
