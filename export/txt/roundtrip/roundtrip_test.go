// Package roundtrip checks that the TXT export is WhatsApp's own format in practice: every
// WhatsApp fixture imported, exported as text and imported again into a fresh archive gives the
// same messages (count, time, sender, text, kind, attachment names and contents). It lives apart
// from package txt because it needs the WhatsApp importer.
package roundtrip

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export/txt"
	"github.com/chatvault/chatvault/importer"
	_ "github.com/chatvault/chatvault/importer/all"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/fixtures"
)

func openArchive(t *testing.T) *archive.Archive { return archivetest.Open(t) }

func berlin(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	return loc
}

func TestFixturesRoundTrip(t *testing.T) {
	dir := fixtures.Dir(t)
	var sources []string
	for _, pattern := range []string{"whatsapp-txt/*.txt", "whatsapp-zip/*.zip", "whatsapp-export-dirs/*"} {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		sources = append(sources, m...)
	}
	if len(sources) == 0 {
		t.Skip("no WhatsApp fixtures")
	}
	loc := berlin(t)
	tried := 0
	for _, src := range sources {
		t.Run(filepath.Base(src), func(t *testing.T) {
			imp, err := importer.Detect(importer.LocalSource(src))
			if err != nil {
				t.Skipf("not a chat export this importer reads: %v", err)
			}
			a := openArchive(t)
			if _, err := importer.Run(context.Background(), a, imp, importer.LocalSource(src), importer.Options{TZ: loc}); err != nil {
				var bad *importer.SourceError
				if errors.As(err, &bad) {
					t.Skipf("the importer refuses it: %v", err)
				}
				t.Fatal(err)
			}
			tried++
			roundTrip(t, a, loc, "export")
			if !strings.HasSuffix(src, ".txt") { // exports with media: also as a zip, as WhatsApp shares them
				roundTrip(t, a, loc, "export.zip")
			}
		})
	}
	t.Logf("%d fixtures went round", tried)
}

// TestHeaderLookalikes: lines inside messages that read like message headers (a chat pasted
// into a message) stay inside them. WhatsApp's own export would split such a message; ours
// guards the lines.
func TestHeaderLookalikes(t *testing.T) {
	ctx := context.Background()
	loc := berlin(t)
	a := openArchive(t)
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "test"})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := im.Conversation(archive.Conversation{Service: "whatsapp", Key: "export:lookalikes", Title: "Lookalikes", Kind: archive.ConvGroup})
	if err != nil {
		t.Fatal(err)
	}
	var people []int64
	for _, n := range []string{"Ana", "Ben", "Chen"} {
		id, err := im.Participant(archive.Participant{Service: "whatsapp", Key: "name:" + strings.ToLower(n), Name: n})
		if err != nil {
			t.Fatal(err)
		}
		people = append(people, id)
	}
	texts := []string{
		"I copied this from the other chat:\n12/03/2024, 10:00 - Bob: fake header, Android\n[12/03/2024, 10:00:05] Bob: fake header, iOS\n2022/12/24, 13:01. - John: year first\n3/4/24, 9:15 PM - Eve: US order\n18:05, 02/03/2024 - Zed: time first\n١٢/٣/٢٠٢٤، ١٠:٠٠ - علي: Arabic digits\n12.03.24, 10.00 - Bob: dots",
		"12/03/2024, 10:00 - this one is on the header line",
		"times in a text: 10:30, 2.5 and 12/03/2024",
		"back to normal",
	}
	at := time.Date(2024, 3, 2, 18, 2, 0, 0, loc)
	for i, text := range texts {
		_, off := at.Zone()
		m := &archive.Message{ConversationID: conv, UID: fmt.Sprint(i), Time: at.Add(time.Duration(i) * time.Minute), OffsetKnown: true, Offset: off,
			SenderID: people[i%3], Kind: archive.KindText, Text: text}
		if err := im.AddMessage(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	roundTrip(t, a, loc, "export")
}

func firstConversation(t *testing.T, a *archive.Archive) archive.Conversation {
	cs, err := a.Conversations(context.Background())
	if err != nil || len(cs) == 0 {
		t.Fatalf("conversations: %v %d", err, len(cs))
	}
	return cs[0].Conversation
}

// roundTrip exports every conversation of a to a folder, imports each into a fresh archive and
// compares the messages.
func roundTrip(t *testing.T, a *archive.Archive, loc *time.Location, name string) {
	t.Helper()
	ctx := context.Background()
	convs, err := a.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range convs {
		out := filepath.Join(t.TempDir(), name)
		res, err := txt.ExportConversation(ctx, a, c.Conversation, out, txt.Options{Fallback: loc})
		if err != nil {
			t.Fatal(err)
		}
		b := openArchive(t)
		imp, err := importer.Detect(importer.LocalSource(out))
		if err != nil {
			t.Fatalf("the export is not recognised: %v", err)
		}
		rep, err := importer.Run(ctx, b, imp, importer.LocalSource(out), importer.Options{TZ: loc})
		if err != nil {
			t.Fatalf("import of the export: %v", err)
		}
		for _, w := range rep.Warnings {
			t.Logf("re-import warning: %+v", w)
		}
		bc := firstConversation(t, b)
		if bc.Title != c.Title {
			t.Errorf("title %q came back as %q", c.Title, bc.Title)
		}
		want, got := messages(t, a, c.Conversation), messages(t, b, bc)
		if len(got) != len(want) {
			t.Errorf("%d messages came back of %d (export: %+v)", len(got), len(want), res.Stats)
		}
		bad := 0
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				bad++
				if bad <= 5 {
					t.Errorf("message %d differs:\n  was  %s\n  came %s", i, want[i], got[i])
				}
			}
		}
		if bad > 5 {
			t.Errorf("... %d messages differ in all", bad)
		}
	}
}

// messages renders each message's compared fields as one line.
func messages(t *testing.T, a *archive.Archive, c archive.Conversation) []string {
	t.Helper()
	ctx := context.Background()
	people, err := a.ParticipantMap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	err = a.EachMessage(ctx, archive.MessageQuery{ConversationID: c.ID, WithParts: true}, func(m *archive.Message) error {
		var atts []string
		for _, at := range m.Attachments {
			atts = append(atts, at.FileName+"="+at.SHA256)
		}
		out = append(out, fmt.Sprintf("%s | %q | %s | %q | %v", m.Time.UTC().Format(time.RFC3339Nano), people[m.SenderID].Name, m.Kind, m.Text, atts))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
