// Package exportbench generates large archives for the export and viewer benchmarks: one
// conversation of N messages (text of varied length, replies, reactions, edits, system notices
// and attachments whose files were left out), written straight through the archive's import API
// so a million messages take seconds, not an importer run.
package exportbench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
)

var words = strings.Fields(`the a to and of in is it you that for on was with he this as at be have but not are they
what we so do if my all me your can just about like out no up one get when there time know she how
go more them would now see who were some well really good think lunch dinner tomorrow tonight photo
passport flight hotel beach train birthday party cake meeting home work kids school weekend coffee
love thanks okay sure maybe later call soon great nice funny amazing yes haha lol 😂 ❤️ 👍 🎉`)

// Options shape the generated conversation.
type Options struct {
	Messages int
	Senders  int       // people in the chat besides "me" (default 4)
	Start    time.Time // first message (default 2019-01-01)
	Seed     uint64
}

// Generate writes one conversation into a in one import and returns its id.
func Generate(ctx context.Context, a *archive.Archive, o Options) (int64, error) {
	if o.Senders <= 0 {
		o.Senders = 4
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2019, 1, 1, 8, 0, 0, 0, time.UTC)
	}
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "exportbench", ImporterVersion: "1", SourcePath: "generated"})
	if err != nil {
		return 0, err
	}
	conv, err := generate(ctx, im, o)
	if err != nil {
		im.Rollback()
		return 0, err
	}
	_, err = im.Commit()
	return conv, err
}

func generate(ctx context.Context, im *archive.Import, o Options) (int64, error) {
	conv, err := im.Conversation(archive.Conversation{Service: "whatsapp", Key: fmt.Sprintf("bench:%d", o.Messages), Title: fmt.Sprintf("Big group (%d messages)", o.Messages), Kind: archive.ConvGroup})
	if err != nil {
		return 0, err
	}
	people := make([]int64, o.Senders+1)
	for i := range people {
		name := fmt.Sprintf("Person %d", i)
		if i == 0 {
			name = "Me"
		}
		if people[i], err = im.Participant(archive.Participant{Service: "whatsapp", Key: fmt.Sprintf("bench:%d", i), Name: name, IsMe: i == 0}); err != nil {
			return 0, err
		}
		if err := im.Member(conv, people[i]); err != nil {
			return 0, err
		}
	}
	r := rand.New(rand.NewPCG(o.Seed, 42))
	// Spread the messages over about five years, a few seconds to hours apart.
	span := 5 * 365 * 24 * time.Hour
	step := span / time.Duration(max(o.Messages, 1))
	at := o.Start
	var b strings.Builder
	for i := 0; i < o.Messages; i++ {
		if i%10000 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		at = at.Add(time.Duration(r.Int64N(int64(2*step))) + time.Second)
		who := r.IntN(len(people))
		m := &archive.Message{ConversationID: conv, UID: fmt.Sprintf("g%09d", i), Time: at, OffsetKnown: true, Offset: 3600,
			SenderID: people[who], FromMe: who == 0, Kind: archive.KindText}
		b.Reset()
		for n := 1 + r.IntN(24); n > 0; n-- {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		m.Text = strings.TrimSpace(b.String())
		switch x := r.IntN(100); {
		case x < 1:
			m.Kind, m.SenderID, m.FromMe = archive.KindSystem, 0, false
			m.Text = fmt.Sprintf("Person %d changed the group description", r.IntN(o.Senders)+1)
		case x < 3:
			m.Kind = archive.KindPhoto
			m.Attachments = []archive.Attachment{{Kind: archive.KindPhoto, FileName: fmt.Sprintf("IMG-%08d-WA%04d.jpg", i, i%10000), MIME: "image/jpeg",
				Details: &archive.Details{Missing: "omitted"}}}
		case x < 8 && i > 0:
			m.ReplyTo = fmt.Sprintf("g%09d", max(0, i-1-r.IntN(30)))
		case x < 9:
			m.Flags |= archive.FlagEdited
		}
		if r.IntN(20) == 0 {
			m.Reactions = []archive.Reaction{{SenderID: people[r.IntN(len(people))], Emoji: "❤️"}}
		}
		if err := im.AddMessage(m); err != nil {
			return 0, err
		}
	}
	return conv, nil
}
