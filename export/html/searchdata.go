package html

import (
	"strconv"

	"github.com/chatvault/chatvault/internal/jsonstr"
)

// searchEntry is one message in the search data: [seq, page, sender, unix ms, text].
type searchEntry struct {
	seq, page int
	sender    string
	ts        int64
	text      string
}

// appendSearchScript writes a piece of search data as the script the search page loads:
// cvSearchChunk(conv, piece, [[seq, page, "sender", ts, "text"], ...]). Written by hand rather
// than with encoding/json (a million messages, reflection per value adds up); strings are
// escaped by appendJSString, so no text can end the script or the string.
func appendSearchScript(b []byte, conv int64, piece int, entries []searchEntry) []byte {
	b = append(b, "cvSearchChunk("...)
	b = strconv.AppendInt(b, conv, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(piece), 10)
	b = append(b, ",["...)
	for i, e := range entries {
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(e.seq), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(e.page), 10)
		b = append(b, ',')
		b = appendJSString(b, e.sender)
		b = append(b, ',')
		b = strconv.AppendInt(b, e.ts, 10)
		b = append(b, ',')
		b = appendJSString(b, e.text)
		b = append(b, ']')
	}
	return append(b, "]);\n"...)
}

// appendJSString appends s as a double-quoted JavaScript (and JSON) string literal with <, > and
// & escaped besides quotes, backslashes and control characters (so "</script>" or "<!--" mean
// nothing even inline), U+2028 and U+2029 (line terminators in older JavaScript) escaped and
// invalid UTF-8 as U+FFFD.
func appendJSString(b []byte, s string) []byte { return jsonstr.Append(b, s, true) }
