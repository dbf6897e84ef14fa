package importertest

import (
	"bytes"
	"context"
	"encoding/json"
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

// Fingerprint renders everything an archive holds that a user could lose (conversations,
// participants, every message with its parts, media) as comparable text, leaving out what differs
// between two imports of the same data (row ids, import ids and times).
func Fingerprint(t *testing.T, a *archive.Archive) []byte {
	t.Helper()
	ctx := context.Background()
	var buf bytes.Buffer
	convs, err := a.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(convs, func(i, j int) bool { return convs[i].Service+convs[i].Key < convs[j].Service+convs[j].Key })
	people, err := a.ParticipantMap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range people {
		names = append(names, fmt.Sprintf("participant %s/%s %q %q me=%v", p.Service, p.Key, p.Name, p.Phone, p.IsMe))
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintln(&buf, n)
	}
	person := func(id int64) string {
		if p, ok := people[id]; ok {
			return p.Service + "/" + p.Key
		}
		return ""
	}
	for _, c := range convs {
		fmt.Fprintf(&buf, "conversation %s/%s %q %s %d messages\n", c.Service, c.Key, c.Title, c.Kind, c.Messages)
		err := a.EachMessage(ctx, archive.MessageQuery{ConversationID: c.ID, WithParts: true}, func(m *archive.Message) error {
			line := map[string]any{"uid": m.UID, "ts": m.Time.UnixMilli(), "offset": m.Offset, "offset_known": m.OffsetKnown,
				"sender": person(m.SenderID), "from_me": m.FromMe, "kind": m.Kind, "text": m.Text, "flags": m.Flags.Names(),
				"reply_to": m.ReplyTo, "details": m.Details, "attachments": m.Attachments, "src": m.SrcPos, "raw": m.Raw, "keys": m.Keys}
			var reactions, votes, revisions []string
			for _, r := range m.Reactions {
				reactions = append(reactions, fmt.Sprintf("%s %s %d %d", person(r.SenderID), r.Emoji, r.Time.UnixMilli(), r.Count))
			}
			for _, v := range m.Votes {
				votes = append(votes, fmt.Sprintf("%s %d", person(v.VoterID), v.Option))
			}
			for _, r := range m.Revisions {
				revisions = append(revisions, fmt.Sprintf("%d %s", r.Time.UnixMilli(), r.Text))
			}
			line["reactions"], line["votes"], line["revisions"], line["sources"] = reactions, votes, revisions, len(m.Sources)
			b, err := json.Marshal(line)
			buf.Write(b)
			buf.WriteByte('\n')
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	st, err := a.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&buf, "media files %d bytes %d\n", st.MediaFiles, st.MediaBytes)
	return buf.Bytes()
}

// diff shows the first lines where two fingerprints differ.
func diff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	var out []string
	for i := 0; i < max(len(la), len(lb)) && len(out) < 6; i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("- %s\n+ %s", clip(x), clip(y)))
		}
	}
	return strings.Join(out, "\n")
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func mediaFiles(t *testing.T, a *archive.Archive) int {
	t.Helper()
	n := 0
	filepath.WalkDir(filepath.Join(a.Dir(), "media"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == ".tmp" {
			return filepath.SkipDir
		}
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

// privateLeft lists files left in the archive's private temporary folders.
func privateLeft(t *testing.T, a *archive.Archive) []string {
	var out []string
	for _, dir := range []string{filepath.Join(a.Dir(), "tmp"), filepath.Join(a.Dir(), "media", ".tmp")} {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && !strings.HasSuffix(p, ".lock") {
				out = append(out, p)
			}
			return nil
		})
	}
	return out
}

// OtherSamples are one source per file or folder of the shared fixtures outside own (folders
// relative to the fixtures root): other formats' samples, for Detect to score 0 on.
func OtherSamples(t *testing.T, own []string) []importer.Source {
	root := fixtures.Dir(t)
	skip := map[string]bool{}
	for _, o := range own {
		skip[o] = true
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var out []importer.Source
	for _, e := range entries {
		if !e.IsDir() || skip[e.Name()] {
			continue
		}
		files, _ := os.ReadDir(filepath.Join(root, e.Name()))
		for _, f := range files {
			if strings.HasSuffix(f.Name(), "target.json") || strings.HasSuffix(f.Name(), "testlog.json") {
				continue // another parser's expected output, not a sample
			}
			out = append(out, importer.LocalSource(filepath.Join(root, e.Name(), f.Name())))
		}
	}
	return out
}
