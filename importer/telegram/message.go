package telegram

import (
	"crypto/sha256"
	"encoding/hex"
	"github.com/chatvault/chatvault/importer"
	"strconv"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/telegram/tgjson"
)

// maxOffset is the largest UTC offset a zone has (+14:00): a larger difference between "date"
// and "date_unixtime" means a hand-edited file, not an offset.
const maxOffset = 14 * 3600

func (c *converter) message(tm *tgjson.Message) error {
	if c.convID == 0 {
		return errf(c.where, "offset %d: a message outside a chat", tm.Offset)
	}
	pos := c.pos(tm)
	if tm.Invalid != nil {
		c.im.WarnAt(c.where, pos, "fields not understood, kept in the raw record: %v", tm.Invalid)
	}
	m := &archive.Message{ConversationID: c.convID, SrcPos: pos, Raw: importer.ClipRaw(tm.Raw), Kind: archive.KindText}
	c.setTime(m, tm)
	body := tm.Body()
	m.Text = body.String()
	if ents := entities(body); len(ents) > 0 {
		c.details(m).Entities = ents
	}
	if tm.ReplyToMessageID != 0 && tm.ReplyToPeerID == "" {
		m.ReplyTo = msgUID(tm.ReplyToMessageID)
	}
	var err error
	switch tm.Type {
	case "service":
		err = c.service(m, tm)
	case "message", "":
		err = c.regular(m, tm)
	case "unsupported":
		c.unknown["unsupported message"]++
		m.Kind = archive.KindSystem
		c.details(m).Event = &archive.Event{Type: "unsupported"}
	default:
		c.unknown["message type "+strconv.Quote(tm.Type)]++
		err = c.regular(m, tm)
	}
	if err != nil {
		return err
	}
	m.UID = c.uid(tm, m)
	return c.im.AddMessage(m)
}

// regular maps a message someone sent: sender, forward, edit, media, reactions.
func (c *converter) regular(m *archive.Message, tm *tgjson.Message) error {
	c.inferMe(tm.FromID)
	id, me, err := c.sender(tm.FromID, tm.From)
	if err != nil {
		return err
	}
	m.SenderID, m.FromMe = id, me
	switch {
	case tm.ForwardedFrom.Present:
		m.Flags |= archive.FlagForwarded
		c.details(m).ForwardedFrom = orHidden(tm.ForwardedFrom.Name)
	case tm.SavedFrom.Present:
		m.Flags |= archive.FlagForwarded
		c.details(m).ForwardedFrom = orHidden(tm.SavedFrom.Name)
	}
	if t, ok := c.editTime(tm); ok {
		m.Flags |= archive.FlagEdited
		c.details(m).EditedAt = t.UnixMilli()
	}
	if tm.SelfDestructPeriodSeconds > 0 {
		m.Flags |= archive.FlagViewOnce
	}
	if err := c.media(m, tm); err != nil {
		return err
	}
	return c.reactions(m, tm)
}

func orHidden(name string) string {
	if name == "" {
		return "(hidden or deleted account)"
	}
	return name
}

// setTime takes the UTC instant from date_unixtime and the exporting computer's offset from the
// difference to date (its local wall time); without date_unixtime (exports before 2022) date is
// read in --tz.
func (c *converter) setTime(m *archive.Message, tm *tgjson.Message) {
	wall, wallOK := parseWall(tm.Date)
	if t, ok := tm.DateUnix.Time(); ok {
		m.Time = t
		if wallOK {
			off := int(wall.Sub(t) / time.Second)
			if off >= -maxOffset && off <= maxOffset {
				m.OffsetKnown, m.Offset = true, off
			}
		}
		return
	}
	if wallOK {
		local := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, c.opts.TZ)
		_, off := local.Zone()
		m.Time = local.UTC()
		m.OffsetKnown, m.Offset, m.OffsetAssumed = true, off, true
		c.assumed++
		return
	}
	c.im.WarnAt(c.where, m.SrcPos, "message has no date")
}

// parseWall reads Telegram's "date", a wall time without a zone ("2024-05-01T10:00:00").
func parseWall(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if t, ok := quickWall(s); ok {
		return t, true
	}
	t, err := time.Parse("2006-01-02T15:04:05", s)
	return t, err == nil
}

// quickWall reads a well-formed wall time without time.Parse's general machinery (it ran once
// or twice for every message); anything it is not sure of goes to time.Parse.
func quickWall(s string) (time.Time, bool) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	var v [6]int
	for i, at := range [6]int{0, 5, 8, 11, 14, 17} {
		n := 2
		if i == 0 {
			n = 4
		}
		for _, c := range []byte(s[at : at+n]) {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			v[i] = v[i]*10 + int(c-'0')
		}
	}
	y, mo, d, h, mi, sec := v[0], v[1], v[2], v[3], v[4], v[5]
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC), true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func (c *converter) editTime(tm *tgjson.Message) (time.Time, bool) {
	if t, ok := tm.EditedUnix.Time(); ok {
		return t, true
	}
	if w, ok := parseWall(tm.Edited); ok {
		return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, c.opts.TZ).UTC(), true
	}
	return time.Time{}, false
}

// uid is the message's native id, or for records without one (hand-made files) a content key:
// time, sender and text, with the occurrence among identical ones.
func (c *converter) uid(tm *tgjson.Message, m *archive.Message) string {
	if tm.ID != 0 {
		return msgUID(tm.ID)
	}
	h := sha256.New()
	h.Write([]byte(strconv.FormatInt(m.Time.Unix(), 10) + "\x00" + string(tm.FromID) + "\x00" + tm.From.Name + "\x00" + m.Text))
	base := "tg:c:" + hex.EncodeToString(h.Sum(nil)[:12])
	n := c.occ[base]
	c.occ[base] = n + 1
	return base + ":" + strconv.Itoa(n)
}

func msgUID(id int64) string { return "tg:" + strconv.FormatInt(id, 10) }

// pos is where a message is in the file: "message 12 (offset 3456)", or "offset 3456".
func (c *converter) pos(tm *tgjson.Message) string {
	var buf [64]byte
	b := buf[:0]
	if tm.ID != 0 {
		b = strconv.AppendInt(append(b, "message "...), tm.ID, 10)
		b = append(b, " ("...)
	}
	b = strconv.AppendInt(append(b, "offset "...), tm.Offset, 10)
	if tm.ID != 0 {
		b = append(b, ')')
	}
	return string(b)
}

func (c *converter) details(m *archive.Message) *archive.Details {
	if m.Details == nil {
		m.Details = &archive.Details{}
	}
	return m.Details
}
