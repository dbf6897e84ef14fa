package whatsapp

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/fixtures"
)

// chatList lists the archive's conversations as "title:messages", sorted.
func chatList(t *testing.T, a *archive.Archive) string {
	t.Helper()
	cs, err := a.Conversations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s:%d", c.Title, c.Messages))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// writeAs writes data as a WhatsApp export named after a chat.
func writeAs(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, "WhatsApp Chat with "+name+".txt")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A chat exported again after the contact was renamed goes into the chat already archived.
func TestRenamedChatIsRecognisedByItsMessages(t *testing.T) {
	part1, err := os.ReadFile(fixtures.Path(t, "whatsapp-txt/whatstk-lorem-merge-part1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	part2, _ := os.ReadFile(fixtures.Path(t, "whatsapp-txt/whatstk-lorem-merge-part2.txt"))
	whole := append(append(append([]byte{}, part1...), '\n'), part2...)
	dir := t.TempDir()

	a := newArchive(t)
	if _, err := importPath(t, a, writeAs(t, dir, "Mom", part1), importer.Options{}); err != nil {
		t.Fatal(err)
	}
	rep, err := importPath(t, a, writeAs(t, dir, "Mum", whole), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.MessagesAdded != 300 || rep.MessagesPresent != 300 || !strings.Contains(strings.Join(rep.Notes, "\n"), `the same chat as "Mom"`) {
		t.Fatalf("renamed export: added %d, present %d, notes %q", rep.MessagesAdded, rep.MessagesPresent, rep.Notes)
	}
	if got := chatList(t, a); got != "Mom:600" {
		t.Fatalf("conversations: %s, want Mom:600", got)
	}

	// --title keeps it apart.
	if _, err := importPath(t, a, writeAs(t, dir, "Mum", whole), importer.Options{Title: "Mum"}); err != nil {
		t.Fatal(err)
	}
	if got := chatList(t, a); got != "Mom:600 Mum:600" {
		t.Fatalf("with --title: %s, want Mom:600 Mum:600", got)
	}
}

// A longer export under a new name that begins before the archived one and ends after it (an
// export without media reaches further back than one with media) is recognised too.
func TestRenamedLongerExportIsRecognised(t *testing.T) {
	part1, err := os.ReadFile(fixtures.Path(t, "whatsapp-txt/whatstk-lorem-merge-part1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	part2, _ := os.ReadFile(fixtures.Path(t, "whatsapp-txt/whatstk-lorem-merge-part2.txt"))
	lines1 := strings.SplitAfter(string(part1), "\n")
	// The archived export: the last 100 messages of part 1 and the first 100 of part 2.
	lines2 := strings.SplitAfter(string(part2), "\n")
	middle := strings.Join(lines1[len(lines1)-101:], "") + "\n" + strings.Join(lines2[:100], "")
	dir := t.TempDir()
	a := newArchive(t)
	r1, err := importPath(t, a, writeAs(t, dir, "Dad", []byte(middle)), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	whole := append(append(append([]byte{}, part1...), '\n'), part2...)
	rep, err := importPath(t, a, writeAs(t, dir, "Papa", whole), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), `the same chat as "Dad"`) || rep.MessagesPresent != r1.MessagesAdded || rep.MessagesAdded != 600-r1.MessagesAdded {
		t.Fatalf("longer export: added %d, present %d, notes %q", rep.MessagesAdded, rep.MessagesPresent, rep.Notes)
	}
	if got := chatList(t, a); got != "Dad:600" {
		t.Fatalf("conversations: %s, want Dad:600", got)
	}
}

// Chats with other messages, or too few to tell, are never merged.
func TestDifferentChatsStayApart(t *testing.T) {
	dir := t.TempDir()
	a := newArchive(t)
	part1, _ := os.ReadFile(fixtures.Path(t, "whatsapp-txt/whatstk-lorem-merge-part1.txt"))
	part2, _ := os.ReadFile(fixtures.Path(t, "whatsapp-txt/whatstk-lorem-merge-part2.txt"))
	short := []byte("24/12/2023, 18:30 - Kai: Merry Christmas\n24/12/2023, 18:31 - Lea: Merry Christmas!\n")
	for _, c := range []struct {
		name string
		data []byte
	}{{"First half", part1}, {"Second half", part2}, {"Kai", short}, {"Kai again", short}} {
		rep, err := importPath(t, a, writeAs(t, dir, c.name, c.data), importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.Join(rep.Notes, "\n"), "the same chat") {
			t.Errorf("%s was merged: %q", c.name, rep.Notes)
		}
	}
	if got := chatList(t, a); got != "First half:300 Kai again:2 Kai:2 Second half:300" {
		t.Fatalf("conversations: %s", got)
	}
}
