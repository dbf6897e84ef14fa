package archive

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// reactionFixture is one conversation whose message "m1" a series of imports react to, the way a
// WhatsApp or iMessage database does: with the message (AddMessage) or as an update.
type reactionFixture struct {
	t    *testing.T
	a    *Archive
	conv int64
	bob  int64
	t0   time.Time
}

func newReactionFixture(t *testing.T) *reactionFixture {
	f := &reactionFixture{t: t, a: openTemp(t), t0: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	f.run(false)
	return f
}

// run imports the message (again) with rs, or sends rs as updates.
func (f *reactionFixture) run(asUpdates bool, rs ...Reaction) *Report {
	f.t.Helper()
	return importOf(f.t, f.a, RankDatabase, func(im *Import) {
		f.conv = must[int64](f.t)(im.Conversation(Conversation{Service: "whatsapp", Key: "chat", Title: "Chat", Kind: ConvGroup}))
		f.bob = must[int64](f.t)(im.Participant(Participant{Service: "whatsapp", Key: "bob", Name: "Bob"}))
		m := &Message{ConversationID: f.conv, UID: "m1", Time: f.t0, SenderID: f.bob, Text: "hello"}
		if !asUpdates {
			m.Reactions = rs
		}
		if err := im.AddMessage(m); err != nil {
			f.t.Fatal(err)
		}
		for i := range rs {
			if !asUpdates {
				break
			}
			if err := im.Update(Update{ConversationID: f.conv, Key: "m1", Reaction: &rs[i]}); err != nil {
				f.t.Fatal(err)
			}
		}
	})
}

// sole is Bob's reaction at minute min after t0 (min < 0: time unknown); emoji "" takes it back.
func (f *reactionFixture) sole(emoji string, min int) Reaction {
	r := Reaction{SenderID: f.bob, Emoji: emoji, Sole: true}
	if min >= 0 {
		r.Time = f.at(min)
	}
	return r
}

// stored is the message's reactions as "emoji@minute" (minute after t0; -1 unknown), sorted.
func (f *reactionFixture) stored() string {
	f.t.Helper()
	msgs := allMessages(f.t, f.a)
	var out []string
	for _, r := range msgs[0].Reactions {
		at := "?"
		if !r.Time.IsZero() && r.Time.UnixMilli() != 0 {
			at = r.Time.Sub(f.t0).String()
		}
		out = append(out, r.Emoji+"@"+at)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// dumped marks the message's month as dumped, so the next change shows.
func (f *reactionFixture) dumped() {
	ctx := context.Background()
	months := must[[]DumpMonth](f.t)(f.a.DumpMonths(ctx, f.conv))
	if err := f.a.SaveDumpDigests(ctx, []DumpMonth{{ConversationID: f.conv, Month: months[0].Month, ChangedAt: months[0].ChangedAt, Digest: "d", Size: 1}}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *reactionFixture) monthChanged() bool {
	months := must[[]DumpMonth](f.t)(f.a.DumpMonths(context.Background(), f.conv))
	return !months[0].Current()
}

func (f *reactionFixture) at(min int) time.Time { return f.t0.Add(time.Duration(min) * time.Minute) }

// A newer database in which Bob changed his reaction replaces it; the older database imported
// again afterwards undoes nothing; the newer one again changes nothing. Both ways a source
// brings reactions behave alike.
func TestSoleReactionReplacesOlderOne(t *testing.T) {
	for _, asUpdates := range []bool{false, true} {
		f := newReactionFixture(t)
		f.run(asUpdates, f.sole("👍", 1))
		f.dumped()
		rep := f.run(asUpdates, f.sole("❤️", 5))
		if got := f.stored(); got != "❤️@5m0s" || rep.MessagesUpdated != 1 || !f.monthChanged() {
			t.Errorf("updates %v: changed reaction: %q, %d updated, month changed %v; want ❤️ only, 1, true", asUpdates, got, rep.MessagesUpdated, f.monthChanged())
		}
		f.dumped()
		rep = f.run(asUpdates, f.sole("👍", 1))
		if got := f.stored(); got != "❤️@5m0s" || rep.MessagesUpdated != 0 || f.monthChanged() {
			t.Errorf("updates %v: older source again: %q, %d updated, month changed %v; want ❤️ only, none", asUpdates, got, rep.MessagesUpdated, f.monthChanged())
		}
		rep = f.run(asUpdates, f.sole("❤️", 5))
		if got := f.stored(); got != "❤️@5m0s" || rep.MessagesUpdated != 0 || f.monthChanged() {
			t.Errorf("updates %v: same source again: %q, %d updated; want ❤️ only, none", asUpdates, got, rep.MessagesUpdated)
		}
	}
}

// A reaction taken back removes the stored one, unless the stored one is newer than the removal.
func TestSoleReactionTakenBack(t *testing.T) {
	f := newReactionFixture(t)
	f.run(false, f.sole("👍", 3))
	f.dumped()
	if rep := f.run(true, f.sole("", 2)); f.stored() != "👍@3m0s" || rep.MessagesUpdated != 0 {
		t.Errorf("a removal older than the reaction: %q, %d updated; want 👍 kept", f.stored(), rep.MessagesUpdated)
	}
	rep := f.run(false, f.sole("", 4))
	if got := f.stored(); got != "" || rep.MessagesUpdated != 1 || !f.monthChanged() {
		t.Errorf("taken back: %q, %d updated, month changed %v; want none left, 1, true", got, rep.MessagesUpdated, f.monthChanged())
	}
	if rep := f.run(false, f.sole("", 4)); rep.MessagesUpdated != 0 {
		t.Errorf("taken back again: %d updated", rep.MessagesUpdated)
	}
	// Taken back from a message the archive lacks: nothing is lost, so nothing to warn about.
	rep = importOf(t, f.a, RankDatabase, func(im *Import) {
		if err := im.Update(Update{ConversationID: f.conv, Key: "absent", Reaction: &Reaction{SenderID: f.bob, Sole: true}}); err != nil {
			t.Fatal(err)
		}
	})
	if rep.WarningsTotal != 0 {
		t.Errorf("a removal for an absent message warned: %+v", rep.Warnings)
	}
}

// Times of 0 are unknown: an incoming reaction of unknown time does not replace one of known
// time, a known time replaces an unknown one, and between unknown times the later import wins.
// Two emoji stored for one person (what imports before Sole left) become the newest one.
func TestSoleReactionUnknownTimes(t *testing.T) {
	f := newReactionFixture(t)
	f.run(false, f.sole("👍", -1))
	f.run(false, f.sole("😂", -1))
	if got := f.stored(); got != "😂@?" {
		t.Errorf("unknown over unknown: %q, want 😂", got)
	}
	f.run(false, f.sole("❤️", 2))
	f.run(false, f.sole("👍", -1))
	if got := f.stored(); got != "❤️@2m0s" {
		t.Errorf("known then unknown: %q, want ❤️ kept", got)
	}
	f.run(true, Reaction{SenderID: f.bob, Emoji: "👍", Time: f.at(1)}) // not Sole: adds, as before
	if got := f.stored(); got != "❤️@2m0s 👍@1m0s" {
		t.Fatalf("two emoji of one person: %q", got)
	}
	if rep := f.run(false, f.sole("❤️", 2)); f.stored() != "❤️@2m0s" || rep.MessagesUpdated != 1 {
		t.Errorf("the newest again: %q, %d updated; want ❤️ only, 1", f.stored(), rep.MessagesUpdated)
	}
	if rep := f.run(false, f.sole("❤️", 6)); f.stored() != "❤️@6m0s" || rep.MessagesUpdated != 1 {
		t.Errorf("the same emoji later: %q, %d updated; want ❤️ at the later time", f.stored(), rep.MessagesUpdated)
	}
}

// Count-only reactions (sender 0) and reactions that are not Sole add up as before: another
// person's Sole reaction leaves them alone, and a count takes the newer source's number.
func TestSoleReactionLeavesOthers(t *testing.T) {
	f := newReactionFixture(t)
	var ann int64
	importOf(t, f.a, RankDatabase, func(im *Import) {
		ann = must[int64](t)(im.Participant(Participant{Service: "whatsapp", Key: "ann", Name: "Ann"}))
	})
	f.run(true, Reaction{SenderID: ann, Emoji: "🔥", Time: f.at(1)}, Reaction{Emoji: "👍", Count: 2})
	f.run(false, f.sole("❤️", 2))
	rep := f.run(true, f.sole("😂", 3), Reaction{Emoji: "👍", Count: 5})
	msgs := allMessages(t, f.a)
	var got []string
	for _, r := range msgs[0].Reactions {
		switch {
		case r.SenderID == 0:
			got = append(got, fmt.Sprintf("%s ×%d", r.Emoji, r.Count))
		case r.SenderID == ann:
			got = append(got, "ann "+r.Emoji)
		case r.SenderID == f.bob:
			got = append(got, "bob "+r.Emoji)
		}
	}
	slices.Sort(got)
	// Each update that changes the message counts (as for edits and votes): two here.
	if strings.Join(got, ", ") != "ann 🔥, bob 😂, 👍 ×5" || rep.MessagesUpdated != 2 {
		t.Errorf("reactions %v, %d updated; want ann 🔥, bob 😂, 👍 ×5 and 2", got, rep.MessagesUpdated)
	}
}

// A reaction taken back at a known time stays taken back: an older backup imported afterwards,
// whether the removal came as an update of a stored message or with a message new to the archive,
// does not bring it back; reacting again later does. A removal of unknown time leaves no trace.
func TestSoleReactionRemovalOutlivesOlderSources(t *testing.T) {
	for _, asUpdates := range []bool{false, true} {
		f := newReactionFixture(t)
		f.run(asUpdates, f.sole("👍", 1))
		f.run(asUpdates, f.sole("", 4))
		f.dumped()
		if rep := f.run(asUpdates, f.sole("👍", 1)); f.stored() != "" || rep.MessagesUpdated != 0 || f.monthChanged() {
			t.Errorf("updates %v: older backup after the removal: %q, %d updated, month changed %v; want nothing, 0, false", asUpdates, f.stored(), rep.MessagesUpdated, f.monthChanged())
		}
		if rep := f.run(asUpdates, f.sole("❤️", 6)); f.stored() != "❤️@6m0s" || rep.MessagesUpdated != 1 || !f.monthChanged() {
			t.Errorf("updates %v: reacted again later: %q, %d updated; want ❤️, 1", asUpdates, f.stored(), rep.MessagesUpdated)
		}
		if n := f.removals(); n != 0 {
			t.Errorf("updates %v: %d removals kept after reacting again", asUpdates, n)
		}
	}

	// The newer backup first: the message is new to the archive, with Bob's reaction taken back.
	f := &reactionFixture{t: t, a: openTemp(t), t0: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	importOf(t, f.a, RankDatabase, func(im *Import) {
		f.bob = must[int64](t)(im.Participant(Participant{Service: "whatsapp", Key: "bob", Name: "Bob"}))
	})
	f.run(false, f.sole("", 4))
	if n := f.removals(); n != 1 {
		t.Fatalf("a new message's removal: %d kept, want 1", n)
	}
	if rep := f.run(false, f.sole("👍", 1)); f.stored() != "" || rep.MessagesUpdated != 0 {
		t.Errorf("older backup after a newer one: %q, %d updated; want nothing", f.stored(), rep.MessagesUpdated)
	}
	if rep := f.run(false, f.sole("", 4)); rep.MessagesUpdated != 0 {
		t.Errorf("the same removal again: %d updated", rep.MessagesUpdated)
	}

	// Unknown times: nothing to compare a later source with, so nothing is kept, and a source
	// that knows its reaction's time brings it back.
	f = newReactionFixture(t)
	f.run(false, f.sole("👍", -1))
	f.run(false, f.sole("", -1))
	if got, n := f.stored(), f.removals(); got != "" || n != 0 {
		t.Errorf("removal of unknown time: %q stored, %d removals kept; want none, 0", got, n)
	}
	if f.run(false, f.sole("👍", 1)); f.stored() != "👍@1m0s" {
		t.Errorf("a known time after a removal of unknown time: %q, want 👍 back", f.stored())
	}
}

func (f *reactionFixture) removals() int {
	f.t.Helper()
	var n int
	if err := f.a.db.QueryRow(`SELECT count(*) FROM reaction_removals`).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}
