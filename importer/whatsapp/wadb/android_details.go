package wadb

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chatvault/chatvault/archive"
)

// kindDetails fills what a message's kind carries: its file, place, card, poll, call or event.
func (r *androidReader) kindDetails(row *row, f *fields, m *archive.Message, d *archive.Details) error {
	sk := r.sk
	switch m.Kind {
	case archive.KindPhoto, archive.KindVideo, archive.KindAudio, archive.KindVoice, archive.KindDocument,
		archive.KindSticker, archive.KindGIF:
		ad := &archive.Details{DurationMS: d.DurationMS, Width: int(f.width), Height: int(f.height), Pages: int(f.pages)}
		if ad.IsEmpty() {
			ad = nil
		}
		att, err := sk.attachment(m.Kind, f.filePath, f.mime, f.size, ad)
		if err != nil {
			return err
		}
		if att.FileName == "" && f.name != "" {
			att.FileName = f.name
		}
		m.Attachments = []archive.Attachment{att}
		if m.Kind == archive.KindDocument && f.caption == "" && m.Text == f.name {
			m.Text = "" // documents carry their file name in the text column too
		}
	case archive.KindLocation, archive.KindLiveLocation:
		loc := &archive.Location{Name: row.str("ml_place_name"), URL: row.str("ml_url"), Live: m.Kind == archive.KindLiveLocation}
		if !row.null("ml_latitude") {
			loc.Lat, loc.Lon = archive.Coords(row.float("ml_latitude"), row.float("ml_longitude"))
		} else if r.gen == genLegacy {
			loc.Lat, loc.Lon = archive.Coords(row.float("m_latitude"), row.float("m_longitude"))
			if loc.Name == "" {
				loc.Name = f.name
			}
		}
		if a := row.str("ml_place_address"); a != "" {
			loc.Name = strings.TrimSpace(loc.Name + ", " + a)
			loc.Name = strings.TrimPrefix(loc.Name, ", ")
		}
		d.Location = loc
		if m.Text == f.name {
			m.Text = f.caption
		}
	case archive.KindContact:
		cards := r.vcards[f.id]
		if len(cards) == 0 && r.gen == genLegacy && strings.Contains(f.text, "BEGIN:VCARD") {
			cards = []string{f.text}
		}
		if len(cards) > 0 {
			d.Contact = parseVCard(strings.Join(cards, "\n"))
			if len(cards) == 1 && m.Text == cards[0] {
				m.Text = ""
			}
		} else if f.name != "" {
			d.Contact = &archive.ContactCard{Name: f.name}
		}
	case archive.KindPoll:
		p := &archive.Poll{Question: m.Text}
		for _, o := range r.pollOptions[f.id] {
			p.Options = append(p.Options, archive.PollOption{Text: o.text, Votes: o.votes})
		}
		d.Poll = p
	case archive.KindCall:
		c := &archive.Call{}
		if !row.null("cl_duration") {
			c.Video = row.int("cl_video_call") != 0
			c.DurationMS = row.int("cl_duration") * 1000
			res := row.int("cl_call_result")
			c.Missed = c.DurationMS == 0 && res != 5
		} else {
			c.Video = row.int("mc_video_call") != 0 || strings.EqualFold(f.caption, "video")
			c.DurationMS = f.durS * 1000
			c.Missed = f.code == 10 || c.DurationMS == 0
		}
		d.Call = c
		if r.gen == genLegacy {
			m.Text = ""
		}
	case archive.KindSystem:
		if f.hasAction {
			ev := &archive.Event{Type: systemEvent(f.action)}
			if !f.fromMe && f.senderJID != "" {
				ev.Actor = bareJID(f.senderJID)
			} else if f.fromMe {
				ev.Actor = "me"
			}
			ev.Targets = r.targets[f.id]
			d.Event = ev
			if old := row.str("mv_old_data"); old != "" && m.Text == "" {
				m.Text = old
			}
		} else if f.code != 7 {
			d.Event = &archive.Event{Type: "message_type_" + itoa(f.code)}
		}
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// mediaDataPath digs the file path out of a legacy thumb_image: a Java-serialized
// com.whatsapp.MediaData whose java.io.File holds the path as a serialized string (TC_STRING
// 0x74, two length bytes, modified UTF-8), e.g. "Media/WhatsApp Images/Sent/IMG-….jpg" (§4.1).
func mediaDataPath(v any) string {
	var b []byte
	switch x := v.(type) {
	case []byte:
		b = x
	case string:
		b = []byte(x)
	default:
		return ""
	}
	if len(b) > 1<<20 {
		b = b[:1<<20]
	}
	for i := 0; i+3 <= len(b); i++ {
		j := bytes.IndexByte(b[i:], 0x74)
		if j < 0 {
			return ""
		}
		i += j
		if i+3 > len(b) {
			return ""
		}
		n := int(binary.BigEndian.Uint16(b[i+1 : i+3]))
		if n < 6 || i+3+n > len(b) {
			continue
		}
		s := b[i+3 : i+3+n]
		if utf8.Valid(s) && (bytes.Contains(s, []byte("Media/")) || bytes.HasPrefix(s, []byte("/"))) && !bytes.ContainsAny(s, "\x00\n") {
			if bytes.Contains(s, []byte("Media/")) {
				return string(s)
			}
		}
	}
	return ""
}
