package txt

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// Options say how to write.
type Options struct {
	export.Selection
	// Zone, when set, is the zone every time is written in. Otherwise each message is written in
	// its recorded offset, and messages without one in Fallback (nil: the system's zone).
	Zone     *time.Location
	Fallback *time.Location
	// WithoutMedia writes every attachment as "<Media omitted>", like WhatsApp's "Without media".
	WithoutMedia bool
	// Progress, when set, is told how many messages have been written.
	Progress func(done int64)
}

// Media receives the files a conversation's text refers to. Add is called as the text is written
// and returns the name the text uses for the file (unique within the export).
type Media interface {
	Add(a archive.Attachment) (name string, err error)
}

// Stats count what Write wrote.
type Stats struct {
	Messages  int64 `json:"messages"`
	Attached  int   `json:"attached"`  // attachments written as files
	Omitted   int   `json:"omitted"`   // attachments written as <Media omitted>
	Guarded   int   `json:"guarded"`   // lines that would have read as headers
	Multiples int   `json:"multiples"` // messages with more than one attachment (WhatsApp has one)
}

// Write writes one conversation's selected messages to w. media may be nil with WithoutMedia.
func Write(ctx context.Context, a *archive.Archive, conv archive.Conversation, w io.Writer, media Media, opts Options) (*Stats, error) {
	people, err := a.ParticipantMap(ctx)
	if err != nil {
		return nil, err
	}
	seconds, err := hasSeconds(ctx, a, conv.ID, opts.Selection)
	if err != nil {
		return nil, err
	}
	if opts.Fallback == nil {
		opts.Fallback = time.Local
	}
	cw := &convWriter{w: bufio.NewWriterSize(w, 256<<10), people: people, media: media, opts: opts, seconds: seconds, st: &Stats{}}
	err = a.EachMessage(ctx, opts.Selection.Query(conv.ID), func(m *archive.Message) error {
		if err := cw.message(m); err != nil {
			return err
		}
		if cw.st.Messages%1000 == 0 && opts.Progress != nil {
			opts.Progress(cw.st.Messages)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if opts.Progress != nil {
		opts.Progress(cw.st.Messages)
	}
	return cw.st, cw.w.Flush()
}

// hasSeconds reports whether any selected message has a time that is not on a whole minute.
func hasSeconds(ctx context.Context, a *archive.Archive, convID int64, sel export.Selection) (bool, error) {
	return a.HasSeconds(ctx, convID, sel.Since, sel.Until)
}

type convWriter struct {
	w       *bufio.Writer
	people  map[int64]archive.Participant
	media   Media
	opts    Options
	seconds bool
	st      *Stats
	buf     []byte
}

func (c *convWriter) when(m *archive.Message) time.Time {
	switch {
	case c.opts.Zone != nil:
		return m.Time.In(c.opts.Zone)
	case m.OffsetKnown:
		return m.Time // scanMessage already put it in its recorded offset
	}
	return m.Time.In(c.opts.Fallback)
}

func (c *convWriter) message(m *archive.Message) error {
	body, err := c.body(m)
	if err != nil {
		return err
	}
	b := appendHeader(c.buf[:0], c.when(m), c.seconds)
	if author := c.author(m); author != "" {
		b = append(b, author...)
		b = append(b, ": "...)
	}
	for i, line := range strings.Split(body, "\n") {
		if i > 0 {
			b = append(b, '\n')
			if g := guardLine(line); g != line {
				c.st.Guarded++
				line = g
			}
		}
		b = append(b, line...)
	}
	b = append(b, '\n')
	c.buf = b
	c.st.Messages++
	_, err = c.w.Write(b)
	return err
}

// author is the sender's name as the header shows it, "" for system messages.
func (c *convWriter) author(m *archive.Message) string {
	if m.Kind == archive.KindSystem || m.SenderID == 0 {
		return ""
	}
	p := c.people[m.SenderID]
	name := export.CleanName(p.Name)
	if name == "" {
		name = export.CleanName(p.Phone)
	}
	if name == "" {
		name = "Unknown"
	}
	return name
}

// body is what follows the header: markers WhatsApp writes for media, deletions, locations,
// polls and calls, then the text, with line breaks normalised to "\n".
func (c *convWriter) body(m *archive.Message) (string, error) {
	text := strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\r", "\n")
	var lines []string
	for i, a := range m.Attachments {
		if i == 1 {
			c.st.Multiples++
		}
		line, err := c.attachment(a)
		if err != nil {
			return "", err
		}
		lines = append(lines, line)
	}
	d := m.Details
	switch {
	case m.Kind == archive.KindDeleted && text == "":
		if m.FromMe {
			text = "You deleted this message"
		} else {
			text = "This message was deleted"
		}
	case (m.Kind == archive.KindLocation || m.Kind == archive.KindLiveLocation) && text == "" && d != nil && d.Location != nil:
		text = locationLine(d.Location)
	case m.Kind == archive.KindPoll && text == "" && d != nil && d.Poll != nil:
		text = pollText(d.Poll)
	case m.Kind == archive.KindCall && text == "":
		text = callText(d)
	case m.Flags&archive.FlagViewOnce != 0 && text == "" && len(lines) == 0:
		text = "null"
	}
	if text != "" {
		lines = append(lines, text)
	}
	body := strings.Join(lines, "\n")
	if m.Flags&archive.FlagEdited != 0 && m.Kind != archive.KindSystem {
		body += " <This message was edited>"
	}
	return body, nil
}

// attachment is the line that stands for an attachment, in the wording WhatsApp uses:
//
//	NAME (file attached)           the file is in the export (or was named but missing)
//	<Media omitted>                left out, kind unknown (Android)
//	<Media omitted>\nNAME.pdf      a left-out document with its name (Android)
//	image omitted                  left out, kind known (iOS wording, which keeps the kind)
//	NAME ‎video omitted             left out, name and kind known (iOS)
func (c *convWriter) attachment(a archive.Attachment) (string, error) {
	omitted := a.Details != nil && a.Details.Missing == "omitted"
	name := strings.Join(strings.Fields(export.CleanName(a.FileName)), " ")
	switch {
	case a.SHA256 != "" && !c.opts.WithoutMedia && c.media != nil:
		stored, err := c.media.Add(a)
		if err != nil {
			return "", err
		}
		c.st.Attached++
		return stored + " (file attached)", nil
	case a.SHA256 == "" && !omitted && name != "":
		// Named by the source but not in it: name it again, as the source did.
		c.st.Omitted++
		return name + " (file attached)", nil
	}
	c.st.Omitted++
	wording := omittedWording[a.Kind]
	switch {
	case name != "" && a.Kind == archive.KindDocument:
		return "<Media omitted>\n" + name, nil
	case name != "" && wording != "":
		return name + " " + lrm + wording, nil
	case wording != "" && a.Kind != archive.KindDocument:
		return lrm + wording, nil
	}
	return "<Media omitted>", nil
}

// omittedWording is what iOS writes for left-out media of each kind.
var omittedWording = map[archive.Kind]string{
	archive.KindPhoto: "image omitted", archive.KindVideo: "video omitted", archive.KindAudio: "audio omitted",
	archive.KindVoice: "audio omitted", archive.KindSticker: "sticker omitted", archive.KindGIF: "GIF omitted",
	archive.KindContact: "Contact card omitted", archive.KindDocument: "document omitted",
}

func locationLine(l *archive.Location) string {
	if l.Live {
		return "live location shared"
	}
	u := export.SafeURL(l.URL)
	if lat, lon, ok := l.LatLon(); ok && u == "" {
		u = fmt.Sprintf("https://maps.google.com/?q=%.6f,%.6f", lat, lon)
	}
	if u == "" {
		return "location shared" // nothing to link to: no line a reader would take for a place
	}
	// A named place reads as WhatsApp writes one on iOS, "Name: link", and imports back named.
	if name := export.CleanName(l.Name); name != "" && !strings.ContainsAny(name, "\r\n") {
		return name + ": " + u
	}
	return "location: " + u
}

func pollText(p *archive.Poll) string {
	var b strings.Builder
	b.WriteString("POLL:\n")
	b.WriteString(p.Question)
	for _, o := range p.Options {
		fmt.Fprintf(&b, "\nOPTION: %s (%d vote", o.Text, o.Votes)
		if o.Votes != 1 {
			b.WriteByte('s')
		}
		b.WriteByte(')')
	}
	return b.String()
}

func callText(d *archive.Details) string {
	video := d != nil && d.Call != nil && d.Call.Video
	if video {
		return "Missed video call"
	}
	return "Missed voice call"
}
