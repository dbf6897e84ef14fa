package tgjson

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
)

// topKeys are every key Telegram Desktop writes at the top of result.json, in either shape.
var topKeys = map[string]bool{
	"about": true, "personal_information": true, "profile_pictures": true, "stories": true,
	"contacts": true, "frequent_contacts": true, "sessions": true, "web_sessions": true,
	"other_data": true, "chats": true, "left_chats": true,
	"name": true, "type": true, "id": true, "messages": true,
}

var chatTypes = map[string]bool{
	"personal_chat": true, "bot_chat": true, "private_group": true, "private_supergroup": true,
	"public_supergroup": true, "private_channel": true, "public_channel": true,
	"saved_messages": true, "replies": true, "verification_codes": true,
}

// messageKeys are keys only Telegram's messages have among the chat exports we know.
var messageKeys = []string{"from_id", "date_unixtime", "text_entities", "actor_id", "actor", "action"}

// Detect scores from the first bytes of a file (a few KiB are enough; a cut-off end is fine) how
// sure it is that the file is Telegram Desktop's result.json: 0 not at all, 100 certain.
func Detect(head []byte) int {
	s := scanHead(head)
	if !s.object {
		return 0
	}
	for k := range s.top {
		if !topKeys[k] {
			return 0 // another program's JSON (Discord's "guild", Messenger's "participants", ...)
		}
	}
	switch {
	case s.top["personal_information"] || s.sectionList:
		return 100
	case chatTypes[s.topType] && (s.top["messages"] || s.top["id"]):
		return 95
	}
	if !s.top["messages"] || !s.msg {
		return 0
	}
	switch s.msgType {
	case "message", "service", "unsupported":
	default:
		return 0
	}
	for _, k := range messageKeys {
		if s.msgKeys[k] {
			return 70
		}
	}
	if s.msgKeys["from"] && s.msgKeys["text"] {
		return 50 // old or hand-made files: only type, date, from, text
	}
	return 0
}

type headScan struct {
	object      bool
	top         map[string]bool
	topType     string
	sectionList bool // chats.list or left_chats.list
	msg         bool // the first message object was seen
	msgType     string
	msgKeys     map[string]bool
}

// scanHead walks as many tokens as the head holds, noting the top-level keys, the chat type and
// the keys of the first message.
func scanHead(head []byte) headScan {
	s := headScan{top: map[string]bool{}, msgKeys: map[string]bool{}}
	dec := json.NewDecoder(newFilter(bytes.NewReader(head), 0))
	type frame struct {
		obj     bool
		wantKey bool
		key     string
	}
	var stack []frame
	inFirstMsg := -1 // stack depth of the first message object while inside it
	for n := 0; n < 100000; n++ {
		tok, err := dec.Token()
		if err != nil {
			return s
		}
		if len(stack) == 0 {
			d, ok := tok.(json.Delim)
			if !ok || d != '{' {
				return s
			}
			s.object = true
			stack = append(stack, frame{obj: true, wantKey: true})
			continue
		}
		top := &stack[len(stack)-1]
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			if len(stack) == inFirstMsg {
				inFirstMsg = 0 // done with it; never look at another
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return s
			}
			stack[len(stack)-1].wantKey = stack[len(stack)-1].obj
			continue
		}
		if top.obj && top.wantKey {
			key, _ := tok.(string)
			top.key, top.wantKey = key, false
			switch {
			case len(stack) == 1:
				s.top[key] = true
			case len(stack) == 2 && key == "list" && (stack[0].key == "chats" || stack[0].key == "left_chats"):
				s.sectionList = true
			case len(stack) == inFirstMsg:
				s.msgKeys[key] = true
			}
			continue
		}
		// A value in top (the object's value for top.key, or an array element).
		if d, ok := tok.(json.Delim); ok {
			if d == '{' && !top.obj && top.key == "messages" && inFirstMsg < 0 {
				s.msg = true
				inFirstMsg = len(stack) + 1
			}
			f := frame{obj: d == '{', wantKey: d == '{'}
			if d == '[' {
				f.key = top.key // elements know which list holds them
			}
			stack = append(stack, f)
			continue
		}
		if len(stack) == 1 && top.key == "type" {
			s.topType, _ = tok.(string)
		}
		if len(stack) == inFirstMsg && top.key == "type" {
			s.msgType, _ = tok.(string)
		}
		top.wantKey = top.obj
	}
	return s
}

// DetectHTML reports whether a folder is Telegram Desktop's HTML export (messages.html,
// messages2.html, ... or export_results.html for a whole account), so the importer can ask for
// the JSON export instead.
func DetectHTML(dir fs.FS) bool {
	for _, name := range []string{"messages.html", "export_results.html"} {
		f, err := dir.Open(name)
		if err != nil {
			continue
		}
		head := make([]byte, 16<<10)
		n, _ := io.ReadFull(f, head)
		f.Close()
		head = head[:n]
		if bytes.Contains(head, []byte(`class="page_wrap"`)) && bytes.Contains(head, []byte(`<title>Exported Data</title>`)) {
			return true
		}
	}
	return false
}
