package tgjson

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestAppendCompact(t *testing.T) {
	in := "{\n  \"id\": 1,\n\t\"text\": [\"a  b\", {\"type\": \"code\", \"text\": \"x \\\" \\\\\"}],\r\n  \"e\": [ ] , \"n\" : null }"
	want := `{"id":1,"text":["a  b",{"type":"code","text":"x \" \\"}],"e":[],"n":null}`
	if got := string(appendCompact([]byte("kept:"), []byte(in))); got != "kept:"+want {
		t.Errorf("got  %s\nwant kept:%s", got, want)
	}
}

// FuzzAppendCompact: for every valid JSON value, appendCompact gives what encoding/json's
// Compact gives, and never panics on the rest.
func FuzzAppendCompact(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`"\\" `))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := appendCompact(nil, data)
		if !json.Valid(data) {
			return
		}
		var want bytes.Buffer
		if err := json.Compact(&want, data); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("appendCompact(%q) = %q, want %q", data, got, want.Bytes())
		}
	})
}
