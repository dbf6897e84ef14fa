// Package exporttest fills an archive with the conversations the export and viewer tests render:
// the built-in demo chat (internal/demo, with its photo and voice message), a hostile chat whose
// names, texts and file names try to run script or escape the export folder, and a long chat for
// paging. It writes through the archive's import API, so it needs no importer.
package exporttest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/demo"
)

// Pwn is what every hostile payload tries to do: set window.__pwned or change the page title.
// Tests assert that neither happened.
const Pwn = `window.__pwned=1;document.title='pwned'`

// Hostile texts, shown literally when escaping works.
var (
	HostileScript = `<script>` + Pwn + `</script>`
	HostileImg    = `<img src=x onerror="` + Pwn + `">`
	HostileLink   = `javascript:` + Pwn
	HostileSVG    = `"><svg onload="` + Pwn + `">`
	HostileTitle  = "Evil \u202Egnp.exe <script>" + Pwn + "</script>"
	HostileName   = `<img src=x onerror="` + Pwn + `">Mallory`
	RLOName       = "Eve \u202Eevil\u202C"
	HostileFile   = "../../etc/passwd"
	HostileHTML   = "<html><body><script>" + Pwn + "</script>attachment</body></html>"
	HostileSVGDoc = `<svg xmlns="http://www.w3.org/2000/svg" onload="` + Pwn + `"><script>` + Pwn + `</script></svg>`
)

// Info says what Build wrote.
type Info struct {
	Demo, Hostile, Long int64 // conversation ids
	LongMessages        int
	PhotoSHA, VoiceSHA  string
}

// Build writes the three conversations in one import. longMessages sizes the long chat.
func Build(ctx context.Context, a *archive.Archive, longMessages int) (Info, error) {
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "exporttest", ImporterVersion: "1", SourcePath: "exporttest"})
	if err != nil {
		return Info{}, err
	}
	b := &builder{im: im, people: map[string]int64{}}
	info, err := b.build(longMessages)
	if err != nil {
		im.Rollback()
		return Info{}, err
	}
	if _, err := im.Commit(); err != nil {
		return Info{}, err
	}
	return info, nil
}

type builder struct {
	im     *archive.Import
	people map[string]int64
	n      int
}

func (b *builder) person(conv int64, name string, me bool) (int64, error) {
	key := "name:" + strings.ToLower(name)
	if id, ok := b.people[key]; ok {
		return id, b.im.Member(conv, id)
	}
	id, err := b.im.Participant(archive.Participant{Service: "whatsapp", Key: key, Name: name, IsMe: me})
	if err != nil {
		return 0, err
	}
	b.people[key] = id
	return id, b.im.Member(conv, id)
}

func (b *builder) add(m *archive.Message) error {
	b.n++
	if m.UID == "" {
		m.UID = fmt.Sprintf("t%07d", b.n)
	}
	if m.Kind == "" {
		m.Kind = archive.KindText
	}
	_, off := m.Time.Zone()
	m.OffsetKnown, m.Offset = true, off
	return b.im.AddMessage(m)
}

func (b *builder) build(longMessages int) (Info, error) {
	var info Info
	var err error
	if info.Demo, info.PhotoSHA, info.VoiceSHA, err = b.demo(); err != nil {
		return info, fmt.Errorf("demo chat: %w", err)
	}
	if info.Hostile, err = b.hostile(); err != nil {
		return info, fmt.Errorf("hostile chat: %w", err)
	}
	if longMessages > 0 {
		if info.Long, err = b.long(longMessages); err != nil {
			return info, fmt.Errorf("long chat: %w", err)
		}
		info.LongMessages = longMessages
	}
	return info, nil
}

var demoLine = regexp.MustCompile(`^(\d\d)/(\d\d)/(\d{4}), (\d\d):(\d\d) - (?:([^:]+): )?(.*)$`)

// demo reads the demo export's text (a fixed shape we wrote ourselves) and its media.
func (b *builder) demo() (conv int64, photo, voice string, err error) {
	var zbuf bytes.Buffer
	if err := demo.WriteExport(&zbuf, true); err != nil {
		return 0, "", "", err
	}
	zr, err := zip.NewReader(bytes.NewReader(zbuf.Bytes()), int64(zbuf.Len()))
	if err != nil {
		return 0, "", "", err
	}
	media := map[string]string{}
	var chat io.Reader
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			return 0, "", "", err
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return 0, "", "", err
		}
		if strings.HasSuffix(f.Name, ".txt") {
			chat = bytes.NewReader(data)
			continue
		}
		mime := map[string]string{".png": "image/png", ".wav": "audio/wav"}[path.Ext(f.Name)]
		sha, _, err := b.im.PutMedia(bytes.NewReader(data), mime, 0)
		if err != nil {
			return 0, "", "", err
		}
		media[f.Name] = sha
	}
	conv, err = b.im.Conversation(archive.Conversation{Service: "whatsapp", Key: "export:family trip", Title: "Family Trip", Kind: archive.ConvGroup})
	if err != nil {
		return 0, "", "", err
	}
	var cur *archive.Message
	flush := func() error {
		if cur == nil {
			return nil
		}
		if cur.Kind != archive.KindSystem {
			b.classify(cur, media)
		}
		err := b.add(cur)
		cur = nil
		return err
	}
	sc := bufio.NewScanner(chat)
	for sc.Scan() {
		line := sc.Text()
		m := demoLine.FindStringSubmatch(line)
		if m == nil {
			if cur != nil {
				cur.Text += "\n" + line
			}
			continue
		}
		if err := flush(); err != nil {
			return 0, "", "", err
		}
		var d, mo, y, h, mi int
		fmt.Sscanf(m[1]+" "+m[2]+" "+m[3]+" "+m[4]+" "+m[5], "%d %d %d %d %d", &d, &mo, &y, &h, &mi)
		cur = &archive.Message{ConversationID: conv, Time: time.Date(y, time.Month(mo), d, h, mi, 0, 0, time.UTC), Text: m[7], Raw: line}
		if m[6] == "" {
			cur.Kind = archive.KindSystem
			cur.Details = &archive.Details{Event: &archive.Event{Type: "unknown"}}
			continue
		}
		if cur.SenderID, err = b.person(conv, m[6], m[6] == "Ana"); err != nil {
			return 0, "", "", err
		}
		cur.FromMe = m[6] == "Ana"
	}
	if err := flush(); err != nil {
		return 0, "", "", err
	}
	return conv, media["IMG-20240303-WA0001.png"], media["AUD-20240303-WA0002.wav"], nil
}

func (b *builder) classify(m *archive.Message, media map[string]string) {
	switch {
	case strings.HasSuffix(m.Text, " (file attached)"):
		name := strings.TrimSuffix(m.Text, " (file attached)")
		m.Text = ""
		kind, mime := archive.KindPhoto, "image/png"
		if strings.HasSuffix(name, ".wav") {
			kind, mime = archive.KindVoice, "audio/wav"
		}
		m.Kind = kind
		m.Attachments = []archive.Attachment{{Kind: kind, FileName: name, MIME: mime, SHA256: media[name]}}
	case strings.Contains(m.Text, " (file attached)\n"):
		name, caption, _ := strings.Cut(m.Text, " (file attached)\n")
		m.Text, m.Kind = caption, archive.KindPhoto
		m.Attachments = []archive.Attachment{{Kind: archive.KindPhoto, FileName: name, MIME: "image/png", SHA256: media[name]}}
	case m.Text == "<Media omitted>":
		m.Text, m.Kind = "", archive.KindPhoto
		m.Attachments = []archive.Attachment{{Kind: archive.KindPhoto, Details: &archive.Details{Missing: "omitted"}}}
	case m.Text == "This message was deleted":
		m.Text, m.Kind = "", archive.KindDeleted
	case strings.HasPrefix(m.Text, "location: "):
		url := strings.TrimPrefix(m.Text, "location: ")
		m.Text, m.Kind = "", archive.KindLocation
		m.Details = &archive.Details{Location: &archive.Location{URL: url}}
		m.Details.Location.Lat, m.Details.Location.Lon = archive.Coords(38.7119, -9.1295)
	}
}

// hostile is a chat written by an attacker: every name, text and file name tries something.
func (b *builder) hostile() (int64, error) {
	conv, err := b.im.Conversation(archive.Conversation{Service: "whatsapp", Key: "export:hostile", Title: HostileTitle, Kind: archive.ConvGroup})
	if err != nil {
		return 0, err
	}
	mallory, err := b.person(conv, HostileName, false)
	if err != nil {
		return 0, err
	}
	eve, err := b.person(conv, RLOName, false)
	if err != nil {
		return 0, err
	}
	me, err := b.person(conv, "Ana", true)
	if err != nil {
		return 0, err
	}
	html, _, err := b.im.PutMedia(strings.NewReader(HostileHTML), "text/html", 0)
	if err != nil {
		return 0, err
	}
	svg, _, err := b.im.PutMedia(strings.NewReader(HostileSVGDoc), "image/svg+xml", 0)
	if err != nil {
		return 0, err
	}
	at := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	next := func() time.Time { at = at.Add(time.Minute); return at }
	msgs := []*archive.Message{
		{SenderID: mallory, Text: HostileScript, UID: "h-script"},
		{SenderID: mallory, Text: HostileImg},
		{SenderID: eve, Text: "click " + HostileLink + " now"},
		{SenderID: eve, Text: HostileSVG},
		{SenderID: mallory, Text: "see https://example.org/a?b=<c>&d=\"e\" and mailto:x@example.org"},
		{SenderID: mallory, Kind: archive.KindDocument, Text: "my password file",
			Attachments: []archive.Attachment{{Kind: archive.KindDocument, FileName: HostileFile, MIME: "text/html", SHA256: html, Size: int64(len(HostileHTML))}}},
		{SenderID: eve, Kind: archive.KindPhoto,
			Attachments: []archive.Attachment{{Kind: archive.KindPhoto, FileName: "cat\u202Egvs.jpg", MIME: "image/svg+xml", SHA256: svg, Size: int64(len(HostileSVGDoc))}}},
		{SenderID: me, FromMe: true, Text: "quoting", ReplyTo: "h-script"},
		{SenderID: eve, Text: "old quote", Details: &archive.Details{Quote: &archive.Quote{Author: HostileName, Text: HostileScript}}},
		{Kind: archive.KindSystem, Text: HostileName + " added " + RLOName, Details: &archive.Details{Event: &archive.Event{Type: "member_added", Actor: HostileName}}},
		{SenderID: mallory, Kind: archive.KindLocation, Details: &archive.Details{Location: &archive.Location{Lat: ptr(1.0), Lon: ptr(2.0), Name: HostileImg, URL: HostileLink}}},
		{SenderID: mallory, Text: "reacted", Reactions: []archive.Reaction{{SenderID: eve, Emoji: "<b>x</b>"}, {SenderID: me, Emoji: "👍"}}},
	}
	for _, m := range msgs {
		m.ConversationID, m.Time = conv, next()
		if err := b.add(m); err != nil {
			return 0, err
		}
	}
	return conv, nil
}

// LongText is the text of message i of the long chat; every one is findable.
func LongText(i int) string { return fmt.Sprintf("long message number %06d", i) }

// long is a two-person chat, one message every 37 minutes, spanning months.
func (b *builder) long(n int) (int64, error) {
	conv, err := b.im.Conversation(archive.Conversation{Service: "whatsapp", Key: "export:long chat", Title: "Long chat", Kind: archive.ConvDirect})
	if err != nil {
		return 0, err
	}
	me, err := b.person(conv, "Ana", true)
	if err != nil {
		return 0, err
	}
	zed, err := b.person(conv, "Zed", false)
	if err != nil {
		return 0, err
	}
	start := time.Date(2022, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		m := &archive.Message{ConversationID: conv, Time: start.Add(time.Duration(i) * 37 * time.Minute), Text: LongText(i)}
		if i%2 == 0 {
			m.SenderID, m.FromMe = me, true
		} else {
			m.SenderID = zed
		}
		if err := b.add(m); err != nil {
			return 0, err
		}
	}
	return conv, nil
}

// Sample is a fresh archive holding what Build writes (long: messages in the long chat), for a
// test; it is closed when the test ends.
func Sample(t testing.TB, long int) (*archive.Archive, Info) {
	t.Helper()
	a := archivetest.Open(t)
	info, err := Build(context.Background(), a, long)
	if err != nil {
		t.Fatal(err)
	}
	return a, info
}

func ptr[T any](v T) *T { return &v }
