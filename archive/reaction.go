package archive

import (
	"database/sql"
	"fmt"
)

// A person has one reaction per message on WhatsApp and one tapback per message on iMessage: a
// newer backup that brings a changed emoji must replace the old one, not add to it, and one
// that says the reaction was taken back must remove it. Such sources mark their reactions Sole.
// Times decide between two sources: a stored reaction newer than the incoming one stays, so an
// older backup imported after a newer one undoes nothing. A time of 0 is unknown: an incoming
// reaction of unknown time does not replace one of known time; between two of unknown time the
// later import wins. A removal leaves no trace, so an older source imported after it brings the
// reaction back.

// addReaction stores r on the message id and reports whether the stored reactions changed.
func (im *Import) addReaction(id int64, r Reaction) (bool, error) {
	var ts int64
	if !r.Time.IsZero() {
		ts = r.Time.UnixMilli()
	}
	if r.Sole && r.SenderID != 0 {
		return im.replaceReaction(id, r.SenderID, r.Emoji, ts)
	}
	if r.Emoji == "" {
		return false, nil
	}
	// A count-only reaction (sender 0) takes the newer source's count.
	res, err := im.tx.ExecContext(im.ctx, `INSERT INTO reactions(message_id, sender_id, emoji, ts, count) VALUES(?,?,?,?,?)
		ON CONFLICT DO UPDATE SET count = excluded.count WHERE sender_id = 0 AND count <> excluded.count`,
		id, r.SenderID, r.Emoji, ts, max(r.Count, 1))
	if err != nil {
		return false, fmt.Errorf("add reaction: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// replaceReaction makes emoji (nothing, when "") the sender's only reaction on the message id,
// unless a stored reaction of theirs is newer than ts.
func (im *Import) replaceReaction(id, sender int64, emoji string, ts int64) (bool, error) {
	var newest sql.NullInt64
	if err := im.tx.QueryRowContext(im.ctx, `SELECT max(ts) FROM reactions WHERE message_id=? AND sender_id=?`, id, sender).Scan(&newest); err != nil {
		return false, fmt.Errorf("replace reaction: %w", err)
	}
	if newest.Int64 != 0 && (ts == 0 || newest.Int64 > ts) {
		return false, nil
	}
	res, err := im.tx.ExecContext(im.ctx, `DELETE FROM reactions WHERE message_id=? AND sender_id=? AND emoji<>?`, id, sender, emoji)
	if err != nil {
		return false, fmt.Errorf("replace reaction: %w", err)
	}
	removed, _ := res.RowsAffected()
	if emoji == "" {
		return removed > 0, nil
	}
	// The same emoji again keeps its row and takes the later time.
	res, err = im.tx.ExecContext(im.ctx, `INSERT INTO reactions(message_id, sender_id, emoji, ts, count) VALUES(?,?,?,?,1)
		ON CONFLICT DO UPDATE SET ts = excluded.ts WHERE excluded.ts > ts`, id, sender, emoji, ts)
	if err != nil {
		return false, fmt.Errorf("replace reaction: %w", err)
	}
	added, _ := res.RowsAffected()
	return removed+added > 0, nil
}

// presentReactions applies the Sole reactions of a message that is already stored under its uid
// (the plain INSERT found it there): a newer database of a one-reaction-per-person source
// brings the changed reactions of old messages with the messages themselves. Reactions that only
// add up are left as they are: a newer Telegram export moves people from its recent list into
// the anonymous count, and adding both would count them twice.
func (im *Import) presentReactions(m *Message) error {
	var sole []Reaction
	for _, r := range m.Reactions {
		if r.Sole {
			sole = append(sole, r)
		}
	}
	if len(sole) == 0 {
		return nil
	}
	var id int64
	err := im.tx.QueryRowContext(im.ctx, `SELECT id FROM messages WHERE conversation_id=? AND uid=?`, m.ConversationID, m.UID).Scan(&id)
	if err != nil {
		return fmt.Errorf("find stored message: %w", err)
	}
	before := im.report.MessagesUpdated
	if err := im.addExtras(id, &Message{ConversationID: m.ConversationID, Reactions: sole}); err != nil {
		return err
	}
	if im.report.MessagesUpdated != before {
		return im.markMessageMonth(id)
	}
	return nil
}
