package archive

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

// chatOf imports one chat of named authors: who[i] writes the i-th message, a day apart from
// start. Members are the authors.
func chatOf(t *testing.T, a *Archive, title string, start time.Time, who ...string) *Report {
	t.Helper()
	return importOf(t, a, RankExport, func(im *Import) {
		conv := must[int64](t)(im.Conversation(Conversation{Service: "whatsapp", Key: "export:" + title, Title: title}))
		for i, name := range who {
			p := must[int64](t)(im.Participant(Participant{Service: "whatsapp", Key: "name:" + name, Name: name}))
			if err := im.Member(conv, p); err != nil {
				t.Fatal(err)
			}
			if err := im.AddMessage(&Message{ConversationID: conv, UID: title + string(rune('a'+i)), Time: start.AddDate(0, 0, i),
				SenderID: p, Kind: KindText, Text: "hi"}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func meChat(t *testing.T, a *Archive, title string) MeChat {
	t.Helper()
	for _, c := range must[[]MeChat](t)(a.MeChats(context.Background())) {
		if c.Title == title {
			return c
		}
	}
	t.Fatalf("no chat %q", title)
	return MeChat{}
}

// The import report names a chat whose user is unknown with the names seen; a chat named after
// one of its two people suggests the other.
func TestReportSaysMeUnknown(t *testing.T) {
	a := openTemp(t)
	rep := chatOf(t, a, "Ann", time.Date(2024, 1, 30, 9, 0, 0, 0, time.UTC), "Ann Lee", "Ben", "Ann Lee")
	want := []MeUnknown{{Conversation: "Ann", Names: []string{"Ann Lee", "Ben"}, Guess: &MeGuess{Name: "Ben", Why: "the chat is named after Ann Lee"}}}
	if !reflect.DeepEqual(rep.MeUnknown, want) {
		t.Errorf("report says %+v, want %+v", rep.MeUnknown, want)
	}
}

// With several two-person chats, the one person in all of them is the guess everywhere, even
// in a chat whose title names nobody.
func TestGuessIsTheOneInEveryTwoPersonChat(t *testing.T) {
	a := openTemp(t)
	t0 := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	chatOf(t, a, "Friends", t0, "Cy", "Me Myself")
	rep := chatOf(t, a, "Work", t0, "Me Myself", "Dee")
	if len(rep.MeUnknown) != 1 || rep.MeUnknown[0].Guess == nil || rep.MeUnknown[0].Guess.Name != "Me Myself" {
		t.Errorf("report says %+v, want the guess Me Myself", rep.MeUnknown)
	}
	if g := meChat(t, a, "Friends").Guess; g == nil || g.Name != "Me Myself" {
		t.Errorf("Friends: guess %+v", g)
	}
	// A third two-person chat without them: nobody is in all, no guess.
	chatOf(t, a, "Others", t0, "Cy", "Dee")
	if g := meChat(t, a, "Work").Guess; g != nil {
		t.Errorf("Work: guess %+v with nobody in every two-person chat", g)
	}
}

// SetMe marks the author's messages as the user's, moves only the months it changed forward,
// makes the next import's guess "you are … in other chats", and leaves alone a chat where
// someone else is the user.
func TestSetMe(t *testing.T) {
	a := openTemp(t)
	ctx := context.Background()
	// Jan 30: Ann, Jan 31: Ben, Feb 1: Ann, Feb 2: Ann, ... Ben writes in January only.
	chatOf(t, a, "Ann", time.Date(2024, 1, 30, 9, 0, 0, 0, time.UTC), "Ann", "Ben", "Ann", "Ann")
	conv := meChat(t, a, "Ann").ConversationID
	before := must[[]DumpMonth](t)(a.DumpMonths(ctx, conv))
	if len(before) != 2 {
		t.Fatalf("months %+v", before)
	}

	var unknown *UnknownAuthorError
	if _, err := a.SetMe(ctx, "Zed", nil); !errors.As(err, &unknown) || !reflect.DeepEqual(unknown.Seen, []string{"Ann", "Ben"}) {
		t.Fatalf("SetMe of a stranger: %v", err)
	}
	res := must[*SetMeResult](t)(a.SetMe(ctx, "ben", nil))
	if !reflect.DeepEqual(res.Marked, []MarkedChat{{Conversation: "Ann", Messages: 1}}) || res.Name != "Ben" {
		t.Errorf("SetMe: %+v", res)
	}
	if n := must[int64](t)(a.MeMarks(ctx)); n != 1 {
		t.Errorf("MeMarks %d after one SetMe, want 1 (readers' caches must notice)", n)
	}
	if c := meChat(t, a, "Ann"); !c.MeKnown || c.Me != "Ben" || c.Guess != nil {
		t.Errorf("after SetMe: %+v", c)
	}
	after := must[[]DumpMonth](t)(a.DumpMonths(ctx, conv))
	if after[0].ChangedAt <= before[0].ChangedAt || after[1].ChangedAt != before[1].ChangedAt {
		t.Errorf("changed_at %d→%d (Jan, Ben's), %d→%d (Feb, untouched)", before[0].ChangedAt, after[0].ChangedAt, before[1].ChangedAt, after[1].ChangedAt)
	}
	for _, m := range allMessages(t, a) {
		if m.FromMe != (m.UID == "Annb") {
			t.Errorf("%s from_me=%v", m.UID, m.FromMe)
		}
	}
	// Again: nothing to do. Another author in the same chat: left alone, named.
	if res := must[*SetMeResult](t)(a.SetMe(ctx, "Ben", nil)); len(res.Marked) != 0 || !reflect.DeepEqual(res.Already, []string{"Ann"}) {
		t.Errorf("SetMe again: %+v", res)
	}
	if res := must[*SetMeResult](t)(a.SetMe(ctx, "Ann", nil)); len(res.Marked) != 0 || !reflect.DeepEqual(res.Conflict, []MeConflicted{{"Ann", "Ben"}}) {
		t.Errorf("SetMe of the other: %+v", res)
	}
	// A new chat with Ben in a group: the report guesses Ben, who is the user elsewhere.
	rep := chatOf(t, a, "Club", time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), "Cy", "Ben", "Dee")
	if len(rep.MeUnknown) != 1 || rep.MeUnknown[0].Guess == nil || *rep.MeUnknown[0].Guess != (MeGuess{Name: "Ben", Why: "you are Ben in other chats"}) {
		t.Errorf("report after SetMe: %+v", rep.MeUnknown)
	}
	// --chat limits it: Ben only in Club.
	club := meChat(t, a, "Club").ConversationID
	if res := must[*SetMeResult](t)(a.SetMe(ctx, "Ben", []int64{club})); !reflect.DeepEqual(res.Marked, []MarkedChat{{"Club", 1}}) || len(res.Already) != 0 {
		t.Errorf("SetMe in Club: %+v", res)
	}
}

// Whether a chat's user is known comes from what the import wrote for a chat it created and from
// the table for one it did not; both answers agree with the table.
func TestMeKnownInNewAndOldChats(t *testing.T) {
	a := openTemp(t)
	t0 := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	add := func(title string, day int, fromMe bool, mark bool) *Report {
		return importOf(t, a, RankExport, func(im *Import) {
			conv := must[int64](t)(im.Conversation(Conversation{Service: "whatsapp", Key: "export:" + title, Title: title}))
			for i, name := range []string{"Ann", "Ben"} {
				p := must[int64](t)(im.Participant(Participant{Service: "whatsapp", Key: "name:" + name, Name: name}))
				if err := im.Member(conv, p); err != nil {
					t.Fatal(err)
				}
				m := &Message{ConversationID: conv, UID: title + name + time.Duration(day).String(), Time: t0.AddDate(0, 0, day*2+i),
					SenderID: p, FromMe: fromMe && name == "Ben", Kind: KindText, Text: "hi"}
				if err := im.AddMessage(m); err != nil {
					t.Fatal(err)
				}
				if mark && name == "Ben" {
					if err := im.MarkFromMe(conv, p); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
	unknown := func(rep *Report) []string {
		var out []string
		for _, u := range rep.MeUnknown {
			out = append(out, u.Conversation)
		}
		return out
	}
	if got := unknown(add("sent", 0, true, false)); got != nil {
		t.Errorf("a new chat with a message the user sent: report says the user is unknown in %v", got)
	}
	if got := unknown(add("marked", 0, false, true)); got != nil {
		t.Errorf("a new chat whose user was marked: report says unknown in %v", got)
	}
	if got := unknown(add("silent", 0, false, false)); !reflect.DeepEqual(got, []string{"silent"}) {
		t.Errorf("a new chat without the user: report says unknown in %v, want [silent]", got)
	}
	// Later imports into the same chats: "sent" keeps its earlier message from the user, "silent"
	// gets its first.
	if got := unknown(add("sent", 1, false, false)); got != nil {
		t.Errorf("an old chat with an earlier message from the user: report says unknown in %v", got)
	}
	if got := unknown(add("silent", 1, true, false)); got != nil {
		t.Errorf("an old chat that now has a message from the user: report says unknown in %v", got)
	}
}
