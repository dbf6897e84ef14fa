package tgjson

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

var fuzzSeeds = []string{
	`{"name": "Bob", "type": "personal_chat", "id": 7, "messages": [{"id": 1, "type": "message", "date": "2020-01-01T00:00:00", "from": "Bob", "from_id": "user7", "text": ["a", {"type": "bold", "text": "b"}]}]}`,
	`{"about": "x", "personal_information": {"user_id": 1}, "contacts": {"list": [{"user_id": 2}]}, "chats": {"about": "c", "list": [{"type": "bot_chat", "id": 2, "messages": [{"id": 3, "photo": "(File not included.)"}]}]}, "left_chats": {"list": [{"messages": [{"id": 4}], "id": 5}]}}`,
	"{\"type\":\"saved_messages\",\"id\":1,\"messages\":[{\"id\":1,\"text\":\"a\x01b\\x0Bc\\\\x\"}]}",
	`{"messages": [{"type": "service", "actor": null, "action": "phone_call", "duration_seconds": 5, "members": [null, "A"]}], "name": "late"}`,
	`{"frequent_contacts": {"list": [{"id": 1, "rating": 0.5}]}, "profile_pictures": [{"photo": "p.jpg"}], "sessions": {"list": [[[{}]]]}}`,
	"\ufeff{\"chats\": {\"list\": [{\"id\": 1, \"type\": \"x\", \"messages\": [{\"id\": 1, \"reactions\": [{\"recent\": [{\"from\": null}]}]}]}]}}",
	`{"type": "bot_chat", "id": 2, "messages": [{"ID": 1, "text": ["\ud83d\ude00", null, {"TYPE": "bold", "text": "b", "document_id": 5}], "text_entities": [null], "members": ["a", null], "date_unixtime": 17, "width": "w", "photo": "x (File not included. Change data exporting settings to download.)", "poll": {"answers": [{"text": "a"}]}}]}`,
	`[1, 2]`,
	"{\"type\": \"personal_chat\", \"id\": 1, \"messages\": [{\"id\": 1 , \"text\": \"a b\" , \"x\": [true ,null\n ], \"duration_seconds\": 5\n }\n]}",
	`{"id": 9999999999 "messages": []}`,
}

// FuzzReader feeds arbitrary bytes to the Reader with small bounds: it must end (io.EOF or an
// *Error), never panic, keep its items well nested, and every message's offset must point at
// the "{" of its record in the input, and its fields must be what encoding/json reads from it.
func FuzzReader(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		r := NewReader(bytes.NewReader(data), Options{MaxMessageBytes: 4 << 10, MaxDepth: 16, MaxBufferedBytes: 8 << 10})
		open := false
		for n := 0; ; n++ {
			if n > len(data)+10 {
				t.Fatalf("%d items from %d bytes", n, len(data))
			}
			it, err := r.Next()
			if err == io.EOF {
				if open {
					t.Fatal("EOF inside a chat")
				}
				return
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error %v is not an *Error", err)
				}
				if e.Offset < 0 || e.Offset > int64(len(data)) {
					t.Fatalf("error offset %d outside %d bytes", e.Offset, len(data))
				}
				return
			}
			switch it.Kind {
			case KindChatStart:
				if open {
					t.Fatal("chat start inside a chat")
				}
				open = true
			case KindChatEnd:
				if !open {
					t.Fatal("chat end outside a chat")
				}
				open = false
			case KindMessage:
				m := it.Message
				if !open || m.Offset < 0 || m.Offset >= int64(len(data)) || data[m.Offset] != '{' || len(m.Raw) == 0 {
					t.Fatalf("message at offset %d: %q", m.Offset, m.Raw)
				}
				if c := appendCompact(nil, m.Raw); !bytes.Equal(c, m.Raw) {
					t.Fatalf("message at offset %d keeps whitespace between tokens: %q", m.Offset, m.Raw)
				}
				sameAsReference(t, m.Raw)
			}
		}
	})
}
