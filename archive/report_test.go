package archive

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"
)

// A report kept after its import holds neither the import nor the importer's buffers: a folder
// import keeps one report per chat, and a report that pinned its import (whose last batches point
// into the parser's buffers) grew a 10,000-chat import to hundreds of MB.
func TestCommittedReportKeepsNothingAlive(t *testing.T) {
	a := openTemp(t)
	ctx := context.Background()
	im, err := a.BeginImport(ctx, ImportInfo{Importer: "test"})
	if err != nil {
		t.Fatal(err)
	}
	buf := []byte(strings.Repeat("x", 1<<20)) // a parser's buffer
	text := string(buf[:10])                  // a string of it, like a parser's record fields
	conv := must[int64](t)(im.Conversation(Conversation{Service: "whatsapp", Key: "export:big", Title: "Big"}))
	p := must[int64](t)(im.Participant(Participant{Service: "whatsapp", Key: "name:ann", Name: "Ann"}))
	if err := im.AddMessage(&Message{ConversationID: conv, UID: "u1", Time: time.Unix(1700000000, 0), SenderID: p, Kind: KindText, Text: text}); err != nil {
		t.Fatal(err)
	}
	im.Note("about " + text)
	imp := weak.Make(im)
	rep, err := im.Commit()
	if err != nil {
		t.Fatal(err)
	}
	im = nil
	for range 3 {
		runtime.GC()
	}
	if imp.Value() != nil {
		t.Error("the report keeps its import alive")
	}
	if len(rep.Notes) != 1 || !strings.HasPrefix(rep.Notes[0], "about xxx") {
		t.Errorf("notes %q", rep.Notes)
	}
	runtime.KeepAlive(rep)
}
