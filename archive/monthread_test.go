package archive

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// EachMonthMessage reads a month in one statement and merges the parts as they stream; it must
// give exactly what the paged reader with parts gives: the same messages, in the same order,
// each with the same attachments, reactions, keys, revisions, votes and sources in the same order.
// The month holds more messages than a page, ties on time, and parts on messages far apart.
func TestEachMonthMessageMatchesPagedRead(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var conv, other int64
	importOf(t, a, RankExport, func(im *Import) {
		conv = must[int64](t)(im.Conversation(Conversation{Service: "telegram", Key: "tg:1", Title: "Chat"}))
		other = must[int64](t)(im.Conversation(Conversation{Service: "telegram", Key: "tg:2", Title: "Other"}))
		ana := must[int64](t)(im.Participant(Participant{Service: "telegram", Key: "ana", Name: "Ana"}))
		ben := must[int64](t)(im.Participant(Participant{Service: "telegram", Key: "ben", Name: "Ben"}))
		for i := 0; i < 1300; i++ {
			m := Message{ConversationID: conv, UID: fmt.Sprintf("tg:%d", i), Time: jan.Add(time.Duration(i/3) * time.Hour), SenderID: ana,
				Kind: KindText, Text: fmt.Sprintf("message %d", i), Raw: "raw", SrcPos: fmt.Sprintf("row %d", i)}
			if i%7 == 0 {
				m.Kind = KindPhoto
				m.Attachments = []Attachment{{Kind: KindPhoto, FileName: fmt.Sprintf("a%d.jpg", i), Size: int64(i)},
					{Kind: KindDocument, FileName: "b.pdf", Details: &Details{Missing: "omitted"}}}
			}
			if i%11 == 0 {
				m.Reactions = []Reaction{{SenderID: ben, Emoji: "👍", Time: jan.Add(time.Duration(i) * time.Hour)}, {SenderID: ana, Emoji: "❤️", Time: jan.Add(time.Duration(i+1) * time.Hour)}, {Emoji: "🔥", Count: 3}}
			}
			if i%13 == 0 {
				m.OffsetKnown, m.Offset = true, 3600
			}
			if err := im.AddMessage(&m); err != nil {
				t.Fatal(err)
			}
			// The same times in another conversation must not leak into this one's parts.
			if i%5 == 0 {
				m.ConversationID, m.UID = other, fmt.Sprintf("o:%d", i)
				if err := im.AddMessage(&m); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
	importOf(t, a, RankDatabase, func(im *Import) {
		ben := must[int64](t)(im.Participant(Participant{Service: "telegram", Key: "ben", Name: "Ben"}))
		for _, i := range []int{3, 600, 1299} {
			key := fmt.Sprintf("tg:%d", i)
			im.Update(Update{ConversationID: conv, Key: key, Edit: &Edit{Time: jan.AddDate(0, 2, 0), Text: "edited"}})
			im.Update(Update{ConversationID: conv, Key: key, Vote: &Vote{VoterID: ben, Option: 1}})
			im.Update(Update{ConversationID: conv, Key: key, Reaction: &Reaction{SenderID: ben, Emoji: "😮"}})
		}
	})

	var paged []Message
	if err := a.EachMessage(ctx, MessageQuery{ConversationID: conv, WithParts: true}, func(m *Message) error {
		paged = append(paged, *m)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var merged []Message
	for _, month := range []string{"2023-12", "2024-01", "2024-02", "2024-03"} {
		if err := a.EachMonthMessage(ctx, conv, month, func(m *Message) error {
			merged = append(merged, *m)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if len(paged) != 1300 || len(merged) != len(paged) {
		t.Fatalf("%d messages by month, %d paged", len(merged), len(paged))
	}
	parts := 0
	for i := range paged {
		if !reflect.DeepEqual(paged[i], merged[i]) {
			t.Fatalf("message %d differs:\npaged  %+v\nmonthly %+v", i, paged[i], merged[i])
		}
		parts += len(paged[i].Attachments) + len(paged[i].Reactions) + len(paged[i].Revisions) + len(paged[i].Votes)
	}
	if parts < 2*186+3*119+3*3 {
		t.Fatalf("only %d parts: the test archive lacks what it should compare", parts)
	}
}
