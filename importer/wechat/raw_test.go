package wechat

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/importer"
)

func TestRawRowIsJSON(t *testing.T) {
	s := newRaw().Int("MesLocalID", -3).Str("Message", "a\"b\\c\n\x07中文\xff").String()
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	if v["Message"] != "a\"b\\c\n\x07中文\ufffd" || v["MesLocalID"] != float64(-3) {
		t.Errorf("%s → %v", s, v)
	}
}

// A record within the bound is kept whole; a longer one is clipped as importer.ClipRaw clips.
func TestClipRawMatchesImporter(t *testing.T) {
	short := newRaw().Str("Message", "你好").String()
	if got := clipRaw(short); got != short {
		t.Errorf("short record changed: %q", got)
	}
	long := newRaw().Str("Message", strings.Repeat("长", importer.MaxRawBytes)).String()
	if got, want := clipRaw(long), importer.ClipRaw([]byte(long)); got != want || len(got) >= len(long) {
		t.Errorf("long record clipped to %d bytes, importer.ClipRaw gives %d", len(got), len(want))
	}
}
