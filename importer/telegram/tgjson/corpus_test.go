package tgjson

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/internal/fixtures"
)

// independent reads a small export with a plain json.Unmarshal, the reference the streaming
// reader must agree with.
func independent(t *testing.T, data []byte) []chatSummary {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatalf("reference decode: %v", err)
	}
	type msg struct {
		ID int64 `json:"id"`
	}
	type chat struct {
		Name     *string `json:"name"`
		Type     string  `json:"type"`
		ID       int64   `json:"id"`
		Messages []msg   `json:"messages"`
	}
	conv := func(c chat, list string) chatSummary {
		s := chatSummary{Type: c.Type, ID: c.ID, List: list, IDs: []int64{}}
		if c.Name != nil {
			s.Name = *c.Name
		}
		for _, m := range c.Messages {
			s.IDs = append(s.IDs, m.ID)
		}
		return s
	}
	var out []chatSummary
	if _, ok := top["messages"]; ok {
		var c chat
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		return []chatSummary{conv(c, "")}
	}
	for _, list := range []string{"chats", "left_chats"} {
		var sec struct{ List []chat }
		if raw, ok := top[list]; ok {
			if err := json.Unmarshal(raw, &sec); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range sec.List {
			out = append(out, conv(c, list))
		}
	}
	return out
}

// The counts established by reading each fixture by eye, so a wrong reference decode cannot
// pass unnoticed either.
var fixtureCounts = map[string][]int{
	"chatanalytics-DM_2A_7M.json":         {8},
	"chatanalytics-MultiChat_2C_6M.json":  {2, 4},
	"chatminer-batch-export-result.json":  {2},
	"chatminer-single-chat-result.json":   {2},
	"tgchatparser-bot_chat.json":          {2},
	"tgchatparser-public_supergroup.json": {4},
	"tgchatparser-saved_messages.json":    {21},
	"tgchatparser-users_test.json":        {9},
}

func TestFixtures(t *testing.T) {
	dir := filepath.Join(fixtures.Dir(t), "telegram-json")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, e := range ents {
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			items, err := readAll(t, NewReader(bytes.NewReader(data), Options{}))
			switch name {
			case "tgchatparser-NEGATIVE-invalid-json.json":
				e := asError(t, err)
				// The comma is missing before "messages": that is where JSON stops making sense.
				want := int64(bytes.Index(data, []byte(`"messages"`)))
				if e.Offset < want-1 || e.Offset > want+1 || !strings.Contains(err.Error(), "offset ") {
					t.Fatalf("error %q at %d, want near %d", err, e.Offset, want)
				}
				if !e.HasChat || e.ChatID != 9999999999 {
					t.Errorf("error does not name the chat: %v", err)
				}
				return
			case "chatminer-telegram-target.json":
				// The expected output of another parser, a JSON array: not an export.
				if err == nil || !strings.Contains(err.Error(), "not a Telegram export") {
					t.Fatalf("got %v, want a not-an-export error", err)
				}
				if Detect(data) != 0 {
					t.Errorf("Detect = %d, want 0", Detect(data))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := summarize(t, items)
			want := independent(t, data)
			for i := range got {
				if got[i].IDs == nil {
					got[i].IDs = []int64{}
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("reader:\n%+v\nreference:\n%+v", got, want)
			}
			counts, ok := fixtureCounts[name]
			if !ok {
				t.Fatalf("new fixture %s: add its counts to fixtureCounts", name)
			}
			var n []int
			for _, c := range got {
				n = append(n, len(c.IDs))
			}
			if !reflect.DeepEqual(n, counts) {
				t.Fatalf("messages per chat %v, want %v", n, counts)
			}
			checkOffsets(t, data, items)
			if s := Detect(data); s < 50 {
				t.Errorf("Detect = %d for a Telegram export", s)
			}
			seen++
		})
	}
	if seen < len(fixtureCounts) {
		t.Errorf("read %d fixtures, want %d", seen, len(fixtureCounts))
	}
}

// checkOffsets decodes each message again from its offset in the file and compares it to Raw,
// and its fields to what encoding/json reads from Raw.
func checkOffsets(t *testing.T, data []byte, items []Item) {
	t.Helper()
	for _, it := range items {
		if it.Kind != KindMessage {
			continue
		}
		m := it.Message
		if m.Offset <= 0 || m.Offset >= int64(len(data)) || data[m.Offset] != '{' {
			t.Fatalf("message %d: offset %d does not point at its '{'", m.ID, m.Offset)
		}
		var here, raw any
		if err := json.NewDecoder(bytes.NewReader(data[m.Offset:])).Decode(&here); err != nil {
			t.Fatalf("message %d at offset %d: %v", m.ID, m.Offset, err)
		}
		if err := json.Unmarshal(m.Raw, &raw); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(here, raw) {
			t.Fatalf("message %d: the record at its offset differs from Raw", m.ID)
		}
		sameAsReference(t, m.Raw)
	}
}

func fixtureItems(t *testing.T, name string) []Item {
	t.Helper()
	data, err := os.ReadFile(fixtures.Path(t, "telegram-json/"+name))
	if err != nil {
		t.Fatal(err)
	}
	items, err := readAll(t, NewReader(bytes.NewReader(data), Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func messages(items []Item) map[int64]*Message {
	out := map[int64]*Message{}
	for _, it := range items {
		if it.Kind == KindMessage {
			out[it.Message.ID] = it.Message
		}
	}
	return out
}

func TestFixtureFields(t *testing.T) {
	t.Run("saved_messages", func(t *testing.T) {
		items := fixtureItems(t, "tgchatparser-saved_messages.json")
		if c := items[0].Chat; items[0].Kind != KindChatStart || c.Type != "saved_messages" || c.Name != "" || c.ID != 9999999999 || c.List != "" {
			t.Fatalf("first item %+v %+v", items[0], items[0].Chat)
		}
		ms := messages(items)
		if m := ms[173429]; m.Photo.Path != "photos/photo_1@01-08-2020_22-01-49.jpg" || m.Width != 904 || m.Height != 1280 || m.Text.String() != "I'm a photo message sent straight to saved." {
			t.Errorf("photo message: %+v", m)
		}
		if m := ms[173430]; len(m.Text) != 15 || m.Text[10].Type != "text_link" || m.Text[10].Href != "http://google.com/" || m.Text[12].Type != "code" {
			t.Errorf("rich text: %+v", m.Text)
		}
		if m := ms[176390]; !m.ForwardedFrom.Present || m.ForwardedFrom.Name != "Other Person" || m.SavedFrom.Name != "Other Person" {
			t.Errorf("forward: %+v", m)
		}
		if m := ms[207958]; m.File.Path != "video_files/video_1@21-09-2020_01-02-38.mp4" || m.Thumbnail.Path != "video_files/video_1@21-09-2020_01-02-38.mp4_thumb.jpg" || m.MediaType != "animation" || m.MimeType != "video/mp4" || m.DurationSeconds != 2 {
			t.Errorf("animation: %+v", m)
		}
		if m := ms[217584]; m.MediaType != "voice_message" || m.DurationSeconds != 9 {
			t.Errorf("voice: %+v", m)
		}
		if m := ms[226106]; m.ViaBot != "@gif" {
			t.Errorf("via bot: %q", m.ViaBot)
		}
		if m := ms[278329]; m.MediaType != "sticker" || m.StickerEmoji != "🤭" || m.Text.String() != "DoNotChange" {
			t.Errorf("sticker: %+v", m)
		}
		if m := ms[318170]; m.File.Path != "" || !strings.HasPrefix(m.File.MissingReason, "(File exceeds maximum size.") || m.Thumbnail.MissingReason == "" || m.DurationSeconds != 204 {
			t.Errorf("missing file: %+v", m.File)
		}
		if m := ms[4]; m.Type != "service" || m.Action != "pin_message" || m.MessageID != 3 || m.Actor.Name != "test" || m.ActorID != "10036995664" {
			t.Errorf("pin: %+v", m)
		}
		p := ms[6].Poll
		if p == nil || p.Question.String() != "quiz poll" || p.Closed || p.TotalVoters != 1 || len(p.Answers) != 3 || !p.Answers[0].Chosen || p.Answers[1].Voters != 0 {
			t.Errorf("poll: %+v", p)
		}
		if m := ms[7]; m.ReplyToMessageID != 6 {
			t.Errorf("reply: %d", m.ReplyToMessageID)
		}
		if m := ms[225569]; m.Text.String() != "Check out «Cat     @farsisticker» sticker set: https://t.me/addstickers/cat_farsi" {
			t.Errorf("joined text %q", m.Text.String())
		}
	})
	t.Run("DM", func(t *testing.T) {
		items := fixtureItems(t, "chatanalytics-DM_2A_7M.json")
		ms := messages(items)
		if m := ms[2675]; m.Action != "joined_telegram" || m.ActorID != "user700000000" || m.From.Present {
			t.Errorf("joined: %+v", m)
		}
		kind, id, ok := ms[3644].FromID.Split()
		if kind != "user" || id != 700000000 || !ok {
			t.Errorf("from_id split: %q %d %v", kind, id, ok)
		}
		if m := ms[3644]; len(m.TextEntities) != 2 || m.TextEntities[1].Type != "plain" || m.Body().String() != "https://google.com 👀" {
			t.Errorf("entities: %+v", m.TextEntities)
		}
		if m := ms[3662]; m.Date != "" || m.DateUnix != 1652135033 {
			t.Errorf("unixtime only: %q %d", m.Date, m.DateUnix)
		}
		if m := ms[3672]; m.Photo.Path != "" || m.Photo.MissingReason != "(File not included. Change data exporting settings to download.)" || m.Width != 960 {
			t.Errorf("photo not included: %+v", m.Photo)
		}
		if m := ms[3674]; m.Action != "phone_call" || m.DurationSeconds != 56 || m.DiscardReason != "hangup" {
			t.Errorf("call: %+v", m)
		}
		for _, m := range ms {
			if m.Invalid != nil {
				t.Errorf("message %d: %v", m.ID, m.Invalid)
			}
		}
	})
	t.Run("public_supergroup", func(t *testing.T) {
		ms := messages(fixtureItems(t, "tgchatparser-public_supergroup.json"))
		if m := ms[-999678450]; m.Action != "create_group" || m.Title != "test" || !reflect.DeepEqual(m.Members, []string{"Ben", "BenBot"}) {
			t.Errorf("create_group: %+v", m)
		}
		if ms[-999675685].Action != "migrate_to_supergroup" || ms[1].Action != "migrate_from_group" {
			t.Error("migration actions")
		}
	})
	t.Run("MultiChat", func(t *testing.T) {
		items := fixtureItems(t, "chatanalytics-MultiChat_2C_6M.json")
		h := items[0]
		if h.Kind != KindHeader || h.Export.About != "Test multi-chat export" || h.Export.PersonalInformation == nil ||
			h.Export.PersonalInformation.UserID != 100000001 || h.Export.PersonalInformation.LastName != "User" {
			t.Fatalf("header: %+v", h)
		}
		if h.Export.ChatsAbout != "This page lists all chats from this export." {
			t.Errorf("chats about %q", h.Export.ChatsAbout)
		}
		c := items[1].Chat
		if items[1].Kind != KindChatStart || c.Name != "Chat One" || c.Type != "personal_chat" || c.ID != 700000001 || c.List != "chats" || c.Index != 1 {
			t.Errorf("first chat: %+v", c)
		}
		last := items[len(items)-1]
		if last.Kind != KindChatEnd || last.Chat.Index != 2 || last.Chat.Type != "private_group" {
			t.Errorf("last item: %+v %+v", last, last.Chat)
		}
	})
	t.Run("chatminer batch", func(t *testing.T) {
		items := fixtureItems(t, "chatminer-batch-export-result.json")
		// "messages" comes before any type or id: the messages wait for the chat's end.
		if items[1].Kind != KindChatStart || items[1].Chat.Name != "Chatname" {
			t.Fatalf("items: %+v", items[1])
		}
		if m := items[3].Message; m.Text.String() != "Link:https://telegram.org/" || m.Text[0].Type != "bold" {
			t.Errorf("text: %+v", m.Text)
		}
	})
}

func TestDetectOtherFormats(t *testing.T) {
	root := fixtures.Dir(t)
	var n int
	for _, dir := range []string{"discord-json", "messenger-json", "instagram-json"} {
		ents, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			data, err := os.ReadFile(filepath.Join(root, dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			n++
			if s := Detect(head(data)); s != 0 {
				t.Errorf("%s/%s: Detect = %d, want 0", dir, e.Name(), s)
			}
		}
	}
	if n < 5 {
		t.Fatalf("only %d other-format fixtures", n)
	}
}

func head(b []byte) []byte {
	if len(b) > 4096 {
		return b[:4096]
	}
	return b
}

func TestDetectHTMLFixture(t *testing.T) {
	dir := filepath.Join(fixtures.Dir(t), "telegram-html", "langchain-jimmeny")
	if !DetectHTML(os.DirFS(dir)) {
		t.Error("Telegram's HTML export not recognised")
	}
	if DetectHTML(os.DirFS(filepath.Join(fixtures.Dir(t), "telegram-json"))) {
		t.Error("the JSON fixtures folder taken for an HTML export")
	}
}
