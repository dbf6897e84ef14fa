package telegram

import (
	"encoding/json"
	"github.com/chatvault/chatvault/internal/archivetest"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
)

func details(t *testing.T, r row) archive.Details {
	t.Helper()
	var d archive.Details
	if r.details != "" {
		if err := json.Unmarshal([]byte(r.details), &d); err != nil {
			t.Fatalf("%s details %q: %v", r.uid, r.details, err)
		}
	}
	return d
}

type att struct {
	kind, name, mime, sha, details string
	size                           int64
}

func attachments(t *testing.T, a *archive.Archive, key, uid string) []att {
	t.Helper()
	rows, err := archivetest.SQL(t, a).Query(`SELECT t.kind, t.file_name, t.mime, coalesce(t.sha256, ''), t.size, t.details FROM attachments t
		JOIN messages m ON m.id = t.message_id JOIN conversations c ON c.id = m.conversation_id
		WHERE c.key = ? AND m.uid = ? ORDER BY t.ord`, key, uid)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []att
	for rows.Next() {
		var x att
		if err := rows.Scan(&x.kind, &x.name, &x.mime, &x.sha, &x.size, &x.details); err != nil {
			t.Fatal(err)
		}
		out = append(out, x)
	}
	return out
}

// Every kind of message in the generated export lands with the fields it carries.
func TestGeneratedMapping(t *testing.T) {
	a := fresh(t)
	rep := importInto(t, a, importer.LocalSource(writeGenerated(t)), importer.Options{})
	wantCounts := map[string]int{"Alice": 23, "Team 2": 8, "News": 2, "Saved Messages": 1, "Old group": 1}
	got := countsByTitle(t, a)
	for k, v := range wantCounts {
		if got[k] != v {
			t.Errorf("%s: %d messages, want %d (all: %v)", k, got[k], v, got)
		}
	}
	// The two refused media paths are warnings with positions.
	var refused int
	for _, w := range rep.Warnings {
		if strings.Contains(w.Message, "leaves the export folder") || strings.Contains(w.Message, "symbolic link") {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("%d refused media paths warned about, want 2: %+v", refused, rep.Warnings)
	}

	var kinds = map[string]archive.ConversationKind{}
	rows, err := archivetest.SQL(t, a).Query(`SELECT key, kind FROM conversations`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, kind string
		rows.Scan(&k, &kind)
		kinds[k] = archive.ConversationKind(kind)
	}
	rows.Close()
	wantKinds := map[string]archive.ConversationKind{"tg:500": archive.ConvDirect, "tg:600": archive.ConvGroup, "tg:700": archive.ConvChannel, "tg:42": archive.ConvSelf, "tg:800": archive.ConvGroup}
	for k, v := range wantKinds {
		if kinds[k] != v {
			t.Errorf("conversation %s kind %q, want %q", k, kinds[k], v)
		}
	}

	// Me and the address book.
	var meKey, mePhone string
	if err := archivetest.SQL(t, a).QueryRow(`SELECT key, phone FROM participants WHERE is_me = 1`).Scan(&meKey, &mePhone); err != nil {
		t.Fatal(err)
	}
	if meKey != "tg:user42" || mePhone != "+491701234567" {
		t.Errorf("me = %s %s", meKey, mePhone)
	}
	var alicePhone, aliceName string
	if err := archivetest.SQL(t, a).QueryRow(`SELECT phone, name FROM participants WHERE key = 'tg:user500'`).Scan(&alicePhone, &aliceName); err != nil {
		t.Fatal(err)
	}
	if alicePhone != "+442079460000" {
		t.Errorf("Alice's phone %q", alicePhone)
	}

	m := messagesByUID(t, a, "tg:500")
	// 1: text and entities, time and offset.
	r1 := m["tg:1"]
	if r1.text != "Hi bold site Bob secret 🙂 x<y" || r1.sender != "tg:user500" || r1.fromMe {
		t.Errorf("message 1: %+v", r1)
	}
	if r1.ts != 1709290800000 || r1.offset == nil || *r1.offset != 3600 {
		t.Errorf("message 1 time %d offset %v, want 1709290800000 and 3600", r1.ts, r1.offset)
	}
	ents := details(t, r1).Entities
	wantEnts := []archive.Entity{
		{Type: "bold", Offset: 3, Length: 4},
		{Type: "text_link", Offset: 8, Length: 4, Href: "https://example.org/?a=1&b=<2>"},
		{Type: "mention_name", Offset: 13, Length: 3, UserID: "501"},
		{Type: "spoiler", Offset: 17, Length: 6},
		{Type: "custom_emoji", Offset: 24, Length: 1, Extra: "5368324170671202286"},
		{Type: "code", Offset: 26, Length: 3},
	}
	if len(ents) != len(wantEnts) {
		t.Fatalf("entities %+v", ents)
	}
	for i := range ents {
		if ents[i] != wantEnts[i] {
			t.Errorf("entity %d: %+v, want %+v", i, ents[i], wantEnts[i])
		}
	}
	runes := []rune(r1.text)
	if string(runes[24:25]) != "🙂" || string(runes[8:12]) != "site" {
		t.Errorf("entity offsets do not point at their text")
	}
	// 2: from me, a reply, edited.
	r2 := m["tg:2"]
	if !r2.fromMe || r2.replyTo != "tg:1" || archive.Flags(r2.flags)&archive.FlagEdited == 0 || details(t, r2).EditedAt != 1709292600000 {
		t.Errorf("message 2: %+v", r2)
	}
	// 3: forwarded photo stored.
	r3 := m["tg:3"]
	if r3.kind != "photo" || archive.Flags(r3.flags)&archive.FlagForwarded == 0 || details(t, r3).ForwardedFrom != "Carol" || r3.text != "a photo" {
		t.Errorf("message 3: %+v", r3)
	}
	checkAtt := func(uid, kind string, stored bool, missing string) att {
		t.Helper()
		as := attachments(t, a, "tg:500", uid)
		if len(as) != 1 {
			t.Fatalf("%s: %d attachments", uid, len(as))
		}
		x := as[0]
		if x.kind != kind || (x.sha != "") != stored || (missing != "" && !strings.Contains(x.details, missing)) {
			t.Errorf("%s attachment %+v, want kind %s stored %v missing %q", uid, x, kind, stored, missing)
		}
		return x
	}
	if x := checkAtt("tg:3", "photo", true, ""); x.size != 6 || !strings.Contains(x.details, `"width":640`) {
		t.Errorf("photo %+v", x)
	}
	kindOf := map[string]string{"tg:4": "sticker", "tg:5": "gif", "tg:6": "voice", "tg:7": "video", "tg:8": "document", "tg:9": "audio",
		"tg:10": "location", "tg:11": "live_location", "tg:12": "location", "tg:13": "contact", "tg:14": "poll", "tg:16": "call",
		"tg:17": "system", "tg:20": "video", "tg:21": "system", "tg:22": "system"}
	for uid, k := range kindOf {
		if m[uid].kind != k {
			t.Errorf("%s kind %q, want %q", uid, m[uid].kind, k)
		}
	}
	checkAtt("tg:4", "sticker", true, "")
	checkAtt("tg:5", "gif", true, "")
	checkAtt("tg:6", "voice", false, "File not included")
	checkAtt("tg:7", "video", true, "")
	if x := checkAtt("tg:8", "document", true, ""); x.name != "report.pdf" || x.mime != "application/pdf" {
		t.Errorf("document %+v", x)
	}
	if x := checkAtt("tg:9", "audio", false, "File exceeds maximum size"); x.name != "song.mp3" || !strings.Contains(x.details, `"duration_ms":200000`) {
		t.Errorf("audio %+v", x)
	}
	checkAtt("tg:18", "document", false, "not in the export")
	checkAtt("tg:19", "document", false, "not in the export")
	checkAtt("tg:20", "video", true, "")
	if l := details(t, m["tg:10"]).Location; l == nil || l.Lat == nil || *l.Lat != 52.52 || *l.Lon != 13.405 || l.Live {
		t.Errorf("location %+v", l)
	}
	if d := details(t, m["tg:11"]); d.Location == nil || !d.Location.Live || d.DurationMS != 900000 {
		t.Errorf("live location %+v", d)
	}
	if l := details(t, m["tg:12"]).Location; l == nil || l.Name != "Cafe, Main St 1" || l.Lat == nil || *l.Lat != 1.5 {
		t.Errorf("venue %+v", l)
	}
	if c := details(t, m["tg:13"]).Contact; c == nil || c.Name != "Dan D" || len(c.Phones) != 1 || !strings.Contains(c.VCard, "FN:Dan D") {
		t.Errorf("contact %+v", c)
	}
	if p := details(t, m["tg:14"]).Poll; p == nil || p.Question != "Lunch?" || len(p.Options) != 2 || p.Options[0].Votes != 2 || p.Options[1].Votes != 1 {
		t.Errorf("poll %+v", p)
	}
	var votes int
	archivetest.SQL(t, a).QueryRow(`SELECT count(*) FROM poll_votes v JOIN participants p ON p.id = v.voter_id WHERE p.is_me = 1 AND v.option = 0`).Scan(&votes)
	if votes != 1 {
		t.Errorf("%d votes of mine for option 0, want 1", votes)
	}
	// 15: 👍 ×3 of which Alice is named: Alice + 2 anonymous; the custom emoji once.
	rrows, err := archivetest.SQL(t, a).Query(`SELECT coalesce(p.key, ''), r.emoji, r.count FROM reactions r JOIN messages m ON m.id = r.message_id
		JOIN conversations c ON c.id = m.conversation_id LEFT JOIN participants p ON p.id = r.sender_id AND r.sender_id <> 0
		WHERE c.key = 'tg:500' AND m.uid = 'tg:15' ORDER BY r.emoji, p.key`)
	if err != nil {
		t.Fatal(err)
	}
	var reacts []string
	for rrows.Next() {
		var who, emoji string
		var n int
		rrows.Scan(&who, &emoji, &n)
		reacts = append(reacts, who+" "+emoji+" "+itoa(n))
	}
	rrows.Close()
	if strings.Join(reacts, "|") != " custom_emoji:777 1| 👍 2|tg:user500 👍 1" {
		t.Errorf("reactions %q", reacts)
	}
	if d := details(t, m["tg:16"]); d.Call == nil || d.Call.DurationMS != 65000 || d.Call.Missed || d.Event == nil || d.Event.Type != "phone_call" || m["tg:16"].sender != "tg:user42" {
		t.Errorf("call %+v", d)
	}
	if r := m["tg:17"]; r.replyTo != "tg:2" || details(t, r).Event.Type != "pin_message" {
		t.Errorf("pin %+v", r)
	}
	if d := details(t, m["tg:21"]); d.Event == nil || d.Event.Type != "some_future_action" {
		t.Errorf("unknown action %+v", d)
	}
	if r := m["tg:23"]; r.sender != "tg:user999" {
		t.Errorf("deleted account's message %+v", r)
	}
	var deleted string
	archivetest.SQL(t, a).QueryRow(`SELECT name FROM participants WHERE key = 'tg:user999'`).Scan(&deleted)
	if deleted != "Deleted Account" {
		t.Errorf("deleted account named %q", deleted)
	}
	var noted bool
	for _, n := range rep.Notes {
		if strings.Contains(n, "some_future_action (1)") && strings.Contains(n, "unsupported message (1)") {
			noted = true
		}
	}
	if !noted {
		t.Errorf("unknown records not counted in a note: %q", rep.Notes)
	}

	g := messagesByUID(t, a, "tg:600")
	if r := g["tg:-999999990"]; r.kind != "system" || details(t, r).Event.Type != "create_group" || strings.Join(details(t, r).Event.Targets, ",") != "Alice,Me Myself,Team" {
		t.Errorf("create_group %+v", r)
	}
	if r := g["tg:2"]; r.replyTo != "tg:-999999989" || r.sender != "tg:user501" {
		t.Errorf("reply to the old group's message %+v", r)
	}
	if d := details(t, g["tg:4"]); d.Event == nil || d.Event.Type != "edit_group_title" || d.Event.Targets[0] != "Team 2" {
		t.Errorf("title change %+v", d)
	}
	if as := attachments(t, a, "tg:600", "tg:5"); len(as) != 1 || as[0].sha == "" {
		t.Errorf("group photo %+v", as)
	}
	if r := messagesByUID(t, a, "tg:700")["tg:2"]; r.sender != "tg:channel700" {
		t.Errorf("channel post %+v", r)
	}
	if r := messagesByUID(t, a, "tg:42")["tg:1"]; !r.fromMe || details(t, r).ForwardedFrom != "News" {
		t.Errorf("saved message %+v", r)
	}
}
