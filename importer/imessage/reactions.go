package imessage

import (
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// Tapbacks are rows of their own whose associated_message_type says which: 2000 loved,
// 2001 liked, 2002 disliked, 2003 laughed, 2004 emphasized, 2005 questioned, 2006 an emoji
// (iOS 17: associated_message_emoji), 2007 a sticker (iOS 18); 3000-3007 remove the same.
// associated_message_guid names the target as "p:<part>/<guid>" or "bp:<guid>".
// (imessage-exporter's tapback types; Apple documents none of it.)
var tapbackEmoji = map[int64]string{0: "❤️", 1: "👍", 2: "👎", 3: "😂", 4: "‼️", 5: "❓"}

type reactKey struct {
	target string
	sender int64
}

type reaction struct {
	conv  int64
	emoji string
	time  time.Time
	pos   string
}

// targetGUID takes the message guid out of an associated_message_guid.
func targetGUID(s string) string {
	if i := strings.IndexByte(s, '/'); i >= 0 && strings.HasPrefix(s, "p:") {
		return s[i+1:]
	}
	if g, ok := strings.CutPrefix(s, "bp:"); ok {
		return g
	}
	return s
}

// tapback records a reaction or its removal; the last state per sender and target wins
// (rows are read in the order they were written).
func (r *reader) tapback(conv, sender int64, t time.Time, pos string, m row) {
	at := m.int("associated_message_type")
	target := targetGUID(m.str("associated_message_guid"))
	if target == "" {
		r.im.WarnAt(r.src.String(), pos, "reaction without a target message: skipped")
		return
	}
	k := reactKey{target, sender}
	if at >= 3000 {
		delete(r.reactions, k)
		return
	}
	kind := at - 2000
	emoji := tapbackEmoji[kind]
	switch kind {
	case 6:
		emoji = m.str("associated_message_emoji")
	case 7:
		emoji = "sticker"
	}
	if emoji == "" {
		r.unknownAssoc++
		r.im.WarnAt(r.src.String(), pos, "reaction type %d not understood: kept as %q", at, "?")
		emoji = "?"
	}
	r.reactions[k] = &reaction{conv: conv, emoji: emoji, time: t, pos: pos}
}

// applyReactions adds the reactions left standing to their messages.
func (r *reader) applyReactions() error {
	for _, k := range sortedKeys(r.reactions) {
		re := r.reactions[k]
		if err := r.im.Update(archive.Update{ConversationID: re.conv, Key: "imsg:" + k.target, Pos: re.pos,
			Reaction: &archive.Reaction{SenderID: k.sender, Emoji: re.emoji, Time: re.time}}); err != nil {
			return err
		}
	}
	return nil
}
