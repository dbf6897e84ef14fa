// Package wxmsg turns one WeChat message (its type number and content) into the archive's
// terms: kind, text, details, the file it refers to, the message it quotes. The types and XML
// are shared by the iPhone, Android and desktop apps; /work/shared/notes/wechat.md §7 lists them
// with their sources.
package wxmsg

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/chatvault/chatvault/archive"
)

// maxContent bounds what is parsed of one message; larger bodies are kept raw only.
const maxContent = 4 << 20

// Message is one parsed message.
type Message struct {
	Kind    archive.Kind
	Text    string
	Details *archive.Details
	// Media says which file the message carries, nil when none.
	Media *Media
	// QuotedSvrID is the server id of the message a reply quotes ("" when none).
	QuotedSvrID string
	// RecalledSvrID is the server id of the message a recall notice withdrew.
	RecalledSvrID string
	// Type names the type for counts: "1", "49/5", "10002/revokemsg".
	Type string
	// Unknown: a type this package does not know; the caller keeps the raw record and counts it.
	Unknown bool
}

// Media is the file a message refers to. Platforms find it by their own paths.
type Media struct {
	Kind       archive.Kind
	MIME       string
	Ext        string // file extension for files (49/6), without the dot
	FileName   string
	Size       int64
	DurationMS int64
	Width      int
	Height     int
	URL        string // CDN URL (stickers)
	MD5        string
}

// Names resolves a username to a display name ("" when unknown) for pats and templates.
type Names func(username string) string

// BaseType is the message type without the flag bits Android keeps above the low 16 bits
// (16777265 → 49) and the subtype WeChat 4 keeps in the high 32 bits (notes §7).
func BaseType(t int64) int64 { return t & 0xFFFF }

// SplitSender splits a group message body "wxid_x:\n<body>" at the first ":\n" (notes §5).
// ok is false when there is no such prefix.
func SplitSender(content string) (sender, body string, ok bool) {
	i := strings.Index(content, ":\n")
	if i <= 0 || i > 128 || i+2 >= len(content) {
		return "", content, false
	}
	s := content[:i]
	if strings.ContainsAny(s, " \t\r\n<>\"") {
		return "", content, false
	}
	return s, content[i+2:], true
}

// Parse reads a message of type typ (any flag bits are dropped) with content (the group prefix
// already removed). names may be nil.
func Parse(typ int64, content string, names Names) Message {
	if names == nil {
		names = func(string) string { return "" }
	}
	t := BaseType(typ)
	m := Message{Kind: archive.KindText, Type: strconv.FormatInt(t, 10)}
	if len(content) > maxContent {
		m.Text, m.Unknown = "[message too large to read]", true
		return m
	}
	if t == 1 {
		// Text, most of any history: no XML to read (and no xmsg, which is large, to allocate).
		m.Text = content
		return m
	}
	var x xmsg
	xmlOK := looksXML(content) && decode(content, &x) == nil
	switch t {
	case 3:
		m.Kind = archive.KindPhoto
		m.Media = &Media{Kind: archive.KindPhoto, MIME: "image/jpeg", Size: x.Img.Length, MD5: x.Img.MD5, Width: x.Img.W, Height: x.Img.H}
	case 34:
		m.Kind = archive.KindVoice
		mime := "audio/silk"
		if x.Voice.Format == "0" {
			mime = "audio/amr"
		}
		m.Media = &Media{Kind: archive.KindVoice, MIME: mime, DurationMS: x.Voice.Length}
		m.Details = &archive.Details{DurationMS: x.Voice.Length}
	case 43, 62:
		m.Kind = archive.KindVideo
		m.Media = &Media{Kind: archive.KindVideo, MIME: "video/mp4", DurationMS: x.Video.PlayLength * 1000, Size: x.Video.Length, MD5: x.Video.MD5, Width: x.Video.W, Height: x.Video.H}
		m.Details = &archive.Details{DurationMS: x.Video.PlayLength * 1000}
	case 47:
		m.Kind = archive.KindSticker
		m.Media = &Media{Kind: archive.KindSticker, MIME: "image/gif", URL: x.Emoji.CDNURL, MD5: x.Emoji.MD5, Width: x.Emoji.W, Height: x.Emoji.H}
	case 48:
		m.Kind = archive.KindLocation
		name := first(x.Location.POIName, x.Location.Label)
		m.Details = &archive.Details{Location: &archive.Location{Name: name}}
		m.Details.Location.Lat, m.Details.Location.Lon = coords(x.Location.X, x.Location.Y)
		if x.Location.Label != "" && x.Location.Label != name {
			m.Text = x.Location.Label
		}
	case 42, 66:
		m.Kind = archive.KindContact
		m.Details = &archive.Details{Contact: &archive.ContactCard{Name: first(x.Nickname, x.Alias, x.Username)}}
		m.Text = x.Username
	case 49:
		appMessage(&m, &x, names)
	case 50:
		m.Kind = archive.KindCall
		m.Text = strings.TrimSpace(x.VoIP.Msg)
		m.Details = &archive.Details{Call: callDetails(m.Text)}
	case 52, 53:
		m.Kind = archive.KindCall
		m.Details = &archive.Details{Call: &archive.Call{}}
		m.Text = "VoIP"
	case 10000:
		systemText(&m, content, &x, xmlOK, names)
	case 10002:
		sysmsg(&m, content, &x, names)
	case 37, 40, 35, 51, 64, 9999:
		m.Kind = archive.KindSystem
		m.Text = summary(content, &x)
		m.Details = &archive.Details{Event: &archive.Event{Type: map[int64]string{37: "friend_request", 40: "possible_friend", 35: "mail", 51: "status_notify", 64: "notice", 9999: "notice"}[t]}}
	default:
		m.Unknown = true
		m.Kind = archive.KindSystem
		m.Text = summary(content, &x)
	}
	if (t == 3 || t == 34 || t == 43 || t == 47 || t == 62 || t == 48 || t == 42 || t == 49 || t == 50) && looksXML(content) && !xmlOK {
		// The type says XML but it does not parse: keep it, say so.
		m.Unknown = true
		m.Type += "/bad-xml"
	}
	return m
}

// coords reads a location's coordinates; none unless both parse.
func coords(lat, lon string) (*float64, *float64) {
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if err1 != nil || err2 != nil {
		return nil, nil
	}
	return archive.Coords(la, lo)
}

func first(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// summary is the text of a message this package does not map: its title if it has one, else
// the content itself (the raw record is kept by the caller anyway).
func summary(content string, x *xmsg) string {
	if s := first(x.AppMsg.Title, x.AppMsg.Des); s != "" {
		return s
	}
	if looksXML(content) {
		return stripTags(content)
	}
	return content
}

var durationRe = regexp.MustCompile(`(\d{1,3}):(\d{2})(?::(\d{2}))?`)

// callDetails reads the call bubble's text ("通话时长 01:23", "对方已取消", "已拒绝"): the
// duration, and whether it was missed. room_type is left alone: readers disagree on its values.
func callDetails(s string) *archive.Call {
	c := &archive.Call{}
	if g := durationRe.FindStringSubmatch(s); g != nil {
		a, _ := strconv.Atoi(g[1])
		b, _ := strconv.Atoi(g[2])
		secs := a*60 + b
		if g[3] != "" {
			c3, _ := strconv.Atoi(g[3])
			secs = a*3600 + b*60 + c3
		}
		c.DurationMS = int64(secs) * 1000
	}
	for _, w := range []string{"未接", "取消", "拒绝", "无应答", "未应答", "Missed", "Canceled", "Declined"} {
		if strings.Contains(s, w) {
			c.Missed = true
		}
	}
	return c
}

// millis turns a source's seconds-or-milliseconds time into Unix ms.
func millis(v int64) int64 {
	if v > 1e11 {
		return v
	}
	return v * 1000
}
