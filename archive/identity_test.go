package archive

import (
	"context"
	"testing"
	"time"
)

// importOf runs fn in one import of the given rank and commits it.
func importOf(t *testing.T, a *Archive, rank int, fn func(im *Import)) *Report {
	t.Helper()
	im, err := a.BeginImport(context.Background(), ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "src", Rank: rank})
	if err != nil {
		t.Fatal(err)
	}
	fn(im)
	rep, err := im.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func allMessages(t *testing.T, a *Archive) []Message {
	t.Helper()
	var out []Message
	if err := a.EachMessage(context.Background(), MessageQuery{WithParts: true}, func(m *Message) error {
		out = append(out, *m)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// A chat's text export, then its database: the database's record wins, the export's stays as a
// second provenance and its key still finds the message; nothing is stored twice; importing
// either again adds nothing.
func TestMessageFromTwoSourcesIsOneMessageWithTwoKeys(t *testing.T) {
	a := openTemp(t)
	t0 := time.Date(2024, 3, 5, 10, 11, 0, 0, time.UTC)
	exported := func(im *Import) {
		conv := must[int64](t)(im.Conversation(Conversation{Service: "whatsapp", Key: "export:alice", Title: "Alice"}))
		alice := must[int64](t)(im.Participant(Participant{Service: "whatsapp", Key: "alice", Name: "Alice"}))
		for i, text := range []string{"hello", "ok", "ok", "see  you"} {
			if err := im.AddMessage(&Message{ConversationID: conv, UID: "export-" + text + string(rune('0'+i)), Time: t0, SenderID: alice,
				Text: text, SrcPos: "line 1", Raw: "3/5/24, 10:11 - Alice: " + text}); err != nil {
				t.Fatal(err)
			}
		}
	}
	fromDB := func(im *Import) {
		conv := must[int64](t)(im.Conversation(Conversation{Service: "whatsapp", Key: "jid:49151@s.whatsapp.net", Title: "Alice Liddell",
			Idents: []string{"export:alice"}}))
		alice := must[int64](t)(im.Participant(Participant{Service: "whatsapp", Key: "jid:49151@s.whatsapp.net", Name: "Alice Liddell",
			Idents: []string{"phone:+49151"}}))
		for i, text := range []string{"hello", "ok", "ok", "see you", "new in the database"} {
			if err := im.AddMessage(&Message{ConversationID: conv, UID: "wa:KEY" + string(rune('A'+i)), Time: t0.Add(time.Duration(i*7) * time.Second),
				SenderID: alice, Text: text, SrcPos: "row " + string(rune('1'+i))}); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep := importOf(t, a, RankExport, exported)
	if rep.MessagesAdded != 4 {
		t.Fatalf("export: %+v", rep)
	}
	rep = importOf(t, a, RankDatabase, fromDB)
	if rep.MessagesAdded != 1 || rep.MessagesPresent != 4 || rep.MessagesMerged != 4 {
		t.Fatalf("database after export: added %d present %d merged %d, want 1, 4, 4", rep.MessagesAdded, rep.MessagesPresent, rep.MessagesMerged)
	}
	convs := must[[]ConversationSummary](t)(a.Conversations(context.Background()))
	if len(convs) != 1 || convs[0].Title != "Alice Liddell" {
		t.Fatalf("conversations: %+v", convs)
	}
	msgs := allMessages(t, a)
	if len(msgs) != 5 {
		t.Fatalf("%d messages, want 5", len(msgs))
	}
	for _, m := range msgs[:4] {
		if len(m.UID) < 3 || m.UID[:3] != "wa:" || len(m.Keys) != 1 || len(m.Sources) != 1 {
			t.Errorf("merged message %q: uid %q keys %v sources %+v: want the database's uid, the export's key and provenance", m.Text, m.UID, m.Keys, m.Sources)
		}
	}
	if msgs[3].Text != "see you" {
		t.Errorf("the database's text did not win: %q", msgs[3].Text)
	}
	// Again, both ways: nothing new.
	for _, again := range []struct {
		rank int
		fn   func(*Import)
	}{{RankExport, exported}, {RankDatabase, fromDB}} {
		rep := importOf(t, a, again.rank, again.fn)
		if rep.MessagesAdded != 0 || rep.MessagesPresent != len(allMessages(t, a))-b2i(again.rank == RankExport) {
			t.Errorf("re-import (rank %d) added %d, present %d", again.rank, rep.MessagesAdded, rep.MessagesPresent)
		}
	}
	if n := len(allMessages(t, a)); n != 5 {
		t.Fatalf("after re-imports: %d messages", n)
	}
	found := must[*Message](t)(a.MessageByUID(context.Background(), convs[0].ID, "export-hello0"))
	if found.Text != "hello" {
		t.Errorf("the export's key finds %q", found.Text)
	}
}

// The database first, then the export of the same chat: the export adds nothing.
func TestExportAfterDatabaseAddsNothing(t *testing.T) {
	a := openTemp(t)
	t0 := time.Date(2024, 3, 5, 10, 11, 42, 0, time.UTC)
	importOf(t, a, RankDatabase, func(im *Import) {
		conv := must[int64](t)(im.Conversation(Conversation{Service: "whatsapp", Key: "jid:g1@g.us", Title: "Family", Kind: ConvGroup, Idents: []string{"export:family"}}))
		for i, text := range []string{"dinner?", "yes"} {
			must[struct{}](t)(struct{}{}, im.AddMessage(&Message{ConversationID: conv, UID: "wa:" + text, Time: t0.Add(time.Duration(i) * time.Second), Text: text}))
		}
	})
	rep := importOf(t, a, RankExport, func(im *Import) {
		conv := must[int64](t)(im.Conversation(Conversation{Service: "whatsapp", Key: "export:family", Title: "Family", Kind: ConvDirect}))
		for _, text := range []string{"dinner?", "yes"} {
			must[struct{}](t)(struct{}{}, im.AddMessage(&Message{ConversationID: conv, UID: "c-" + text, Time: t0.Truncate(time.Minute), Text: text}))
		}
	})
	if rep.MessagesAdded != 0 || rep.MessagesPresent != 2 {
		t.Fatalf("export after database: %+v", rep)
	}
	c := must[[]ConversationSummary](t)(a.Conversations(context.Background()))
	if len(c) != 1 || c[0].Kind != ConvGroup {
		t.Fatalf("the export's poorer guess changed the group: %+v", c)
	}
}

// A later, partial export (which cannot tell a group from a direct chat) keeps a group a group.
func TestLaterPartialExportKeepsGroup(t *testing.T) {
	a := openTemp(t)
	for _, kind := range []ConversationKind{ConvGroup, ConvDirect} {
		importOf(t, a, RankExport, func(im *Import) {
			must[int64](t)(im.Conversation(Conversation{Service: "whatsapp", Key: "export:team", Title: "Team", Kind: kind}))
		})
	}
	c := must[Conversation](t)(a.ConversationByID(context.Background(), 1))
	if c.Kind != ConvGroup {
		t.Fatalf("kind %q after a partial export, want group", c.Kind)
	}
}

// A later import adds a reaction, an edit (keeping the earlier text), a deletion (keeping the
// text) and a vote to stored messages; the months they are in are marked for the next dump; the
// same updates again change nothing.
func TestUpdatesToStoredMessages(t *testing.T) {
	a := openTemp(t)
	ctx := context.Background()
	t0 := time.Date(2023, 7, 1, 9, 0, 0, 0, time.UTC)
	var conv int64
	importOf(t, a, RankDatabase, func(im *Import) {
		conv = must[int64](t)(im.Conversation(Conversation{Service: "telegram", Key: "chat1", Title: "Chat"}))
		for _, uid := range []string{"1", "2", "3"} {
			must[struct{}](t)(struct{}{}, im.AddMessage(&Message{ConversationID: conv, UID: uid, Time: t0, Text: "text " + uid}))
		}
	})
	months := must[[]DumpMonth](t)(a.DumpMonths(ctx, conv))
	a.SaveDumpDigests(ctx, []DumpMonth{{ConversationID: conv, Month: months[0].Month, ChangedAt: months[0].ChangedAt, Digest: "d", Size: 1}})
	months = must[[]DumpMonth](t)(a.DumpMonths(ctx, conv))
	if !months[0].Current() {
		t.Fatal("month not current after saving its digest")
	}
	later := func(im *Import) {
		bob := must[int64](t)(im.Participant(Participant{Service: "telegram", Key: "user2", Name: "Bob"}))
		for _, u := range []Update{
			{ConversationID: conv, Key: "1", Reaction: &Reaction{SenderID: bob, Emoji: "👍"}},
			{ConversationID: conv, Key: "1", Reaction: &Reaction{Emoji: "❤", Count: 3}},
			{ConversationID: conv, Key: "2", Edit: &Edit{Time: t0.Add(time.Hour), Text: "text 2, corrected"}},
			{ConversationID: conv, Key: "3", Delete: &Deletion{Time: t0.Add(2 * time.Hour)}},
			{ConversationID: conv, Key: "1", Vote: &Vote{VoterID: bob, Option: 1}},
			{ConversationID: conv, Key: "404", Pos: "message 404", Edit: &Edit{Text: "?"}},
		} {
			if err := im.Update(u); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep := importOf(t, a, RankDatabase, later)
	if rep.MessagesUpdated != 5 || rep.WarningsTotal != 1 || rep.Warnings[0].Pos != "message 404" {
		t.Fatalf("updates: %d updated, warnings %+v", rep.MessagesUpdated, rep.Warnings)
	}
	if months := must[[]DumpMonth](t)(a.DumpMonths(ctx, conv)); months[0].Current() {
		t.Error("the updated month is not marked for the next dump")
	}
	msgs := allMessages(t, a)
	if len(msgs[0].Reactions) != 2 || len(msgs[0].Votes) != 1 {
		t.Errorf("reactions %+v votes %+v", msgs[0].Reactions, msgs[0].Votes)
	}
	if msgs[1].Text != "text 2, corrected" || msgs[1].Flags&FlagEdited == 0 || len(msgs[1].Revisions) != 1 || msgs[1].Revisions[0].Text != "text 2" {
		t.Errorf("edit: %q flags %v revisions %+v", msgs[1].Text, msgs[1].Flags, msgs[1].Revisions)
	}
	if msgs[2].Text != "text 3" || msgs[2].Flags&FlagDeleted == 0 || msgs[2].Details == nil || msgs[2].Details.DeletedAt == 0 {
		t.Errorf("deletion: %q flags %v details %+v", msgs[2].Text, msgs[2].Flags, msgs[2].Details)
	}
	if hits := must[[]Hit](t)(a.Search(ctx, SearchQuery{Text: "corrected"})); len(hits) != 1 {
		t.Errorf("the edited text is not found: %d hits", len(hits))
	}
	if rep := importOf(t, a, RankDatabase, later); rep.MessagesUpdated != 0 {
		t.Errorf("the same updates again changed %d messages", rep.MessagesUpdated)
	}
}
