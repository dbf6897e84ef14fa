package jsonl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
	"github.com/chatvault/chatvault/export/exporttest"
)

func TestLines(t *testing.T) {
	ctx := context.Background()
	a, err := archive.Open(ctx, filepath.Join(t.TempDir(), "a"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	info, err := exporttest.Build(ctx, a, 10)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := Write(ctx, a, &buf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 26+12+10 {
		t.Errorf("%d lines", n)
	}
	sc := bufio.NewScanner(&buf)
	lines := 0
	var photo *Message
	for sc.Scan() {
		lines++
		var m Message
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		if m.Schema != Schema || m.Conversation.Title == "" || m.Time == "" || m.TS == 0 {
			t.Errorf("line %d incomplete: %s", lines, sc.Text())
		}
		if len(m.Attachments) > 0 && m.Attachments[0].SHA256 == info.PhotoSHA {
			photo = &m
		}
	}
	if lines != int(n) {
		t.Errorf("%d lines read, %d written", lines, n)
	}
	if photo == nil || photo.Sender == nil || photo.Sender.Name != "Ben" || photo.Text != "Old photo from the last trip" {
		t.Errorf("photo line %+v", photo)
	}

	buf.Reset()
	if n, err = Write(ctx, a, &buf, Options{Selection: export.Selection{ConversationIDs: []int64{info.Hostile}}}); err != nil || n != 12 {
		t.Fatalf("%d, %v", n, err)
	}
	if !strings.Contains(buf.String(), `"text":"<script>window.__pwned=1`) {
		t.Error("text should be kept as written (JSON is data, not HTML)")
	}
}
