package archive

import (
	"slices"
	"strconv"
)

// stage holds the documents waiting to be moved into FTS5. They once waited in a table of the
// index file (older index files keep it, empty); inserting them there, reading them back in
// key order and deleting them cost the index more CPU than FTS5's own work (profile of a
// 300,000-message WhatsApp import). In memory they go to SQLite as one JSON object, read by
// json_each, in one statement. Measured on that import: the index's CPU 1.69-1.83 s -> 1.32-1.36 s.
type stage struct {
	docs  []stagedDoc
	bytes int // of text: long texts are moved sooner, so the stage's memory stays bounded
	buf   []byte
}

// stageBytes bounds the staged text (and so the JSON, about as long): most moves are of
// stageRows short messages; long ones go in smaller moves.
const stageBytes = 8 << 20

type stagedDoc struct {
	key  int64
	text string
}

func (s *stage) add(key int64, text string) {
	s.docs = append(s.docs, stagedDoc{key, text})
	s.bytes += len(text)
}

// full reports whether the stage should be moved into FTS5.
func (s *stage) full() bool { return len(s.docs) >= stageRows || s.bytes >= stageBytes }

func (s *stage) len() int { return len(s.docs) }

// json is the staged documents in key order as one object, {"key":"text",...} (json_each gives
// a member's name and its value without parsing anything twice), and empties the stage. The
// text's bytes are kept as they are (SQLite's JSON takes any byte but '"', '\' and controls),
// so FTS5 sees what it saw from the table; internal/jsonstr, which writes what encoding/json
// writes, would replace invalid UTF-8 and change what is indexed.
func (s *stage) json() []byte {
	slices.SortFunc(s.docs, func(x, y stagedDoc) int {
		switch {
		case x.key < y.key:
			return -1
		case x.key > y.key:
			return 1
		}
		return 0
	})
	b := append(s.buf[:0], '{')
	for i, d := range s.docs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = strconv.AppendInt(b, d.key, 10)
		b = append(b, '"', ':')
		b = appendJSONText(b, d.text)
	}
	b = append(b, '}')
	clear(s.docs)
	s.docs, s.buf, s.bytes = s.docs[:0], b, 0
	return b
}

// appendJSONText appends t to b as a JSON string for SQLite's JSON functions, with its bytes as
// they are but for '"', '\\' and control characters (see stage.json for why not encoding/json).
func appendJSONText(b []byte, t string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for j := 0; j < len(t); j++ {
		switch c := t[j]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
