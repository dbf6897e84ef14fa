package whatsapp

import (
	"fmt"
	"mime"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
)

// converter maps parsed records onto archive messages.
type converter struct {
	im      *archive.Import
	opts    importer.Options
	e       *export
	where   string
	convID  int64
	keys    keyCounter
	people  map[string]int64 // participant key -> id
	authors map[string]int64 // author as written -> id: saves normalising the same name per message
	names   map[string]string
	knownMe map[string]bool
	meKey   string
	group   bool // seen a group event or more than two authors
	notHere int  // attachments naming a file the export does not contain
}

// add stores one record; media is the file it names, already being copied (nil when none).
func (c *converter) add(rec *wachat.Record, media *archive.PendingMedia) error {
	m := &archive.Message{
		ConversationID: c.convID,
		UID:            c.keys.uid(rec),
		Text:           rec.Text,
		Raw:            rec.Raw,
		SrcPos:         linePos(rec),
		Kind:           archive.KindText,
	}
	m.Time = wallToTime(rec.Time, c.opts.TZ)
	_, off := m.Time.Zone()
	m.OffsetKnown, m.Offset, m.OffsetAssumed = true, off, true
	if rec.Edited {
		m.Flags |= archive.FlagEdited
	}
	for _, p := range rec.Problems {
		c.im.Warn(c.where, rec.Line, "%s", p)
	}
	if rec.Kind != wachat.KindSystem && rec.Author != "" {
		id, err := c.participant(rec.Author)
		if err != nil {
			return err
		}
		m.SenderID = id
	}
	if err := c.classify(rec, m, media); err != nil {
		return err
	}
	return c.im.AddMessage(m)
}

func linePos(rec *wachat.Record) string {
	if rec.EndLine > rec.Line {
		return "lines " + strconv.Itoa(rec.Line) + "-" + strconv.Itoa(rec.EndLine)
	}
	return "line " + strconv.Itoa(rec.Line)
}

func wallToTime(w wachat.Wall, loc *time.Location) time.Time {
	return time.Date(w.Year, time.Month(w.Month), w.Day, w.Hour, w.Minute, w.Second, 0, loc)
}

// classify sets the kind and details from what the parser recognised.
func (c *converter) classify(rec *wachat.Record, m *archive.Message, media *archive.PendingMedia) error {
	switch rec.Kind {
	case wachat.KindSystem:
		m.Kind = archive.KindSystem
		m.Details = &archive.Details{Event: &archive.Event{Type: rec.Event, Actor: rec.HeaderName}}
		if isGroupEvent(rec.Event) {
			c.group = true
		}
	case wachat.KindDeleted:
		m.Kind = archive.KindDeleted
	case wachat.KindLocation, wachat.KindLiveLocation:
		m.Kind = archive.KindLocation
		if rec.Kind == wachat.KindLiveLocation {
			m.Kind = archive.KindLiveLocation
		}
		if l := rec.Location; l != nil {
			m.Details = &archive.Details{Location: &archive.Location{URL: l.URL, Name: l.Name, Live: l.Live}}
			if l.HasLatLon {
				m.Details.Location.Lat, m.Details.Location.Lon = archive.Coords(l.Lat, l.Lon)
			}
		}
	case wachat.KindViewOnce:
		m.Flags |= archive.FlagViewOnce
	case wachat.KindPoll:
		m.Kind = archive.KindPoll
	case wachat.KindCall:
		m.Kind = archive.KindCall
		m.Details = &archive.Details{Event: &archive.Event{Type: rec.Event, Actor: rec.HeaderName}}
	}
	if rec.Attachment != nil {
		att, err := c.attachment(rec, media)
		if err != nil {
			return err
		}
		m.Attachments = []archive.Attachment{att}
		if m.Kind == archive.KindText {
			m.Kind = att.Kind
		}
	}
	return nil
}

func isGroupEvent(ev string) bool {
	switch ev {
	case "group_created", "member_added", "member_left", "member_removed", "subject_changed", "icon_changed",
		"description_changed", "joined_via_link", "settings_changed", "admin_changed":
		return true
	}
	return false
}

func (c *converter) attachment(rec *wachat.Record, media *archive.PendingMedia) (archive.Attachment, error) {
	a := rec.Attachment
	att := archive.Attachment{Kind: attachmentKind(a), FileName: a.FileName}
	if a.Pages > 0 {
		att.Details = &archive.Details{Pages: a.Pages}
	}
	if a.FileName != "" {
		att.MIME = mimeType(a.FileName)
	}
	if a.Omitted || a.FileName == "" {
		att.Details = withMissing(att.Details, "omitted")
		return att, nil
	}
	if media == nil {
		c.notHere++
		att.Details = withMissing(att.Details, "not in export")
		return att, nil
	}
	sha, size, err := c.im.AddMedia(media, att.MIME)
	if err != nil {
		return att, importer.Bad(c.e.path, "media file %s: %v", a.FileName, err)
	}
	att.SHA256, att.Size = sha, size
	return att, nil
}

// mediaFile is the export's file a record's attachment names, if the export has it.
func (c *converter) mediaFile(rec *wachat.Record) (mediaFile, bool) {
	a := rec.Attachment
	if a == nil || a.Omitted || a.FileName == "" {
		return mediaFile{}, false
	}
	f, ok := c.e.mediaFile(path.Base(a.FileName))
	return f, ok
}

func withMissing(d *archive.Details, why string) *archive.Details {
	if d == nil {
		d = &archive.Details{}
	}
	d.Missing = why
	return d
}

func attachmentKind(a *wachat.Attachment) archive.Kind {
	switch a.Kind {
	case "photo":
		return archive.KindPhoto
	case "video":
		return archive.KindVideo
	case "audio":
		return archive.KindAudio
	case "voice":
		return archive.KindVoice
	case "sticker":
		return archive.KindSticker
	case "gif":
		return archive.KindGIF
	case "contact":
		return archive.KindContact
	case "document":
		return archive.KindDocument
	}
	// Android's "<Media omitted>" does not say what was left out: a photo, a video, a document.
	// Absent is absent: not called a document.
	return archive.KindMedia
}

func mimeType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".opus":
		return "audio/ogg"
	case ".webp":
		return "image/webp"
	case ".vcf":
		return "text/vcard"
	}
	t := mime.TypeByExtension(ext)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return t
}

// participant returns the id of an author, creating the participant on first sight.
func (c *converter) participant(author string) (int64, error) {
	if id, ok := c.authors[author]; ok {
		return id, nil
	}
	if c.authors == nil || len(c.authors) >= authorCacheSize {
		c.authors = map[string]int64{}
	}
	key, phone := participantKey(author)
	if id, ok := c.people[key]; ok {
		c.authors[author] = id
		return id, nil
	}
	name := strings.TrimSpace(author)
	id, err := c.im.Participant(archive.Participant{Service: Service, Key: key, Name: name, Phone: phone, IsMe: key == c.meKey})
	if err != nil {
		return 0, err
	}
	if err := c.im.Member(c.convID, id); err != nil {
		return 0, err
	}
	c.people[key] = id
	c.authors[author] = id
	if c.names == nil {
		c.names = map[string]string{}
	}
	c.names[key] = name
	if len(c.people) > 2 {
		c.group = true
	}
	return id, nil
}

// finish settles what needs the whole file: group or 1:1, and which author is the user.
func (c *converter) finish(conv archive.Conversation) error {
	if c.group {
		conv.Kind = archive.ConvGroup
		if _, err := c.im.Conversation(conv); err != nil {
			return err
		}
	}
	if c.notHere > 0 {
		c.im.Note(plural(c.notHere, "attachment names a file", "attachments name files") + " that this export does not include (import the .zip or the folder with media to keep them)")
	}
	if unused := c.e.unused(); len(unused) > 0 {
		c.im.Note(fmt.Sprintf("no message names %s, not imported: %s", plural(len(unused), "file of this export", "files of this export"), listSome(unused, 10)))
	}
	meKey := c.meKey
	if meKey == "" {
		for k := range c.people {
			if c.knownMe[k] {
				meKey = k
			}
		}
	}
	if meKey == "" && !c.group && len(c.people) == 2 && namedInFileName(c.e.chatName+" "+c.e.path) {
		// A 1:1 export is named after the other person: the other author is the user.
		other, _ := participantKey(conv.Title)
		if _, ok := c.people[other]; ok {
			for k := range c.people {
				if k != other {
					meKey = k
				}
			}
		}
	}
	if c.opts.Me != "" {
		if _, ok := c.people[meKey]; !ok {
			c.im.Note("--me " + c.opts.Me + " names nobody who wrote in this chat")
		}
	}
	id, ok := c.people[meKey]
	if !ok {
		return nil
	}
	if _, err := c.im.Participant(archive.Participant{Service: Service, Key: meKey, Name: c.names[meKey], IsMe: true}); err != nil {
		return err
	}
	if c.opts.Me == "" && !c.knownMe[meKey] {
		c.im.Note("you are " + c.names[meKey] + " in this chat (the export is named after the other person); --me overrides")
	}
	return c.im.MarkFromMe(c.convID, id)
}

// listSome joins the first max names, and says how many more there are.
func listSome(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
