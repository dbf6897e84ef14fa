package tgjson

import (
	"testing"
	"testing/fstest"
)

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name string
		head string
		min  int // the score is at least min; max is 0 for "must be 0"
		zero bool
	}{
		{"account", `{"about": "Here is the data you requested.", "personal_information": {"user_id": 1`, 90, false},
		{"account chats only", `{"chats": {"about": "x", "list": [{"name": "A", "type": "personal_chat"`, 90, false},
		{"single chat", `{"name": "Bob", "type": "personal_chat", "id": 7, "messages": [{"id": 1, "type": "mes`, 90, false},
		{"saved messages", `{"type": "saved_messages", "id": 7, "messages": [`, 90, false},
		{"bare messages", `{"messages": [{"id": 1, "type": "message", "date": "2020-01-01T00:00:00", "date_unixtime": "1", "from": "A", "from_id": "user1", "text": "hi"}`, 50, false},
		{"messenger", `{"participants": [{"name": "A"}], "messages": [{"sender_name": "A", "timestamp_ms": 1, "content": "hi"}]}`, 0, true},
		{"instagram", `{"messages": [{"sender_name": "A", "timestamp_ms": 1, "content": "hi"}]}`, 0, true},
		{"discord", `{"guild": {"id": "0"}, "channel": {"type": "DirectTextChat"}, "messages": [{"id": "1", "type": "Default"}]}`, 0, true},
		{"unknown type", `{"type": "something_else", "id": 1}`, 0, true},
		{"array", `[{"type": "message"}]`, 0, true},
		{"not json", `hello`, 0, true},
		{"empty", ``, 0, true},
	} {
		got := Detect([]byte(c.head))
		if (c.zero && got != 0) || (!c.zero && got < c.min) {
			t.Errorf("%s: Detect = %d", c.name, got)
		}
	}
}

func TestDetectHTML(t *testing.T) {
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"/><title>Exported Data</title></head><body><div class="page_wrap">`
	cases := []struct {
		name string
		fs   fstest.MapFS
		want bool
	}{
		{"chat", fstest.MapFS{"messages.html": {Data: []byte(page)}, "messages2.html": {Data: []byte(page)}}, true},
		{"account", fstest.MapFS{"export_results.html": {Data: []byte(page)}, "lists/chats.html": {Data: []byte(page)}}, true},
		{"other messages.html", fstest.MapFS{"messages.html": {Data: []byte(`<html><title>Messages</title><div class="page_wrap">`)}}, false},
		{"facebook", fstest.MapFS{"message_1.html": {Data: []byte(page)}}, false},
		{"empty", fstest.MapFS{}, false},
	}
	for _, c := range cases {
		if got := DetectHTML(c.fs); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
