package exporttest

import (
	"context"
	"fmt"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// The two people of TwoStrangers' chat.
const (
	StrangerA = "Dana Ortiz"
	StrangerB = "Eli Ben-David"
)

// TwoStrangers writes, in an import of its own, a two-person chat in which no message is the
// user's: what a text export gives when it does not say who exported it. Each person writes
// runs of messages, so names must show at every change of sender.
func TwoStrangers(ctx context.Context, a *archive.Archive) (int64, error) {
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "exporttest", ImporterVersion: "1", SourcePath: "exporttest-strangers"})
	if err != nil {
		return 0, err
	}
	b := &builder{im: im, people: map[string]int64{}}
	conv, err := b.strangers()
	if err != nil {
		im.Rollback()
		return 0, err
	}
	if _, err := im.Commit(); err != nil {
		return 0, err
	}
	return conv, nil
}

func (b *builder) strangers() (int64, error) {
	conv, err := b.im.Conversation(archive.Conversation{Service: "whatsapp", Key: "export:strangers", Title: "Dana", Kind: archive.ConvDirect})
	if err != nil {
		return 0, err
	}
	dana, err := b.person(conv, StrangerA, false)
	if err != nil {
		return 0, err
	}
	eli, err := b.person(conv, StrangerB, false)
	if err != nil {
		return 0, err
	}
	start := time.Date(2024, 5, 3, 9, 0, 0, 0, time.UTC)
	for i, who := range []int64{dana, dana, eli, dana, eli, eli} {
		m := &archive.Message{ConversationID: conv, SenderID: who, Time: start.Add(time.Duration(i) * 3 * time.Minute),
			Text: fmt.Sprintf("stranger message %d", i)}
		if err := b.add(m); err != nil {
			return 0, err
		}
	}
	return conv, nil
}
