package telegram

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/fixtures"
)

// fixtureCounts are the messages per chat of each fixture, counted with jq over the files
// themselves: `jq '[(if .chats then .chats.list + (.left_chats.list // []) else [.] end)[] |
// {(.name // .type): (.messages | length)}]'`, and ids checked unique with
// `jq '[.messages[].id] | unique | length'`. Titles are the chats' names (Saved Messages and a
// nameless chat get the importer's titles).
var fixtureCounts = map[string]map[string]int{
	"chatanalytics-DM_2A_7M.json":         {"Bob": 8},
	"chatanalytics-MultiChat_2C_6M.json":  {"Chat One": 2, "Chat Two": 4},
	"chatminer-batch-export-result.json":  {"Chatname": 2},
	"chatminer-single-chat-result.json":   {"Telegram chat": 2},
	"tgchatparser-bot_chat.json":          {"Bot User": 2},
	"tgchatparser-public_supergroup.json": {"test": 4},
	"tgchatparser-saved_messages.json":    {"Saved Messages": 21},
	"tgchatparser-users_test.json":        {"Saved Messages": 9},
}

func TestFixtureCounts(t *testing.T) {
	dir := filepath.Join(fixtures.Dir(t), "telegram-json")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, e := range ents {
		name := e.Name()
		if strings.Contains(name, "NEGATIVE") || strings.HasSuffix(name, "target.json") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			want, ok := fixtureCounts[name]
			if !ok {
				t.Fatalf("new fixture %s: count its chats' messages and add them to fixtureCounts", name)
			}
			src := importer.LocalSource(filepath.Join(dir, name))
			if s := (tgImporter{}).Detect(src); s < 50 {
				t.Errorf("Detect = %d", s)
			}
			a := fresh(t)
			importInto(t, a, src, importer.Options{})
			if got := countsByTitle(t, a); !reflect.DeepEqual(got, want) {
				t.Errorf("messages per chat %v, want %v", got, want)
			}
			seen++
		})
	}
	if seen != len(fixtureCounts) {
		t.Errorf("imported %d fixtures, want %d", seen, len(fixtureCounts))
	}
}

// The broken file (a comma missing before "messages") fails with one line naming the byte
// offset, and leaves the archive as it was.
func TestNegativeFixture(t *testing.T) {
	root := fixtures.Dir(t)
	bad := filepath.Join(root, "telegram-json", "tgchatparser-NEGATIVE-invalid-json.json")
	data, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	a := fresh(t)
	importInto(t, a, importer.LocalSource(filepath.Join(root, "telegram-json", "tgchatparser-bot_chat.json")), importer.Options{})
	before := countsByTitle(t, a)
	_, err = importer.Run(context.Background(), a, tgImporter{}, importer.LocalSource(bad), importer.Options{})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	off := strings.Index(string(data), `"messages"`)
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "tgchatparser-NEGATIVE-invalid-json.json") ||
		!(strings.Contains(msg, "offset "+itoa(off)) || strings.Contains(msg, "offset "+itoa(off-1)) || strings.Contains(msg, "offset "+itoa(off+1))) {
		t.Errorf("error %q: want one line naming the file and offset %d", msg, off)
	}
	if after := countsByTitle(t, a); !reflect.DeepEqual(before, after) {
		t.Errorf("archive changed: %v -> %v", before, after)
	}
}

// An HTML export folder is recognised and answered with how to export JSON.
func TestHTMLExport(t *testing.T) {
	src := importer.LocalSource(filepath.Join(fixtures.Dir(t), "telegram-html", "langchain-jimmeny"))
	if s := (tgImporter{}).Detect(src); s != 50 {
		t.Errorf("Detect = %d, want 50", s)
	}
	_, err := importer.Run(context.Background(), fresh(t), tgImporter{}, src, importer.Options{})
	if err == nil || !strings.Contains(err.Error(), "export again choosing 'Machine-readable JSON'") {
		t.Fatalf("got %v", err)
	}
}
