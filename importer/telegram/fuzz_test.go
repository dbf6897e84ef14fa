package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/archivetest"
)

var fuzzSeeds = []string{
	`{"name": "Bob", "type": "personal_chat", "id": 7, "messages": [{"id": 1, "type": "message", "date": "2020-01-01T00:00:00", "date_unixtime": "1577836800", "from": "Bob", "from_id": "user7", "text": ["a", {"type": "text_link", "text": "b", "href": "x"}], "reply_to_message_id": 9}]}`,
	`{"personal_information": {"user_id": 1, "phone_number": "+1 2"}, "contacts": {"list": [{"user_id": 2, "phone_number": "33"}]}, "chats": {"list": [{"type": "bot_chat", "id": 2, "messages": [{"id": 3, "photo": "(File not included.)"}, {"id": 4, "file": "chats/chat_001/files/a.txt", "media_type": "voice_message"}]}]}, "left_chats": {"list": [{"messages": [{"id": 4, "type": "service", "action": "phone_call", "duration_seconds": 5}], "id": 5}]}}`,
	`{"type": "saved_messages", "id": 1, "messages": [{"id": 1, "text": "a", "poll": {"question": "q", "answers": [{"text": "x", "voters": 1, "chosen": true}]}, "reactions": [{"type": "emoji", "count": 2, "emoji": "👍", "recent": [{"from": "A", "from_id": "user3", "date": "2020-01-01T00:00:00"}]}]}]}`,
	`{"messages": [{"type": "message", "date_unixtime": "1544006350", "from": "Author 1", "text": "x"}, {"type": "message", "date_unixtime": "1544006350", "from": "Author 1", "text": "x"}]}`,
	`{"type": "public_channel", "id": 3, "messages": [{"id": 1, "file": "../x"}, {"id": 2, "contact_information": {"first_name": "a"}, "contact_vcard": "/etc/passwd"}, {"id": 3, "location_information": null, "place_name": "p"}, {"id": 4, "type": "unsupported"}]}`,
}

// FuzzImport runs the importer (as a dry run: nothing is kept) over arbitrary result.json bytes
// in an export folder holding one media file: it must end with success or one line of error,
// never panic. The archive's SQLite makes coverage vary from run to run, so every input looks
// new and the fuzzer would spend its time minimising: run it with a bounded minimisation,
//
//	go test -run XXX -fuzz FuzzImport -fuzztime 60s -fuzzminimizetime 20x ./importer/telegram
func FuzzImport(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	a := archivetest.Open(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"export/result.json":                {Data: data},
			"export/chats/chat_001/files/a.txt": {Data: []byte("hello")},
		}
		src := importer.Source{FS: fsys, Path: "export", Name: "export"}
		tgImporter{}.Detect(src)
		_, err := importer.DryRun(context.Background(), a, tgImporter{}, src, importer.Options{MaxMediaBytes: 1 << 20})
		if err != nil {
			var se *importer.SourceError
			if !errors.As(err, &se) {
				t.Fatalf("error is not a bad-source error: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of more than one line: %q", err)
			}
		}
	})
}
