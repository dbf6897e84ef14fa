package archive

import (
	"fmt"
	"testing"
	"time"
)

// A newer database brings a poll that is already stored with the votes cast since: they are
// added, the month is marked for the next backup, and the same database again adds nothing.
func TestVotesOfStoredPollAreAdded(t *testing.T) {
	a := openTemp(t)
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	var conv int64
	run := func(voters ...string) *Report {
		return importOf(t, a, RankDatabase, func(im *Import) {
			conv = must[int64](t)(im.Conversation(Conversation{Service: "whatsapp", Key: "g", Title: "G", Kind: ConvGroup}))
			m := &Message{ConversationID: conv, UID: "poll", Time: t0, Kind: KindPoll, Text: "Lunch?"}
			for i, v := range voters {
				id := must[int64](t)(im.Participant(Participant{Service: "whatsapp", Key: v, Name: v}))
				m.Votes = append(m.Votes, Vote{VoterID: id, Option: i % 2})
			}
			if err := im.AddMessage(m); err != nil {
				t.Fatal(err)
			}
		})
	}
	votes := func() string {
		msgs := allMessages(t, a)
		return fmt.Sprint(len(msgs), len(msgs[0].Votes))
	}
	run("ana")
	f := &reactionFixture{t: t, a: a}
	f.conv = conv
	f.dumped()
	if rep := run("ana", "bob", "cy"); votes() != "1 3" || rep.MessagesUpdated != 1 || rep.MessagesPresent != 1 || !f.monthChanged() {
		t.Fatalf("newer database: messages and votes %s, %d updated, month changed %v; want 1 3, 1, true", votes(), rep.MessagesUpdated, f.monthChanged())
	}
	f.dumped()
	if rep := run("ana", "bob", "cy"); votes() != "1 3" || rep.MessagesUpdated != 0 || f.monthChanged() {
		t.Fatalf("same database again: %s, %d updated, month changed %v; want 1 3, 0, false", votes(), rep.MessagesUpdated, f.monthChanged())
	}
}
