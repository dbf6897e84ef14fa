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
// later import wins. A removal of known time is kept (reaction_removals) and counts as the
// person's newest reaction, so an older source imported after it does not bring the reaction
// back; a removal of unknown time leaves no trace.

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

// reactionStmts are prepared on first use: a re-import runs them once per reaction, and
// parsing them each time cost more than running them.
type reactionStmts struct {
	state, remove, put, find, removal, unremove *sql.Stmt
}

func (s *reactionStmts) close() {
	for _, st := range []*sql.Stmt{s.state, s.remove, s.put, s.find, s.removal, s.unremove} {
		if st != nil {
			st.Close()
		}
	}
}

func (im *Import) prepared(st **sql.Stmt, query string) (*sql.Stmt, error) {
	if *st == nil {
		var err error
		if *st, err = im.tx.PrepareContext(im.ctx, query); err != nil {
			return nil, err
		}
	}
	return *st, nil
}

// replaceReaction makes emoji (nothing, when "") the sender's only reaction on the message id,
// unless a stored reaction or removal of theirs is newer than ts.
func (im *Import) replaceReaction(id, sender int64, emoji string, ts int64) (bool, error) {
	rs := &im.reacStmts
	st, err := im.prepared(&rs.state, `SELECT coalesce(max(ts), 0), count(*), coalesce(sum(emoji = ?3 AND ts >= ?4), 0),
		(SELECT coalesce(max(ts), 0) FROM reaction_removals WHERE message_id = ?1 AND sender_id = ?2)
		FROM reactions WHERE message_id = ?1 AND sender_id = ?2`)
	if err != nil {
		return false, err
	}
	// same: rows that already are this reaction, as new as this one or newer.
	var newest, n, same, removedAt int64
	if err := st.QueryRowContext(im.ctx, id, sender, emoji, ts).Scan(&newest, &n, &same, &removedAt); err != nil {
		return false, fmt.Errorf("replace reaction: %w", err)
	}
	newest = max(newest, removedAt)
	if newest != 0 && (ts == 0 || newest > ts) {
		return false, nil
	}
	if emoji == "" {
		return im.takeBack(id, sender, ts, n, removedAt)
	}
	if n == 1 && same == 1 {
		return false, nil // already so: a re-import's usual case, one query
	}
	if st, err = im.prepared(&rs.remove, `DELETE FROM reactions WHERE message_id=? AND sender_id=? AND emoji<>?`); err != nil {
		return false, err
	}
	res, err := st.ExecContext(im.ctx, id, sender, emoji)
	if err != nil {
		return false, fmt.Errorf("replace reaction: %w", err)
	}
	removed, _ := res.RowsAffected()
	if removedAt != 0 { // reacted again after taking one back: the removal is history
		if st, err = im.prepared(&rs.unremove, `DELETE FROM reaction_removals WHERE message_id=? AND sender_id=?`); err != nil {
			return false, err
		}
		if _, err := st.ExecContext(im.ctx, id, sender); err != nil {
			return false, fmt.Errorf("replace reaction: %w", err)
		}
	}
	// The same emoji again keeps its row and takes the later time.
	if st, err = im.prepared(&rs.put, `INSERT INTO reactions(message_id, sender_id, emoji, ts, count) VALUES(?,?,?,?,1)
		ON CONFLICT DO UPDATE SET ts = excluded.ts WHERE excluded.ts > ts`); err != nil {
		return false, err
	}
	if res, err = st.ExecContext(im.ctx, id, sender, emoji, ts); err != nil {
		return false, fmt.Errorf("replace reaction: %w", err)
	}
	added, _ := res.RowsAffected()
	return removed+added > 0 || removedAt != 0, nil
}

// takeBack removes the sender's n stored reactions on the message id and, when the removal's
// time ts is known, records it. It reports whether anything changed; newer state has been
// ruled out by the caller.
func (im *Import) takeBack(id, sender, ts, n, removedAt int64) (bool, error) {
	rs := &im.reacStmts
	if n > 0 {
		st, err := im.prepared(&rs.remove, `DELETE FROM reactions WHERE message_id=? AND sender_id=? AND emoji<>?`)
		if err != nil {
			return false, err
		}
		if _, err := st.ExecContext(im.ctx, id, sender, ""); err != nil {
			return false, fmt.Errorf("take back reaction: %w", err)
		}
	}
	if ts == 0 || ts == removedAt {
		return n > 0, nil
	}
	if err := im.recordRemoval(id, sender, ts); err != nil {
		return false, err
	}
	return true, nil
}

// recordRemoval keeps that the sender took their reaction on the message id back at ts (the
// later time when one is stored).
func (im *Import) recordRemoval(id, sender, ts int64) error {
	st, err := im.prepared(&im.reacStmts.removal, `INSERT INTO reaction_removals(message_id, sender_id, ts) VALUES(?,?,?)
		ON CONFLICT DO UPDATE SET ts = excluded.ts WHERE excluded.ts > ts`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(im.ctx, id, sender, ts); err != nil {
		return fmt.Errorf("record reaction removal: %w", err)
	}
	return nil
}

// presentExtras applies what a message already stored under its uid (the plain INSERT found it
// there) brings that can change after it was sent: a newer database of a one-reaction-per-person
// source brings the changed reactions (Sole) of old messages with the messages themselves, and a
// poll's votes cast since. Reactions that only add up are left as they are: a newer Telegram
// export moves people from its recent list into the anonymous count, and adding both would count
// them twice. Votes only add (a vote is one voter's choice of one option, stored once).
func (im *Import) presentExtras(m *Message) error {
	var sole []Reaction
	for _, r := range m.Reactions {
		if r.Sole {
			sole = append(sole, r)
		}
	}
	if len(sole) == 0 && len(m.Votes) == 0 {
		return nil
	}
	st, err := im.prepared(&im.reacStmts.find, `SELECT id FROM messages WHERE conversation_id=? AND uid=?`)
	if err != nil {
		return err
	}
	var id int64
	if err := st.QueryRowContext(im.ctx, m.ConversationID, m.UID).Scan(&id); err != nil {
		return fmt.Errorf("find stored message: %w", err)
	}
	before := im.report.MessagesUpdated
	if err := im.addExtras(id, &Message{ConversationID: m.ConversationID, Reactions: sole, Votes: m.Votes}); err != nil {
		return err
	}
	if im.report.MessagesUpdated != before {
		return im.markMessageMonth(id)
	}
	return nil
}
