package tgjson

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

func TestControlCharacters(t *testing.T) {
	// A raw U+0001, Telegram's \x0B, an escaped backslash before an x (which must stay text),
	// and a raw tab in a key's value; the second message's offset must be counted in the
	// file's own bytes.
	src := "{\"type\":\"personal_chat\",\"id\":1,\"messages\":[" +
		"{\"id\":1,\"text\":\"a\x01b\\x0Bc\\\\x41\td\"}," +
		"{\"id\":2,\"text\":\"ok\"}]}"
	for _, r := range []io.Reader{strings.NewReader(src), iotest.OneByteReader(strings.NewReader(src))} {
		items, err := readAll(t, NewReader(r, Options{}))
		if err != nil {
			t.Fatal(err)
		}
		ms := messages(items)
		if got := ms[1].Text.String(); got != "a\x01b\x0bc\\x41\td" {
			t.Errorf("text %q", got)
		}
		if want := int64(strings.Index(src, `{"id":2`)); ms[2].Offset != want {
			t.Errorf("offset %d, want %d", ms[2].Offset, want)
		}
	}
}

func TestByteOrderMark(t *testing.T) {
	src := "\ufeff{\"type\":\"bot_chat\",\"id\":5,\"messages\":[{\"id\":9}]}"
	items, err := readString(t, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m := messages(items)[9]; m == nil || m.Offset != int64(strings.Index(src, `{"id":9`)) {
		t.Fatalf("message %+v", m)
	}
}

func TestAccountSectionsAnyOrder(t *testing.T) {
	src := `{
 "sessions": {"about": "x", "list": [{"last_ip": "1.2.3.4", "deep": [[[{"a": [1, 2]}]]]}]},
 "chats": {"list": [
  {"name": "Ann", "type": "personal_chat", "id": 11, "messages": [{"id": 1, "type": "message", "text": "hi"}]},
  {"name": "Empty", "type": "private_group", "id": 12}
 ], "about": "chats"},
 "left_chats": {"about": "left", "list": [
  {"extra": {"x": 1}, "name": "Old", "type": "public_channel", "id": 13, "messages": [{"id": 7}, {"id": 8}], "after": [1]}
 ]},
 "personal_information": {"user_id": 42, "first_name": "Me", "phone_number": "+1 555", "username": "@me", "bio": "b"},
 "contacts": {"about": "c", "list": [{"user_id": 5, "first_name": "Bo", "date_unixtime": "1600000000"}, {"date": "2020-01-01T00:00:00"}]},
 "frequent_contacts": {"list": [{"id": 5, "category": "people", "type": "user", "name": "Bo", "rating": 0.5}]},
 "profile_pictures": [{"date_unixtime": "1500000000", "photo": "(Photo not included. Change data exporting settings to download.)"}],
 "future_section": {"whatever": [true, null]}
}`
	items, err := readString(t, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Kind != KindHeader || items[0].Export.PersonalInformation != nil {
		t.Fatalf("first item %+v", items[0])
	}
	got := summarize(t, items)
	want := []chatSummary{
		{Name: "Ann", Type: "personal_chat", ID: 11, List: "chats", IDs: []int64{1}},
		{Name: "Empty", Type: "private_group", ID: 12, List: "chats"},
		{Name: "Old", Type: "public_channel", ID: 13, List: "left_chats", IDs: []int64{7, 8}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("chats %+v", got)
	}
	last := items[len(items)-1]
	if last.Kind != KindHeader {
		t.Fatalf("sections after the chats not delivered: last item %v", last.Kind)
	}
	e := last.Export
	if e.PersonalInformation.UserID != 42 || e.PersonalInformation.Username != "@me" || e.ChatsAbout != "chats" || e.LeftChatsAbout != "left" {
		t.Errorf("export %+v", e)
	}
	if len(e.Contacts) != 2 || e.Contacts[0].FirstName != "Bo" || e.Contacts[0].DateUnix != 1600000000 || e.ContactsAbout != "c" {
		t.Errorf("contacts %+v", e.Contacts)
	}
	if len(e.FrequentContacts) != 1 || e.FrequentContacts[0].Rating != 0.5 {
		t.Errorf("frequent %+v", e.FrequentContacts)
	}
	if len(e.ProfilePictures) != 1 || !strings.HasPrefix(e.ProfilePictures[0].Photo.MissingReason, "(Photo not included") {
		t.Errorf("pictures %+v", e.ProfilePictures)
	}
	if !reflect.DeepEqual(e.Skipped, []string{"sessions", "future_section"}) {
		t.Errorf("skipped %v", e.Skipped)
	}
}

func TestMetadataAfterMessages(t *testing.T) {
	src := `{"messages": [{"id": 1}, {"id": 2}], "id": 77, "type": "personal_chat", "name": "Zed"}`
	items, err := readString(t, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := items[0].Chat; items[0].Kind != KindChatStart || c.ID != 77 || c.Name != "Zed" || c.Type != "personal_chat" {
		t.Fatalf("chat start %+v", items[0].Chat)
	}
	if n := len(messages(items)); n != 2 {
		t.Fatalf("%d messages", n)
	}
	// Past the buffer bound, a clear error instead of unbounded memory.
	big := `{"messages": [` + strings.Repeat(`{"id": 1, "text": "`+strings.Repeat("x", 1000)+`"},`, 2000) + `{"id": 2}], "id": 1, "type": "bot_chat"}`
	_, err = readString(t, big, Options{MaxBufferedBytes: 1 << 20})
	if err == nil || !strings.Contains(err.Error(), "before the chat's type and id") {
		t.Fatalf("got %v", err)
	}
	asError(t, err)
}

func TestMessageFields(t *testing.T) {
	src := `{"type": "public_channel", "id": 3, "messages": [{
  "id": 10, "type": "message", "date": "2024-05-01T10:00:00", "date_unixtime": "1714557600",
  "edited": "2024-05-01T10:05:00", "edited_unixtime": "1714557900",
  "from": null, "from_id": "channel3", "author": "Editor",
  "forwarded_from": null, "reply_to_message_id": 9, "reply_to_peer_id": "channel4",
  "file": "files/My doc (File not included. Change data exporting settings to download.)",
  "contact_vcard": "contacts/contact_1.vcard",
  "contact_information": {"first_name": "A", "last_name": "B", "phone_number": "+1"},
  "location_information": {"latitude": 51.5, "longitude": -0.12}, "live_location_period_seconds": 900,
  "place_name": "Pub", "address": "1 Road",
  "invoice_information": {"title": "T", "amount": 500, "currency": "EUR", "receipt_message_id": 11},
  "inline_bot_buttons": [[{"type": "callback", "text": "Yes", "data": "y"}], [{"type": "url", "text": "Go", "dataBase64": "eA=="}]],
  "reactions": [{"type": "emoji", "count": 3, "emoji": "👍", "recent": [{"from": "Ann", "from_id": "user1", "date": "2024-05-01T10:01:00"}]},
                {"type": "custom_emoji", "count": 1, "document_id": "5368324170671202286"}],
  "self_destruct_period_seconds": 10,
  "text": [{"type": "custom_emoji", "text": "🙂", "document_id": 123}, {"type": "mention_name", "text": "Ann", "user_id": 1}, {"type": "pre", "text": "x", "language": "go"}],
  "text_entities": [{"type": "blockquote", "text": "q", "collapsed": true}],
  "brand_new_field": {"kept": "in Raw"}
}, {"id": 11, "type": "message", "width": "wide", "height": 5, "text": "still read"}]}`
	items, err := readString(t, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ms := messages(items)
	m := ms[10]
	if m.Invalid != nil {
		t.Fatal(m.Invalid)
	}
	if tm, ok := m.DateUnix.Time(); !ok || tm.Unix() != 1714557600 || m.EditedUnix != 1714557900 || m.Edited != "2024-05-01T10:05:00" {
		t.Errorf("dates %v %v", tm, m.EditedUnix)
	}
	if !m.From.Present || m.From.Name != "" || m.FromID != "channel3" || m.Author != "Editor" || !m.ForwardedFrom.Present || m.SavedFrom.Present {
		t.Errorf("from %v %q %q %v", m.From, m.FromID, m.Author, m.ForwardedFrom)
	}
	if m.ReplyToMessageID != 9 || m.ReplyToPeerID != "channel4" {
		t.Errorf("reply %d %q", m.ReplyToMessageID, m.ReplyToPeerID)
	}
	if m.File != (FileRef{Name: "files/My doc", MissingReason: "(File not included. Change data exporting settings to download.)"}) {
		t.Errorf("file %+v", m.File)
	}
	if m.ContactVCard.Path != "contacts/contact_1.vcard" || m.ContactInformation.PhoneNumber != "+1" {
		t.Errorf("contact %+v %+v", m.ContactVCard, m.ContactInformation)
	}
	if m.LocationInformation.Longitude != -0.12 || m.LiveLocationPeriodSeconds != 900 || m.PlaceName != "Pub" || m.Address != "1 Road" {
		t.Errorf("location %+v", m.LocationInformation)
	}
	if m.InvoiceInformation.Amount != 500 || m.InvoiceInformation.ReceiptMessageID != 11 {
		t.Errorf("invoice %+v", m.InvoiceInformation)
	}
	if len(m.InlineBotButtons) != 2 || m.InlineBotButtons[1][0].DataBase64 != "eA==" {
		t.Errorf("buttons %+v", m.InlineBotButtons)
	}
	if len(m.Reactions) != 2 || m.Reactions[0].Count != 3 || m.Reactions[0].Recent[0].From.Name != "Ann" || m.Reactions[1].DocumentID != "5368324170671202286" {
		t.Errorf("reactions %+v", m.Reactions)
	}
	if m.Text[0].DocumentID != "123" || m.Text[1].UserID != "1" || m.Text[2].Language != "go" || !m.TextEntities[0].Collapsed {
		t.Errorf("text %+v %+v", m.Text, m.TextEntities)
	}
	if m.Body().String() != "q" || m.SelfDestructPeriodSeconds != 10 {
		t.Errorf("body %q", m.Body().String())
	}
	if !strings.Contains(string(m.Raw), `"brand_new_field":{"kept":"in Raw"}`) {
		t.Errorf("raw lost the unknown field: %s", m.Raw)
	}
	// One field of the wrong shape: the message is still delivered, with the rest filled.
	bad := ms[11]
	if bad.Invalid == nil || !strings.Contains(bad.Invalid.Error(), "width") || bad.Height != 5 || bad.Text.String() != "still read" {
		t.Errorf("odd field: %+v, %v", bad, bad.Invalid)
	}
}

func TestBadInput(t *testing.T) {
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	cases := []struct {
		name, src string
		opts      Options
		want      string
		at        string // the error's offset is where this first occurs (+plus); "" does not check
		plus      int
	}{
		{"empty", "", Options{}, "empty file", "", 0},
		{"array", "[1]", Options{}, "not a Telegram export", "[", 0},
		{"truncated", `{"type": "bot_chat", "id": 1, "messages": [{"id": 1}, {"id": 2, "te`, Options{}, "truncated", "", 0},
		{"truncated between", `{"type": "bot_chat", "id": 1, "messages": [{"id": 1}`, Options{}, "truncated", "", 0},
		{"trailing", `{"type": "bot_chat", "id": 1, "messages": []} {}`, Options{}, "after the end", "", 0},
		{"message not object", `{"type": "bot_chat", "id": 1, "messages": [{"id": 4}, 5]}`, Options{}, "not an object", "5]", 0},
		{"deep message", `{"type": "bot_chat", "id": 1, "messages": [{"id": 1, "x": ` + deep + `}]}`, Options{}, "levels deep", `"x": `, 5 + 61}, // the 65th level
		{"deep skipped", `{"other_data": ` + deep + `}`, Options{}, "levels deep", "", 0},
		{"too large", `{"type": "bot_chat", "id": 1, "messages": [{"id": 1}, {"id": 2, "text": "` + strings.Repeat("y", 300<<10) + `"}]}`, Options{MaxMessageBytes: 64 << 10}, "larger than", "", 0},
		{"chats not object", `{"chats": [1]}`, Options{}, "expected an object", "", 0},
		{"chat id", `{"chats": {"list": [{"id": "x"}]}}`, Options{}, "chat id", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readString(t, c.src, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			e := asError(t, err)
			if want := int64(strings.Index(c.src, c.at) + c.plus); c.at != "" && e.Offset != want {
				t.Errorf("offset %d, want %d (%v)", e.Offset, want, err)
			}
			if !strings.HasPrefix(err.Error(), "offset ") || strings.Contains(err.Error(), "\n") {
				t.Errorf("not a one-line error with its offset: %q", err)
			}
			// The error sticks.
			r := NewReader(strings.NewReader(c.src), c.opts)
			readAll(t, r)
			if _, err2 := r.Next(); !errors.Is(err2, e.Err) && err2.Error() != err.Error() {
				t.Errorf("second call: %v", err2)
			}
		})
	}
}

func TestTooLargeNamesChatAndPosition(t *testing.T) {
	src := `{"name": "Big", "type": "bot_chat", "id": 8, "messages": [{"id": 1}, {"id": 2, "text": "` + strings.Repeat("y", 300<<10) + `"}]}`
	_, err := readString(t, src, Options{MaxMessageBytes: 64 << 10})
	e := asError(t, err)
	start := int64(strings.Index(src, `{"id": 2`))
	if !e.HasChat || e.ChatID != 8 || e.AfterID != 1 || e.Offset < start-2 || e.Offset > start {
		t.Fatalf("error %v: offset %d (message at %d)", err, e.Offset, start)
	}
}

func TestFileRef(t *testing.T) {
	for in, want := range map[string]FileRef{
		"photos/photo_1@01-08-2020_22-01-49.jpg":                                     {Path: "photos/photo_1@01-08-2020_22-01-49.jpg"},
		"(File unavailable, please try again later)":                                 {MissingReason: "(File unavailable, please try again later)"},
		"files/report (final).pdf":                                                   {Path: "files/report (final).pdf"},
		"files/notes (File 2)":                                                       {Path: "files/notes (File 2)"},
		"x (File exceeds maximum size. Change data exporting settings to download.)": {Name: "x", MissingReason: "(File exceeds maximum size. Change data exporting settings to download.)"},
	} {
		if got := parseFileRef(in); got != want {
			t.Errorf("%q: %+v, want %+v", in, got, want)
		}
	}
}

func TestPeerID(t *testing.T) {
	for in, want := range map[PeerID][3]any{
		"user123":    {"user", int64(123), true},
		"channel-5":  {"channel", int64(-5), true},
		"9999999999": {"", int64(9999999999), true},
		"":           {"", int64(0), false},
		"user":       {"", int64(0), false},
	} {
		k, id, ok := in.Split()
		if k != want[0] || id != want[1] || ok != want[2] {
			t.Errorf("%q: %q %d %v", in, k, id, ok)
		}
	}
}

// With ReuseMessages every message arrives in one Message, reset each time, except those held
// back for a chat whose type and id come late; each is what a fresh Message would hold.
func TestReuseMessages(t *testing.T) {
	src := `{"chats": {"list": [
  {"type": "personal_chat", "id": 1, "messages": [{"id": 1, "text": "a", "photo": "p.jpg", "reactions": [{"emoji": "x", "count": 1}]}, {"id": 2}, {"id": 3, "text": ["b", {"type": "bold", "text": "c"}]}]},
  {"messages": [{"id": 4, "from": "Ann"}, {"id": 5}], "type": "bot_chat", "id": 2}
 ]}}`
	fresh := NewReader(strings.NewReader(src), Options{})
	reuse := NewReader(strings.NewReader(src), Options{ReuseMessages: true})
	var shared *Message
	var held []*Message
	for {
		want, err1 := fresh.Next()
		got, err2 := reuse.Next()
		if err1 != nil || err2 != nil {
			if err1 != io.EOF || err2 != io.EOF {
				t.Fatal(err1, err2)
			}
			break
		}
		if got.Kind != want.Kind {
			t.Fatalf("%v, want %v", got.Kind, want.Kind)
		}
		if got.Kind != KindMessage {
			continue
		}
		if !reflect.DeepEqual(got.Message, want.Message) {
			t.Fatalf("message %+v\nwant %+v", got.Message, want.Message)
		}
		switch id := got.Message.ID; {
		case id <= 3 && shared == nil:
			shared = got.Message
		case id <= 3 && got.Message != shared:
			t.Errorf("message %d not in the shared Message", id)
		case id > 3:
			if got.Message == shared {
				t.Errorf("held message %d in the shared Message", id)
			}
			held = append(held, got.Message)
		}
	}
	if len(held) != 2 || held[0].ID != 4 || held[0].From.Name != "Ann" || held[1].ID != 5 {
		t.Fatalf("held messages %+v", held)
	}
}
