package telegram

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A generated whole-account export folder, shaped as Telegram Desktop writes one (field names
// and value shapes from export_output_json.cpp as described in notes/telegram-export.md and seen
// in the fixtures): result.json at the root, each chat's media under chats/chat_NNN/ with
// result.json's paths including that prefix, placeholders for files not exported.

type obj = map[string]any

const (
	genMe    = 42
	genAlice = 500
)

// genTime is 2024-03-01T12:00:00 on a computer at UTC+1, plus i minutes.
func genTime(i int) obj {
	const base = 1709290800 // 2024-03-01T11:00:00Z
	u := base + i*60
	wall := "2024-03-01T" + two(12+i/60) + ":" + two(i%60) + ":00"
	return obj{"date": wall, "date_unixtime": itoa(u)}
}

func two(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

func msg(id, minute int, fields obj) obj {
	m := obj{"id": id, "type": "message", "text": "", "text_entities": []any{}}
	for k, v := range genTime(minute) {
		m[k] = v
	}
	for k, v := range fields {
		m[k] = v
	}
	return m
}

func svc(id, minute int, fields obj) obj {
	m := msg(id, minute, fields)
	m["type"] = "service"
	return m
}

func from(id int, name string) obj { return obj{"from": name, "from_id": "user" + itoa(id)} }

func with(a obj, b obj) obj {
	for k, v := range b {
		a[k] = v
	}
	return a
}

func plain(s string) obj { return obj{"type": "plain", "text": s} }

const notIncluded = "(File not included. Change data exporting settings to download.)"
const tooLarge = "(File exceeds maximum size. Change data exporting settings to download.)"

// generatedChats is the export's chats: a personal chat with every kind of message, a group
// upgraded to a supergroup, a channel, Saved Messages, and a group the user left.
func generatedChats() (chats, left []string) {
	c1 := "chats/chat_001/"
	alice := func(f obj) obj { return with(from(genAlice, "Alice"), f) }
	me := func(f obj) obj { return with(from(genMe, "Me Myself"), f) }
	personal := []obj{
		msg(1, 0, alice(obj{"text": []any{"Hi ", obj{"type": "bold", "text": "bold"}, " ", obj{"type": "text_link", "text": "site", "href": "https://example.org/?a=1&b=<2>"}, " ", obj{"type": "mention_name", "text": "Bob", "user_id": 501}, " ", obj{"type": "spoiler", "text": "secret"}, " ", obj{"type": "custom_emoji", "text": "🙂", "document_id": "5368324170671202286"}, " ", obj{"type": "code", "text": "x<y"}},
			"text_entities": []any{plain("Hi "), obj{"type": "bold", "text": "bold"}, plain(" "), obj{"type": "text_link", "text": "site", "href": "https://example.org/?a=1&b=<2>"}, plain(" "), obj{"type": "mention_name", "text": "Bob", "user_id": 501}, plain(" "), obj{"type": "spoiler", "text": "secret"}, plain(" "), obj{"type": "custom_emoji", "text": "🙂", "document_id": "5368324170671202286"}, plain(" "), obj{"type": "code", "text": "x<y"}}})),
		msg(2, 1, me(obj{"text": "answer", "text_entities": []any{plain("answer")}, "reply_to_message_id": 1, "edited": "2024-03-01T12:30:00", "edited_unixtime": "1709292600"})),
		msg(3, 2, alice(obj{"forwarded_from": "Carol", "photo": c1 + "photos/photo_1@01-03-2024_12-02-00.jpg", "photo_file_size": 6, "width": 640, "height": 480, "text": "a photo", "text_entities": []any{plain("a photo")}})),
		msg(4, 3, alice(obj{"file": c1 + "stickers/sticker.webp", "file_size": 8, "thumbnail": c1 + "stickers/sticker.webp_thumb.jpg", "media_type": "sticker", "sticker_emoji": "😀", "width": 512, "height": 512})),
		msg(5, 4, me(obj{"file": c1 + "video_files/video_1@01-03-2024_12-04-00.mp4", "media_type": "animation", "mime_type": "video/mp4", "duration_seconds": 3, "width": 200, "height": 200})),
		msg(6, 5, alice(obj{"file": notIncluded, "media_type": "voice_message", "mime_type": "audio/ogg", "duration_seconds": 7})),
		msg(7, 6, alice(obj{"file": c1 + "round_video_messages/file_1@01-03-2024_12-06-00.mp4", "media_type": "video_message", "mime_type": "video/mp4", "duration_seconds": 9})),
		msg(8, 7, me(obj{"file": c1 + "files/report.pdf", "file_name": "report.pdf", "mime_type": "application/pdf"})),
		msg(9, 8, alice(obj{"file": tooLarge, "file_name": "song.mp3", "media_type": "audio_file", "mime_type": "audio/mpeg", "performer": "Band", "title": "Song", "duration_seconds": 200})),
		msg(10, 9, alice(obj{"location_information": obj{"latitude": 52.52, "longitude": 13.405}})),
		msg(11, 10, alice(obj{"location_information": obj{"latitude": 48.1, "longitude": 11.5}, "live_location_period_seconds": 900})),
		msg(12, 11, alice(obj{"place_name": "Cafe", "address": "Main St 1", "location_information": obj{"latitude": 1.5, "longitude": 2.5}})),
		msg(13, 12, alice(obj{"contact_information": obj{"first_name": "Dan", "last_name": "D", "phone_number": "+49 151 000"}, "contact_vcard": c1 + "contacts/contact_1.vcard", "contact_vcard_file_size": 40})),
		msg(14, 13, me(obj{"poll": obj{"question": "Lunch?", "closed": false, "total_voters": 3, "answers": []any{obj{"text": "Yes", "voters": 2, "chosen": true}, obj{"text": "No", "voters": 1, "chosen": false}}}})),
		msg(15, 14, me(obj{"text": "react to me", "text_entities": []any{plain("react to me")}, "reactions": []any{
			obj{"type": "emoji", "count": 3, "emoji": "👍", "recent": []any{obj{"from": "Alice", "from_id": "user500", "date": "2024-03-01T12:20:00"}}},
			obj{"type": "custom_emoji", "count": 1, "document_id": "777"}}})),
		svc(16, 15, obj{"actor": "Me Myself", "actor_id": "user42", "action": "phone_call", "duration_seconds": 65, "discard_reason": "hangup"}),
		svc(17, 16, obj{"actor": "Alice", "actor_id": "user500", "action": "pin_message", "message_id": 2}),
		msg(18, 17, alice(obj{"file": "../../outside.txt"})),
		msg(19, 18, alice(obj{"file": c1 + "files/link.txt"})),
		msg(20, 19, alice(obj{"file": c1 + "video_files/video_2@01-03-2024_12-19-00.mp4", "media_type": "video_file", "mime_type": "video/mp4", "duration_seconds": 12, "width": 1280, "height": 720, "text": "clip", "text_entities": []any{plain("clip")}})),
		svc(21, 20, obj{"actor": "Alice", "actor_id": "user500", "action": "some_future_action"}),
		{"id": 22, "type": "unsupported"},
		msg(23, 22, obj{"from": nil, "from_id": "user999", "text": "from a deleted account", "text_entities": []any{plain("from a deleted account")}}),
	}
	// The supergroup's first messages are the basic group's, ids shifted by -1,000,000,000.
	group := []obj{
		svc(-999999990, 30, obj{"actor": "Alice", "actor_id": "user500", "action": "create_group", "title": "Team", "members": []any{"Alice", "Me Myself"}}),
		msg(-999999989, 31, alice(obj{"text": "old group", "text_entities": []any{plain("old group")}})),
		svc(-999999988, 32, obj{"actor": "Alice", "actor_id": "user500", "action": "migrate_to_supergroup"}),
		svc(1, 32, obj{"actor": "Team", "actor_id": "channel600", "action": "migrate_from_group", "title": "Team"}),
		msg(2, 33, with(from(501, "Bob"), obj{"text": "hi all", "text_entities": []any{plain("hi all")}, "reply_to_message_id": -999999989})),
		svc(3, 34, obj{"actor": "Alice", "actor_id": "user500", "action": "invite_members", "members": []any{"Carol"}}),
		svc(4, 35, obj{"actor": "Alice", "actor_id": "user500", "action": "edit_group_title", "title": "Team 2"}),
		svc(5, 36, obj{"actor": "Alice", "actor_id": "user500", "action": "edit_group_photo", "photo": "chats/chat_002/photos/photo_2@01-03-2024_12-36-00.jpg", "width": 100, "height": 100}),
	}
	channel := []obj{
		svc(1, 40, obj{"actor": "News", "actor_id": "channel700", "action": "create_channel", "title": "News"}),
		msg(2, 41, obj{"from": "News", "from_id": "channel700", "author": "Editor", "text": "headline", "text_entities": []any{plain("headline")}}),
	}
	saved := []obj{
		msg(1, 50, me(obj{"saved_from": "News", "text": "keep this", "text_entities": []any{plain("keep this")}})),
	}
	oldGroup := []obj{
		msg(5, 60, me(obj{"text": "bye", "text_entities": []any{plain("bye")}})),
	}
	chats = []string{
		chatJSON("Alice", "personal_chat", genAlice, personal),
		chatJSON("Team 2", "public_supergroup", 600, group),
		chatJSON("News", "public_channel", 700, channel),
		chatJSON("", "saved_messages", genMe, saved),
	}
	left = []string{chatJSON("Old group", "private_group", 800, oldGroup)}
	return chats, left
}

func chatJSON(name, typ string, id int, msgs []obj) string {
	var sb strings.Builder
	sb.WriteString("{\n")
	if name != "" {
		sb.WriteString(`    "name": ` + jsonString(name) + ",\n")
	}
	sb.WriteString(`    "type": "` + typ + `",` + "\n" + `    "id": ` + itoa(id) + ",\n" + `    "messages": [`)
	for i, m := range msgs {
		if i > 0 {
			sb.WriteString(",")
		}
		b, _ := json.MarshalIndent(m, "     ", " ")
		sb.WriteString("\n     " + string(b))
	}
	sb.WriteString("\n    ]\n   }")
	return sb.String()
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

// generatedFiles are the media files the export holds (photo and file paths above).
var generatedFiles = map[string]string{
	"chats/chat_001/photos/photo_1@01-03-2024_12-02-00.jpg":              "JPEG-1",
	"chats/chat_001/stickers/sticker.webp":                               "RIFFWEBP",
	"chats/chat_001/stickers/sticker.webp_thumb.jpg":                     "thumb",
	"chats/chat_001/video_files/video_1@01-03-2024_12-04-00.mp4":         "gif-as-mp4",
	"chats/chat_001/round_video_messages/file_1@01-03-2024_12-06-00.mp4": "round",
	"chats/chat_001/files/report.pdf":                                    "%PDF-1.4 report",
	"chats/chat_001/contacts/contact_1.vcard":                            "BEGIN:VCARD\nFN:Dan D\nEND:VCARD\n",
	"chats/chat_001/video_files/video_2@01-03-2024_12-19-00.mp4":         "video-2",
	"chats/chat_002/photos/photo_2@01-03-2024_12-36-00.jpg":              "JPEG-2",
	"outside.txt": "outside the export",
}

// writeGenerated writes the export folder (DataExport_2024-03-01 inside a temporary folder,
// with a file beside it that a "../" path would reach) and returns its path.
func writeGenerated(t testing.TB) string {
	t.Helper()
	parent := t.TempDir()
	root := filepath.Join(parent, "DataExport_2024-03-01")
	for p, body := range generatedFiles {
		full := filepath.Join(root, filepath.FromSlash(p))
		if p == "outside.txt" {
			full = filepath.Join(parent, p)
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// A link inside the export pointing out of it must not be followed.
	if err := os.Symlink(filepath.Join(parent, "outside.txt"), filepath.Join(root, "chats", "chat_001", "files", "link.txt")); err != nil {
		t.Fatal(err)
	}
	chats, left := generatedChats()
	var sb strings.Builder
	sb.WriteString("{\n \"about\": \"Here is the data you requested.\",\n")
	sb.WriteString(" \"personal_information\": {\n  \"user_id\": 42,\n  \"first_name\": \"Me\",\n  \"last_name\": \"Myself\",\n  \"phone_number\": \"+49 170 1234567\",\n  \"username\": \"@me\",\n  \"bio\": \"\"\n },\n")
	sb.WriteString(" \"contacts\": {\n  \"about\": \"contacts\",\n  \"list\": [\n   {\"user_id\": 500, \"first_name\": \"Alice\", \"last_name\": \"A\", \"phone_number\": \"+44 20 7946 0000\", \"date\": \"2023-01-01T00:00:00\", \"date_unixtime\": \"1672531200\"},\n   {\"user_id\": 0, \"first_name\": \"\", \"last_name\": \"\", \"phone_number\": \"\", \"date\": \"2023-01-01T00:00:00\", \"date_unixtime\": \"1672531200\"}\n  ]\n },\n")
	sb.WriteString(" \"chats\": {\n  \"about\": \"chats\",\n  \"list\": [\n   " + strings.Join(chats, ",\n   ") + "\n  ]\n },\n")
	sb.WriteString(" \"left_chats\": {\n  \"about\": \"left\",\n  \"list\": [\n   " + strings.Join(left, ",\n   ") + "\n  ]\n }\n}\n")
	if err := os.WriteFile(filepath.Join(root, "result.json"), []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return root
}
