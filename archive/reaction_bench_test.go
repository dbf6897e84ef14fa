package archive

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkReactionReimport measures what Sole reactions cost a re-import of 5,000 messages that
// each carry one, against additive reactions, which take the old path (with the message: left
// alone when it is already stored; as an update: one INSERT).
//
//	go test ./archive -run XXX -bench ReactionReimport -count 5
func BenchmarkReactionReimport(b *testing.B) {
	const n = 5000
	a := openTemp(b)
	ctx := context.Background()
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	load := func(sole, asUpdates bool) {
		im, err := a.BeginImport(ctx, ImportInfo{Importer: "bench", ImporterVersion: "1", SourcePath: "src", Rank: RankDatabase})
		if err != nil {
			b.Fatal(err)
		}
		conv, err := im.Conversation(Conversation{Service: "whatsapp", Key: "chat", Title: "Chat", Kind: ConvGroup})
		if err != nil {
			b.Fatal(err)
		}
		bob, err := im.Participant(Participant{Service: "whatsapp", Key: "bob", Name: "Bob"})
		if err != nil {
			b.Fatal(err)
		}
		for i := range n {
			at := t0.Add(time.Duration(i) * time.Minute)
			r := Reaction{SenderID: bob, Emoji: "👍", Time: at.Add(time.Second), Sole: sole}
			m := &Message{ConversationID: conv, UID: fmt.Sprintf("m%d", i), Time: at, SenderID: bob, Text: "hello"}
			if !asUpdates {
				m.Reactions = []Reaction{r}
			}
			if err := im.AddMessage(m); err != nil {
				b.Fatal(err)
			}
			if asUpdates {
				if err := im.Update(Update{ConversationID: conv, Key: m.UID, Reaction: &r}); err != nil {
					b.Fatal(err)
				}
			}
		}
		rep, err := im.Commit()
		if err != nil {
			b.Fatal(err)
		}
		if rep.MessagesUpdated != 0 && rep.MessagesAdded == 0 {
			b.Fatalf("a re-import updated %d messages", rep.MessagesUpdated)
		}
	}
	load(true, false)
	for _, c := range []struct {
		name            string
		sole, asUpdates bool
	}{{"with-message/additive", false, false}, {"with-message/sole", true, false}, {"updates/additive", false, true}, {"updates/sole", true, true}} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				load(c.sole, c.asUpdates)
			}
		})
	}
}
