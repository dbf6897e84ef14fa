package export

import (
	"context"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// Selection says what an export covers. The zero value is everything.
type Selection struct {
	ConversationIDs []int64   // nil: every conversation
	Since, Until    time.Time // Until is exclusive; zero: unbounded
}

// Conversations lists the selected conversations with their totals, most recently active first
// (the order chatvault chats shows).
func (s Selection) Conversations(ctx context.Context, v *archive.View) ([]archive.ConversationSummary, error) {
	all, err := v.Conversations(ctx)
	if err != nil {
		return nil, err
	}
	if s.ConversationIDs == nil {
		return all, nil
	}
	want := make(map[int64]bool, len(s.ConversationIDs))
	for _, id := range s.ConversationIDs {
		want[id] = true
	}
	out := all[:0]
	for _, c := range all {
		if want[c.ID] {
			out = append(out, c)
		}
	}
	return out, nil
}

// Query is the message query for one selected conversation, oldest first, with attachments and
// reactions.
func (s Selection) Query(conversationID int64) archive.MessageQuery {
	return archive.MessageQuery{ConversationID: conversationID, Since: s.Since, Until: s.Until, WithParts: true}
}

// Span counts the selected messages of a conversation and finds the first and last one's times,
// without reading them.
func (s Selection) Span(ctx context.Context, a *archive.Archive, conversationID int64) (archive.Span, error) {
	return a.MessageSpan(ctx, conversationID, s.Since, s.Until)
}

// Count counts the selected messages of a conversation without reading them.
func (s Selection) Count(ctx context.Context, a *archive.Archive, conversationID int64) (int, error) {
	return a.CountMessages(ctx, conversationID, s.Since, s.Until)
}
