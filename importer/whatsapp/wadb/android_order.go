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

// orderBuffer collects messages into groups and hands each group to the archive sorted by chat.
// A full group is not handed over at once: that made the reader wait while the writer wrote it,
// and the writer wait while the reader filled the next. Instead each message read hands over one
// of the previous group, so the reader and the writer keep each other busy (two groups are held).
type orderBuffer struct {
	im    *archive.Import
	msgs  []pendingMsg // the group being filled, in arrival order
	bytes int
	out   []pendingMsg // the previous group, sorted, handed over from next on
	next  int
}

// add queues m (which the caller no longer changes) and its updates, and hands over one message
// of the previous group.
func (b *orderBuffer) add(m *archive.Message, updates ...archive.Update) error {
	if b.msgs == nil {
		b.msgs = make([]pendingMsg, 0, orderMessages)
	}
	b.msgs = append(b.msgs, pendingMsg{m: m, updates: updates})
	b.bytes += 256 + len(m.Text) + len(m.Raw) + len(m.UID) + len(m.SrcPos) + len(m.ReplyTo)
	if len(b.msgs) >= orderMessages || b.bytes >= orderBytes {
		if err := b.handOver(len(b.out)); err != nil {
			return err
		}
		sortByChat(b.msgs)
		b.out, b.msgs, b.next, b.bytes = b.msgs, b.out[:0], 0, 0
		return nil
	}
	return b.handOver(b.next + 1)
}

// flush hands over everything queued: the previous group, then the current one sorted.
func (b *orderBuffer) flush() error {
	if err := b.handOver(len(b.out)); err != nil {
		return err
	}
	sortByChat(b.msgs)
	b.out, b.msgs, b.next, b.bytes = b.msgs, b.out[:0], 0, 0
	return b.handOver(len(b.out))
}

// handOver gives the previous group's messages up to end to the archive.
func (b *orderBuffer) handOver(end int) error {
	for ; b.next < min(end, len(b.out)); b.next++ {
		p := &b.out[b.next]
		if err := b.im.AddMessage(p.m); err != nil {
			return err
		}
		for _, u := range p.updates {
			if err := b.im.Update(u); err != nil {
				return err
			}
		}
		*p = pendingMsg{} // the archive keeps its own copy; drop the text
	}
	return nil
}

// sortByChat groups messages by conversation; a stable sort keeps each chat's arrival order.
func sortByChat(msgs []pendingMsg) {
	slices.SortStableFunc(msgs, func(x, y pendingMsg) int {
		switch {
		case x.m.ConversationID < y.m.ConversationID:
			return -1
		case x.m.ConversationID > y.m.ConversationID:
			return 1
		}
		return 0
	})
}
