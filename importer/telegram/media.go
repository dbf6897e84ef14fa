package telegram

import (
	"io"
	"mime"
	"path"
	"strings"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/telegram/tgjson"
)

// maxVCard bounds a shared contact's vCard read into the message.
const maxVCard = 64 << 10

// media maps what a message carries besides text: a photo or document (with its file from the
// export folder), a shared contact, a place, a poll.
func (c *converter) media(m *archive.Message, tm *tgjson.Message) error {
	switch {
	case tm.Photo.Present():
		m.Kind = archive.KindPhoto
		a := archive.Attachment{Kind: archive.KindPhoto, MIME: "image/jpeg"}
		c.sizeDetails(&a, tm)
		return c.attach(m, a, tm.Photo)
	case tm.File.Present():
		m.Kind = fileKind(tm.MediaType, tm.MimeType)
		a := archive.Attachment{Kind: m.Kind, MIME: tm.MimeType, FileName: tm.FileName}
		if a.FileName == "" && tm.File.Path != "" {
			a.FileName = path.Base(tm.File.Path)
		}
		c.sizeDetails(&a, tm)
		if tm.DurationSeconds > 0 {
			ad := attDetails(&a)
			ad.DurationMS = tm.DurationSeconds * 1000
		}
		return c.attach(m, a, tm.File)
	case tm.ContactInformation != nil:
		m.Kind = archive.KindContact
		ci := tm.ContactInformation
		card := &archive.ContactCard{Name: fullName(ci.FirstName, ci.LastName)}
		if ci.PhoneNumber != "" {
			card.Phones = []string{ci.PhoneNumber}
		}
		if tm.ContactVCard.Path != "" {
			card.VCard = c.readSmall(tm.ContactVCard.Path, m.SrcPos)
		}
		c.details(m).Contact = card
	case tm.LocationInformation != nil || tm.PlaceName != "" || tm.Address != "":
		m.Kind = archive.KindLocation
		l := &archive.Location{Name: strings.TrimSpace(strings.Join(nonEmpty(tm.PlaceName, tm.Address), ", "))}
		if li := tm.LocationInformation; li != nil {
			l.Lat, l.Lon = archive.Coords(li.Latitude, li.Longitude)
		}
		if tm.LiveLocationPeriodSeconds > 0 {
			m.Kind, l.Live = archive.KindLiveLocation, true
			c.details(m).DurationMS = tm.LiveLocationPeriodSeconds * 1000
		}
		c.details(m).Location = l
	case tm.Poll != nil:
		m.Kind = archive.KindPoll
		p := &archive.Poll{Question: tm.Poll.Question.String()}
		for i, a := range tm.Poll.Answers {
			p.Options = append(p.Options, archive.PollOption{Text: a.Text.String(), Votes: int(a.Voters)})
			if a.Chosen && c.meID != 0 {
				m.Votes = append(m.Votes, archive.Vote{VoterID: c.meID, Option: i})
			}
		}
		if m.Text == "" {
			m.Text = p.Question
		}
		c.details(m).Poll = p
	}
	return nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// fileKind is the message kind of a document by Telegram's media_type.
func fileKind(mediaType, mimeType string) archive.Kind {
	switch mediaType {
	case "sticker":
		return archive.KindSticker
	case "animation":
		return archive.KindGIF
	case "voice_message":
		return archive.KindVoice
	case "video_message", "video_file":
		return archive.KindVideo
	case "audio_file":
		return archive.KindAudio
	}
	return archive.KindDocument
}

func attDetails(a *archive.Attachment) *archive.Details {
	if a.Details == nil {
		a.Details = &archive.Details{}
	}
	return a.Details
}

func (c *converter) sizeDetails(a *archive.Attachment, tm *tgjson.Message) {
	if tm.Width > 0 && tm.Height > 0 {
		d := attDetails(a)
		d.Width, d.Height = int(tm.Width), int(tm.Height)
	}
}

// attach stores the file ref names, or records why it is not there.
func (c *converter) attach(m *archive.Message, a archive.Attachment, ref tgjson.FileRef) error {
	if ref.MissingReason != "" {
		if a.FileName == "" {
			a.FileName = ref.Name
		}
		attDetails(&a).Missing = strings.Trim(ref.MissingReason, "()")
		c.missing++
		m.Attachments = append(m.Attachments, a)
		return nil
	}
	if a.MIME == "" {
		a.MIME = mime.TypeByExtension(path.Ext(ref.Path))
	}
	r, err := c.loc.openMedia(ref.Path)
	if err != nil {
		c.missing++
		attDetails(&a).Missing = "not in the export folder"
		if !isNotExist(err) {
			c.badPaths++
			c.im.WarnAt(c.where, m.SrcPos, "media file not read: %v", err)
		}
		m.Attachments = append(m.Attachments, a)
		return nil
	}
	sha, size, err := c.im.PutMedia(r, a.MIME, c.opts.MaxMediaBytes)
	r.Close()
	if err != nil {
		if c.ctx.Err() != nil {
			return c.ctx.Err()
		}
		c.missing++
		attDetails(&a).Missing = "not stored: " + err.Error()
		c.im.WarnAt(c.where, m.SrcPos, "media file %q not stored: %v", ref.Path, err)
		m.Attachments = append(m.Attachments, a)
		return nil
	}
	a.SHA256, a.Size = sha, size
	m.Attachments = append(m.Attachments, a)
	return nil
}

// readSmall reads a small file of the export (a vCard), "" when it is absent or too large.
func (c *converter) readSmall(p, pos string) string {
	r, err := c.loc.openMedia(p)
	if err != nil {
		if !isNotExist(err) {
			c.im.WarnAt(c.where, pos, "file not read: %v", err)
		}
		return ""
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, maxVCard+1))
	if err != nil || len(b) > maxVCard {
		return ""
	}
	return string(b)
}
