package wechat

import (
	"encoding/json"
	"testing"
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
