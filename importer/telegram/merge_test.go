package telegram

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/importer"
)

// A single-chat export ("Export chat history": the chat object itself, with its id) of a chat
// also in a whole-account export lands in the same conversation, and adds only its new message;
// a later whole-account export adds only what is new.
func TestSingleChatAndAccountExportsMerge(t *testing.T) {
	a := fresh(t)
	account := writeGenerated(t)
	importInto(t, a, importer.LocalSource(account), importer.Options{})
	before := countsByTitle(t, a)

	alice := func(id, minute int, text string) obj {
		return msg(id, minute, with(from(genAlice, "Alice"), obj{"text": text, "text_entities": []any{plain(text)}}))
	}
	single := filepath.Join(t.TempDir(), "ChatExport_2024-03-02")
	os.MkdirAll(single, 0o700)
	body := chatJSON("Alice", "personal_chat", genAlice, []obj{
		msg(1, 0, with(from(genAlice, "Alice"), obj{"text": "Hi bold site Bob secret 🙂 x<y"})),
		msg(2, 1, with(from(genMe, "Me Myself"), obj{"text": "answer", "reply_to_message_id": 1})),
		alice(24, 100, "a new one"),
	})
	if err := os.WriteFile(filepath.Join(single, "result.json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := importInto(t, a, importer.LocalSource(single), importer.Options{})
	if rep.MessagesAdded != 1 {
		t.Errorf("single-chat export added %d messages, want 1", rep.MessagesAdded)
	}
	after := countsByTitle(t, a)
	if after["Alice"] != before["Alice"]+1 || len(after) != len(before) {
		t.Errorf("after the single-chat export %v, before %v", after, before)
	}
	if r := messagesByUID(t, a, "tg:500")["tg:24"]; r.text != "a new one" {
		t.Errorf("new message %+v", r)
	}

	// A later whole-account export with one more message in the channel.
	later := filepath.Join(t.TempDir(), "DataExport_2024-04-01")
	os.MkdirAll(later, 0o700)
	chats, _ := generatedChats()
	news := chatJSON("News", "public_channel", 700, []obj{
		svc(1, 40, obj{"actor": "News", "actor_id": "channel700", "action": "create_channel", "title": "News"}),
		msg(2, 41, obj{"from": "News", "from_id": "channel700", "author": "Editor", "text": "headline", "text_entities": []any{plain("headline")}}),
		msg(3, 200, obj{"from": "News", "from_id": "channel700", "text": "second", "text_entities": []any{plain("second")}}),
	})
	doc := "{\n \"personal_information\": {\"user_id\": 42, \"first_name\": \"Me\"},\n \"chats\": {\"list\": [" + chats[0] + ",\n" + news + "]}\n}\n"
	if err := os.WriteFile(filepath.Join(later, "result.json"), []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	rep = importInto(t, a, importer.LocalSource(later), importer.Options{})
	if rep.MessagesAdded != 1 {
		t.Errorf("later export added %d messages, want 1 (notes %q)", rep.MessagesAdded, strings.Join(rep.Notes, "; "))
	}
	if n := countsByTitle(t, a)["News"]; n != 3 {
		t.Errorf("News has %d messages, want 3", n)
	}
}
