package archive

import (
	"path/filepath"
	"testing"
)

// The staged documents reach SQLite in key order with every byte of their text as it was:
// quotes, backslashes, control characters, NUL, invalid UTF-8, CJK and emoji.
func TestStageJSONKeepsBytes(t *testing.T) {
	db, err := openDB(filepath.Join(t.TempDir(), "s.db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	texts := map[int64]string{
		1<<40 | 7: `say "hi" \ back\\slash`,
		3:         "tab\tnew\nline\x00nul\x1f\x7f",
		1 << 62:   "bad \xff\xfe utf-8 \xe4\xb8",
		42:        "微信 消息 👍🏽 café",
		5:         "",
	}
	var s stage
	for k, v := range texts {
		s.add(k, v)
	}
	rows, err := db.Query(`SELECT CAST(key AS INTEGER), value FROM json_each(?)`, string(s.json()))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	last, n := int64(-1), 0
	for rows.Next() {
		var k int64
		var text string
		if err := rows.Scan(&k, &text); err != nil {
			t.Fatal(err)
		}
		if k <= last {
			t.Errorf("key %d after %d: not in key order", k, last)
		}
		last = k
		if want, ok := texts[k]; !ok || text != want {
			t.Errorf("key %d: text %q, want %q", k, text, want)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(texts) || s.len() != 0 {
		t.Errorf("%d documents back, %d left staged; want %d and 0", n, s.len(), len(texts))
	}
}
