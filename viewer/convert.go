package viewer

import (
	"strconv"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// people maps a source's participants to how the viewer shows them.
type people map[int64]*Sender

func newPeople(ps map[int64]archive.Participant) people {
	out := make(people, len(ps))
	for id, p := range ps {
		out[id] = senderOf(p)
	}
	return out
}

func senderOf(p archive.Participant) *Sender {
	name := export.CleanName(p.Name)
	if name == "" {
		name = export.CleanName(p.Phone)
	}
	if name == "" {
		name = p.Key
	}
	return &Sender{Name: name, Color: export.SenderColor(p.Service + "/" + p.Key)}
}

// viewMessage converts a message; sender looks participants up.
func viewMessage(m *archive.Message, cursor string, sender func(int64) *Sender) Message {
	v := Message{Cursor: cursor, UID: m.UID, TS: m.Time.UnixMilli(), FromMe: m.FromMe, Kind: m.Kind, Text: m.Text,
		Edited: m.Flags&archive.FlagEdited != 0, Forwarded: m.Flags&archive.FlagForwarded != 0, Details: export.ShownDetails(m.Details)}
	if m.OffsetKnown {
		off := m.Offset
		v.Offset = &off
	}
	if m.SenderID != 0 {
		v.Sender = sender(m.SenderID)
	}
	for _, a := range m.Attachments {
		v.Attachments = append(v.Attachments, viewAttachment(a))
	}
	for _, r := range m.Reactions {
		if r.Emoji == "" {
			continue // a reaction taken back, as a snapshot's dump records it
		}
		who := "someone"
		if r.SenderID == 0 && r.Count > 1 {
			who = strconv.Itoa(r.Count) + " people"
		} else if s := sender(r.SenderID); s != nil {
			who = s.Name
		}
		emoji := export.CleanName(r.Emoji)
		i := 0
		for i < len(v.Reactions) && v.Reactions[i].Emoji != emoji {
			i++
		}
		if i == len(v.Reactions) {
			v.Reactions = append(v.Reactions, Reaction{Emoji: emoji})
		}
		v.Reactions[i].Who = append(v.Reactions[i].Who, who)
		v.Reactions[i].Count += max(r.Count, 1)
	}
	return v
}

func viewAttachment(a archive.Attachment) Attachment {
	_, typ := export.SafeType(a.MIME, a.FileName)
	v := Attachment{Kind: a.Kind, Name: export.CleanName(a.FileName), Type: typ, Size: a.Size, SHA256: a.SHA256}
	switch {
	case a.SHA256 == "" || !archive.ValidSHA256(a.SHA256):
		v.SHA256 = ""
		v.Missing = "not included"
		if a.Details != nil && a.Details.Missing != "" {
			v.Missing = "not included: " + a.Details.Missing
		}
	case a.Kind != archive.KindDocument && a.Kind != archive.KindContact:
		v.Shown = export.Shown(typ)
		if export.ToWAV(a.MIME) { // the media handler converts it
			v.Type, v.Shown = "audio/wav", "audio"
		}
	}
	return v
}

// replyOf describes the message a reply answers.
func replyOf(orig *archive.Message, cursor string, sender func(int64) *Sender) *Reply {
	r := &Reply{UID: orig.UID, Cursor: cursor, Text: export.QuoteText(orig.Text)}
	if orig.SenderID != 0 {
		r.Sender = sender(orig.SenderID)
	}
	if r.Text == "" && len(orig.Attachments) > 0 {
		r.Text = string(orig.Attachments[0].Kind)
		if n := export.CleanName(orig.Attachments[0].FileName); n != "" {
			r.Text += ": " + n
		}
	}
	return r
}
