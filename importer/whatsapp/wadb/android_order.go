package wadb

import (
	"slices"

	"github.com/chatvault/chatvault/archive"
)

// msgstore.db numbers messages in arrival order, so reading by _id interleaves every chat, and
// the archive then inserts each message at another place in its per-conversation indexes: with
// a thousand chats that cost the writer 2.5 times the CPU of the same rows chat by chat
// (measured with bench/sqlite's table). Reading chat by chat is no answer either: the message
// table has no index that serves it in every version. So messages are collected in arrival order
// up to a bound and handed to the archive grouped by conversation, each chat's in arrival order.
const (
	orderMessages = 16 << 10 // 16 runs per chat for a thousand evenly busy chats
	orderBytes    = 24 << 20 // and at most this much text held
)

// pendingMsg is a message with the updates (edit, deletion) that follow it.
type pendingMsg struct {
	m       *archive.Message
	updates []archive.Update
}

type orderBuffer struct {
	im    *archive.Import
	msgs  []pendingMsg
	bytes int
}

// add queues m (which the caller no longer changes) and its updates; when the buffer is full it
// is written.
func (b *orderBuffer) add(m *archive.Message, updates ...archive.Update) error {
	if b.msgs == nil {
		b.msgs = make([]pendingMsg, 0, orderMessages)
	}
	b.msgs = append(b.msgs, pendingMsg{m: m, updates: updates})
	b.bytes += 256 + len(m.Text) + len(m.Raw) + len(m.UID) + len(m.SrcPos) + len(m.ReplyTo)
	if len(b.msgs) >= orderMessages || b.bytes >= orderBytes {
		return b.flush()
	}
	return nil
}

// flush hands the queued messages to the archive, grouped by conversation (a stable sort keeps
// each chat's arrival order), and empties the buffer.
func (b *orderBuffer) flush() error {
	slices.SortStableFunc(b.msgs, func(x, y pendingMsg) int {
		switch {
		case x.m.ConversationID < y.m.ConversationID:
			return -1
		case x.m.ConversationID > y.m.ConversationID:
			return 1
		}
		return 0
	})
	for i := range b.msgs {
		p := &b.msgs[i]
		if err := b.im.AddMessage(p.m); err != nil {
			return err
		}
		for _, u := range p.updates {
			if err := b.im.Update(u); err != nil {
				return err
			}
		}
	}
	clear(b.msgs) // the archive keeps its own copies; drop the texts
	b.msgs, b.bytes = b.msgs[:0], 0
	return nil
}
