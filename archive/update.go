package archive

import (
	"errors"
	"fmt"
	"time"
)

// Update changes a message already stored (by this import or an earlier one): a later source,
// another table of the same source, or a newer backup brings a reaction, an edit, a deletion or a
// vote. Key is any key of the message (its uid or another key it is known by). Exactly one of
// the change fields is set. Pos says where in the source the update came from, for the warning
// when no stored message has the key.
type Update struct {
	ConversationID int64
	Key            string
	Pos            string

	Reaction *Reaction
	Edit     *Edit
	Delete   *Deletion
	Vote     *Vote
}

// Edit replaces a message's text; the text it had is kept as a revision.
type Edit struct {
	Time time.Time // when the new text was written (zero: unknown)
	Text string
}

// Deletion marks a message deleted for everyone. What the archive holds of it stays.
type Deletion struct {
	Time time.Time
}

// Update queues a change to a stored message. It is applied in order with the messages added
// before it, so it may name a message added earlier in the same import.
func (im *Import) Update(u Update) error {
	if im.done {
		return errors.New("import already finished")
	}
	if u.ConversationID == 0 || u.Key == "" {
		return errors.New("update needs a conversation and a message key")
	}
	im.updates = append(im.updates, u)
	if len(im.updates) >= insertBatchRows {
		im.send(nil)
	}
	return nil
}

// applyUpdates runs on the writer goroutine after the batch's messages are written.
func (im *Import) applyUpdates(us []Update) error {
	for _, u := range us {
		id, err := im.findByKeys(&Message{ConversationID: u.ConversationID, UID: u.Key})
		if err != nil {
			return err
		}
		if id == 0 && u.Reaction != nil && u.Reaction.Emoji == "" {
			continue // a reaction taken back from a message the archive lacks: nothing is lost
		}
		if id == 0 {
			im.report.warn(Warning{File: im.info.SourcePath, Pos: u.Pos, Message: fmt.Sprintf("%s for message %q, which is not in the archive: kept nowhere", u.what(), u.Key)})
			continue
		}
		before := im.report.MessagesUpdated
		m := &Message{ConversationID: u.ConversationID}
		switch {
		case u.Reaction != nil:
			m.Reactions = []Reaction{*u.Reaction}
		case u.Edit != nil:
			if err := im.applyEdit(id, u.Edit); err != nil {
				return err
			}
		case u.Delete != nil:
			if err := im.applyDelete(id, u.Delete); err != nil {
				return err
			}
		case u.Vote != nil:
			m.Votes = []Vote{*u.Vote}
		}
		if err := im.addExtras(id, m); err != nil {
			return err
		}
		if im.report.MessagesUpdated != before {
			if err := im.markMessageMonth(id); err != nil {
				return err
			}
		}
	}
	return nil
}

func (u Update) what() string {
	switch {
	case u.Reaction != nil:
		return "a reaction"
	case u.Edit != nil:
		return "an edit"
	case u.Delete != nil:
		return "a deletion"
	case u.Vote != nil:
		return "a vote"
	}
	return "an update"
}

func (im *Import) markMessageMonth(id int64) error {
	var conv, ts int64
	if err := im.tx.QueryRowContext(im.ctx, `SELECT conversation_id, ts FROM messages WHERE id=?`, id).Scan(&conv, &ts); err != nil {
		return err
	}
	im.months[monthKey{conv, MonthOf(unixMilli(ts))}] = true
	return nil
}

// addExtras adds m's reactions (a Sole one replacing the sender's others), votes and revisions
// to the stored message id, counting the message as updated when any of them changed it.
func (im *Import) addExtras(id int64, m *Message) error {
	changed := false
	for _, r := range m.Reactions {
		n, err := im.addReaction(id, r)
		if err != nil {
			return err
		}
		changed = changed || n
	}
	for _, v := range m.Votes {
		n, err := im.addVote(id, v)
		if err != nil {
			return err
		}
		changed = changed || n
	}
	for _, r := range m.Revisions {
		n, err := im.addRevision(id, r.Time, r.Text)
		if err != nil {
			return err
		}
		changed = changed || n
	}
	if changed {
		im.report.MessagesUpdated++
	}
	return nil
}

func (im *Import) addVote(id int64, v Vote) (bool, error) {
	var ts int64
	if !v.Time.IsZero() {
		ts = v.Time.UnixMilli()
	}
	res, err := im.tx.ExecContext(im.ctx, `INSERT INTO poll_votes(message_id, voter_id, option, ts) VALUES(?,?,?,?) ON CONFLICT DO NOTHING`,
		id, v.VoterID, v.Option, ts)
	if err != nil {
		return false, fmt.Errorf("add vote: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

func (im *Import) addRevision(id int64, t time.Time, text string) (bool, error) {
	var ts int64
	if !t.IsZero() {
		ts = t.UnixMilli()
	}
	res, err := im.tx.ExecContext(im.ctx, `INSERT INTO revisions(message_id, ts, text, import_id) VALUES(?,?,?,?) ON CONFLICT DO NOTHING`,
		id, ts, text, im.id)
	if err != nil {
		return false, fmt.Errorf("add revision: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// applyEdit keeps the current text as a revision and puts the edit's text in its place. The same
// edit applied again changes nothing.
func (im *Import) applyEdit(id int64, e *Edit) error {
	var text, details string
	var ts, flags int64
	if err := im.tx.QueryRowContext(im.ctx, `SELECT text, details, ts, flags FROM messages WHERE id=?`, id).Scan(&text, &details, &ts, &flags); err != nil {
		return err
	}
	if text == e.Text {
		return nil
	}
	d := parseDetails(details)
	if d == nil {
		d = &Details{}
	}
	since := ts
	if d.EditedAt != 0 {
		since = d.EditedAt
	}
	if _, err := im.addRevision(id, unixMilli(since), text); err != nil {
		return err
	}
	if !e.Time.IsZero() {
		d.EditedAt = e.Time.UnixMilli()
	}
	if _, err := im.tx.ExecContext(im.ctx, `UPDATE messages SET text=?, flags=flags|?, details=? WHERE id=?`,
		e.Text, int64(FlagEdited), detailsJSON(d), id); err != nil {
		return err
	}
	im.extraDocs = append(im.extraDocs, indexDoc{id: id, ts: ts, text: e.Text, again: true})
	im.report.MessagesUpdated++
	return nil
}

// applyDelete flags a message deleted; its text and files stay.
func (im *Import) applyDelete(id int64, del *Deletion) error {
	var details string
	var flags int64
	if err := im.tx.QueryRowContext(im.ctx, `SELECT details, flags FROM messages WHERE id=?`, id).Scan(&details, &flags); err != nil {
		return err
	}
	if Flags(flags)&FlagDeleted != 0 {
		return nil
	}
	d := parseDetails(details)
	if d == nil {
		d = &Details{}
	}
	if !del.Time.IsZero() {
		d.DeletedAt = del.Time.UnixMilli()
	}
	if _, err := im.tx.ExecContext(im.ctx, `UPDATE messages SET flags=flags|?, details=? WHERE id=?`, int64(FlagDeleted), detailsJSON(d), id); err != nil {
		return err
	}
	im.report.MessagesUpdated++
	return nil
}

func unixMilli(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
