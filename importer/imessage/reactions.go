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
	emoji string // "" taken back
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
		// The removal of a tapback this database already shows replaced by another changes
		// nothing. Any other is kept: it takes back what an older sms.db left in the archive.
		gone := tapbackOf(at-3000, m)
		if cur, ok := r.reactions[k]; ok && cur.emoji != "" && gone != "" && cur.emoji != gone {
			return
		}
		r.reactions[k] = &reaction{conv: conv, time: t, pos: pos}
		return
	}
	emoji := tapbackOf(at-2000, m)
	if emoji == "" {
		r.unknownAssoc++
		r.im.WarnAt(r.src.String(), pos, "reaction type %d not understood: kept as %q", at, "?")
		emoji = "?"
	}
	r.reactions[k] = &reaction{conv: conv, emoji: emoji, time: t, pos: pos}
}

// tapbackOf is the emoji of tapback kind (associated_message_type less 2000 or 3000), "" when
// not known.
func tapbackOf(kind int64, m row) string {
	switch kind {
	case 6:
		return m.str("associated_message_emoji")
	case 7:
		return "sticker"
	}
	return tapbackEmoji[kind]
}

// applyReactions hands each sender's last tapback per message to the archive. A person has
// one tapback per message (the part a tapback names is not kept): Sole, so a changed one
// replaces what an older sms.db stored, and a removal (no emoji) takes it away.
func (r *reader) applyReactions() error {
	for _, k := range sortedKeys(r.reactions) {
		re := r.reactions[k]
		if err := r.im.Update(archive.Update{ConversationID: re.conv, Key: "imsg:" + k.target, Pos: re.pos,
			Reaction: &archive.Reaction{SenderID: k.sender, Emoji: re.emoji, Time: re.time, Sole: true}}); err != nil {
			return err
		}
	}
	return nil
}
