package dump

import (
	"time"

	"github.com/chatvault/chatvault/archive"
)

// Message converts a month file's line back into a message: the one conversion the restore and
// the snapshot viewer share. person gives the id of a participant key ("" is no one: 0), importID
// that of an import key.
func (l *MessageLine) Message(person func(key string) (int64, error), importID func(key string) int64) (*archive.Message, error) {
	sender, err := person(l.Sender)
	if err != nil {
		return nil, err
	}
	m := &archive.Message{UID: l.UID, Time: time.UnixMilli(l.TS).UTC(), OffsetAssumed: l.OffsetAssumed,
		SenderID: sender, FromMe: l.FromMe, Kind: l.Kind, Text: l.Text, Flags: archive.FlagsFromNames(l.Flags), ReplyTo: l.ReplyTo,
		Details: l.Details, SrcPos: l.Src, Raw: l.Raw, ImportID: importID(l.Import), Attachments: l.Attachments, Keys: l.Keys}
	if l.Offset != nil {
		m.OffsetKnown, m.Offset = true, *l.Offset
	}
	for _, r := range l.Reactions {
		id, err := person(r.Sender)
		if err != nil {
			return nil, err
		}
		m.Reactions = append(m.Reactions, archive.Reaction{SenderID: id, Emoji: r.Emoji, Time: fromMilli(r.TS), Count: r.Count})
	}
	for _, r := range l.Revisions {
		m.Revisions = append(m.Revisions, archive.Revision{Time: fromMilli(r.TS), Text: r.Text})
	}
	for _, v := range l.Votes {
		id, err := person(v.Voter)
		if err != nil {
			return nil, err
		}
		m.Votes = append(m.Votes, archive.Vote{VoterID: id, Option: v.Option, Time: fromMilli(v.TS)})
	}
	for _, s := range l.Sources {
		m.Sources = append(m.Sources, archive.MessageSource{ImportID: importID(s.Import), SrcPos: s.Src, Raw: s.Raw})
	}
	return m, nil
}

func fromMilli(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func toMilli(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
