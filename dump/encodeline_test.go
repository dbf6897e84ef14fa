package dump

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
)

// jsonLine is how month files were written before appendMessageLine: encoding/json without
// HTML escaping, one object a line. Both must give the same bytes, or every month of every
// archive would change at the next backup.
func jsonLine(t testing.TB, l *MessageLine) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(l); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func checkLine(t *testing.T, l *MessageLine) {
	t.Helper()
	want := jsonLine(t, l)
	if got := appendMessageLine(nil, l); !bytes.Equal(got, want) {
		t.Errorf("encoded line differs:\n got %s\nwant %s", got, want)
	}
}

// awkward holds what a string encoder gets wrong: quotes, backslashes, every control character,
// HTML characters (not escaped in a dump), DEL, U+2028/U+2029, invalid UTF-8, emoji, CJK.
var awkward = []string{
	"", "plain", `"quoted" and \back\slash`, "<b>&amp;</b>", "\x7f", "line\u2028sep\u2029para",
	"bad \xff\xfe utf8 \xe2\x82", "👨‍👩‍👧 family", "中文テキスト", "\b\f\n\r\t", string([]byte{0, 1, 2, 0x1f, 0x1b}),
	"trailing \\", "\u00e9\u0301", strings.Repeat("long text ", 500),
}

func TestMessageLineEncodingMatchesEncodingJSON(t *testing.T) {
	zero, east, west := 0, 3600, -34200
	lat, lon := 0.0, -9.123456789
	details := []*archive.Details{
		{Location: &archive.Location{Lat: &lat, Lon: &lon, Name: "<Lisbon> & \"co\"", URL: "https://x/?a=1&b=2", Live: true}},
		{Contact: &archive.ContactCard{Name: "Ana", Phones: []string{"+351 1", "+49\u2028"}, VCard: "BEGIN:VCARD\r\nEND:VCARD"}},
		{Poll: &archive.Poll{Question: "lunch?", Options: []archive.PollOption{{Text: "yes", Votes: 2}, {Text: ""}}, Multiple: true}},
		{Call: &archive.Call{Video: true, Missed: true, DurationMS: 61000}},
		{Event: &archive.Event{Type: "member_added", Actor: "Ana", Targets: []string{"Ben", "Cy"}}},
		{Quote: &archive.Quote{Author: "Ben", Text: "earlier \"words\""}},
		{ForwardedFrom: "Channel", EditedAt: 1700000000000, DeletedAt: 1, DurationMS: 5, Pages: 3, Width: 640, Height: 480, Missing: "omitted", Via: "SMS"},
		{Link: &archive.Link{Type: "article", Title: "t", URL: "u"}, Transfer: &archive.Transfer{Type: "red_packet", Amount: "￥88.00"}},
		{Forwarded: &archive.ForwardedHistory{Title: "chat", Items: []archive.ForwardedItem{{Sender: "Ana"}}}},
		{Entities: []archive.Entity{{Type: "bold", Offset: 0, Length: 4}, {Type: "text_link", Offset: 5, Length: 2, Href: "https://e"}}},
		{},
	}
	var lines []MessageLine
	for i, k := range archive.Kinds {
		l := MessageLine{UID: "uid-" + string(k), TS: 1704067200000 + int64(i), Kind: k, Import: "imp"}
		switch i % 4 {
		case 0:
			l.Offset = &zero
		case 1:
			l.Offset, l.OffsetAssumed = &east, true
		case 2:
			l.Offset = &west
		}
		if i%2 == 0 {
			l.Sender, l.Text = "name:ana", awkward[i%len(awkward)]
		} else {
			l.FromMe = true
		}
		l.Details = details[i%len(details)]
		lines = append(lines, l)
	}
	full := MessageLine{UID: "all", TS: -1, Offset: &east, OffsetAssumed: true, Sender: "tel:+49", FromMe: true, Kind: archive.KindPhoto,
		Text: "caption", Flags: archive.Flags(0x1f).Names(), ReplyTo: "a1", Details: details[0],
		Attachments: []archive.Attachment{{Kind: archive.KindPhoto, FileName: "IMG 1.jpg", MIME: "image/jpeg", Size: 15, SHA256: "ab12"},
			{Kind: archive.KindVideo}, {Kind: archive.KindDocument, FileName: "x\x00.pdf", Details: &archive.Details{Missing: "not found"}}},
		Reactions: []ReactionLine{{Sender: "ana", Emoji: "❤️", TS: 5}, {Emoji: "🔥", Count: 3}, {Sender: "ben", Emoji: "👍"}},
		Import:    "imp", Keys: []string{"k1", "k\"2"},
		Revisions: []RevisionLine{{TS: 1, Text: "first"}, {Text: ""}},
		Votes:     []VoteLine{{Voter: "ana", Option: 0}, {Voter: "", Option: 2, TS: 9}},
		Sources:   []SourceLine{{Import: "i2"}, {Import: "i3", Src: "row 4", Raw: "raw\nrecord"}},
		Src:       "lines 1-2", Raw: "31/12/2023, 23:30 - Ana: hi"}
	lines = append(lines, full, MessageLine{}, MessageLine{Flags: []string{}, Attachments: []archive.Attachment{}, Keys: []string{}})
	for _, s := range awkward {
		lines = append(lines, MessageLine{UID: s, Sender: s, Kind: archive.Kind(s), Text: s, Flags: []string{s}, ReplyTo: s, Import: s, Src: s, Raw: s,
			Attachments: []archive.Attachment{{Kind: archive.Kind(s), FileName: s, MIME: s, SHA256: s}},
			Reactions:   []ReactionLine{{Sender: s, Emoji: s}}, Keys: []string{s}, Revisions: []RevisionLine{{Text: s}},
			Votes: []VoteLine{{Voter: s}}, Sources: []SourceLine{{Import: s, Src: s, Raw: s}}})
	}
	for i := range lines {
		checkLine(t, &lines[i])
	}
}

// Every message of a varied archive, through the dump's own conversion, encodes the same both ways.
func TestArchiveMessagesEncodeAsEncodingJSONDoes(t *testing.T) {
	ctx := context.Background()
	a := openArchive(t, "a")
	fillArchive(t, a, 40)
	d, err := Build(ctx, a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	n := 0
	convs, err := a.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range convs {
		err := a.EachMessage(ctx, archive.MessageQuery{ConversationID: c.ID, WithParts: true}, func(m *archive.Message) error {
			l := d.keys.messageLine(m)
			checkLine(t, &l)
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n != 47 {
		t.Fatalf("compared %d messages, want 47", n)
	}
}

func FuzzMessageLineEncoding(f *testing.F) {
	for _, s := range awkward {
		f.Add(s, s, int64(len(s)), len(s)%3 == 0, uint8(len(s)))
	}
	f.Fuzz(func(t *testing.T, text, key string, ts int64, fromMe bool, pick uint8) {
		off := int(ts % 50400)
		l := MessageLine{UID: key, TS: ts, OffsetAssumed: fromMe, Sender: key, FromMe: fromMe, Kind: archive.Kinds[int(pick)%len(archive.Kinds)],
			Text: text, ReplyTo: text, Import: key, Src: text, Raw: key + text}
		if pick&1 != 0 {
			l.Offset = &off
		}
		if pick&2 != 0 {
			l.Flags = archive.Flags(pick).Names()
			l.Keys = []string{key, text}
		}
		if pick&4 != 0 {
			l.Attachments = []archive.Attachment{{Kind: archive.KindPhoto, FileName: text, MIME: key, Size: ts, SHA256: key}}
			l.Reactions = []ReactionLine{{Sender: key, Emoji: text, TS: ts, Count: int(pick)}}
		}
		if pick&8 != 0 {
			l.Revisions = []RevisionLine{{TS: ts, Text: text}}
			l.Votes = []VoteLine{{Voter: key, Option: int(pick), TS: -ts}}
			l.Sources = []SourceLine{{Import: key, Src: text, Raw: text}}
		}
		if pick&16 != 0 {
			l.Details = &archive.Details{Quote: &archive.Quote{Author: key, Text: text}, Missing: text}
		}
		checkLine(t, &l)
	})
}
