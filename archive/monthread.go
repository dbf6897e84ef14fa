package archive

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// EachMonthMessage streams a conversation month's messages in dump order (time, then the order
// they were stored in, which keeps a source's order within a minute and survives a restore), with
// attachments, reactions and the identity parts.
//
// A month is read in one ordered statement, and each kind of part in one more that walks the
// same messages in the same order, merged as they stream: a backup renders every month, and
// paging with id lists re-parsed a statement of hundreds of parameters per few hundred messages.
func (v *View) EachMonthMessage(ctx context.Context, conversationID int64, month string, fn func(*Message) error) error {
	start, end, err := MonthRange(month)
	if err != nil {
		return err
	}
	// Every statement must read the same state, on one connection: a snapshot's, or a read
	// transaction of its own.
	q := v.q
	if db, ok := q.(interface {
		BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
	}); ok { // the database itself (prepared or not), not a snapshot's transaction
		tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return err
		}
		defer tx.Rollback()
		q = tx
	}
	args := []any{conversationID, start, end}
	rows, err := q.QueryContext(ctx, messageSelect+` WHERE conversation_id = ? AND ts >= ? AND ts < ? ORDER BY ts, id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	parts := []*partCursor{
		{query: `SELECT m.ts, m.id, a.kind, a.file_name, a.mime, a.size, coalesce(a.sha256, ''), a.details
			FROM messages m JOIN attachments a ON a.message_id = m.id` + monthPartWhere + `, a.ord`, scan: scanAttachmentPart},
		{query: `SELECT m.ts, m.id, r.sender_id, r.emoji, r.ts, r.count
			FROM messages m JOIN reactions r ON r.message_id = m.id` + monthPartWhere + `, r.ts, r.sender_id, r.emoji`, scan: scanReactionPart},
	}
	var identity int
	if err := q.QueryRowContext(ctx, identityProbe).Scan(&identity); err != nil {
		return err
	}
	if identity != 0 {
		parts = append(parts,
			&partCursor{query: `SELECT m.ts, m.id, k.key FROM messages m JOIN message_keys k ON k.message_id = m.id` + monthPartWhere + `, k.key`,
				scan: scanKeyPart},
			&partCursor{query: `SELECT m.ts, m.id, r.ts, r.text FROM messages m JOIN revisions r ON r.message_id = m.id` + monthPartWhere + `, r.ts, r.text`,
				scan: scanRevisionPart},
			&partCursor{query: `SELECT m.ts, m.id, p.voter_id, p.option, p.ts FROM messages m JOIN poll_votes p ON p.message_id = m.id` + monthPartWhere + `, p.option, p.voter_id`,
				scan: scanVotePart},
			&partCursor{query: `SELECT m.ts, m.id, s.import_id, s.src_pos, s.raw FROM messages m JOIN message_sources s ON s.message_id = m.id` + monthPartWhere + `, s.import_id`,
				scan: scanSourcePart},
			&partCursor{query: `SELECT m.ts, m.id, r.sender_id, r.ts FROM messages m JOIN reaction_removals r ON r.message_id = m.id` + monthPartWhere + `, r.ts, r.sender_id`,
				scan: scanRemovalPart})
	}
	for _, p := range parts {
		if err := p.open(ctx, q, args); err != nil {
			return err
		}
		defer p.close()
	}
	var m Message
	for rows.Next() {
		if err := scanMessage(rows, &m); err != nil {
			return err
		}
		for _, p := range parts {
			if err := p.fill(&m); err != nil {
				return err
			}
		}
		if err := fn(&m); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range parts {
		if p.ok {
			return fmt.Errorf("month %s of conversation %d: a part of message %d is out of order", month, conversationID, p.id)
		}
		if err := p.rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// monthPartWhere selects the parts of one conversation month's messages, ordered as the
// messages are (the caller appends the part's own order).
const monthPartWhere = ` WHERE m.conversation_id = ? AND m.ts >= ? AND m.ts < ? ORDER BY m.ts, m.id`

// identityProbe tells whether any message has what schemas 2 and 3 added; archives of one source have
// none, and then their queries are skipped.
const identityProbe = `SELECT EXISTS(SELECT 1 FROM message_keys) OR EXISTS(SELECT 1 FROM revisions)
	OR EXISTS(SELECT 1 FROM poll_votes) OR EXISTS(SELECT 1 FROM message_sources) OR EXISTS(SELECT 1 FROM reaction_removals)`

// partCursor streams one kind of part for a month's messages, in message order; fill hands a
// message the rows that belong to it.
type partCursor struct {
	query string
	// scan reads a row's columns after the message's ts and id, and returns how to apply it.
	scan func(rows *sql.Rows, ts, id *int64) (func(m *Message), error)
	rows *sql.Rows
	ok   bool // a row is waiting
	ts   int64
	id   int64
	add  func(m *Message)
}

func (p *partCursor) open(ctx context.Context, q queryer, args []any) error {
	rows, err := q.QueryContext(ctx, p.query, args...)
	if err != nil {
		return err
	}
	p.rows = rows
	return p.next()
}

func (p *partCursor) next() error {
	p.ok = p.rows.Next()
	if !p.ok {
		return p.rows.Err()
	}
	add, err := p.scan(p.rows, &p.ts, &p.id)
	p.add = add
	return err
}

// fill applies the waiting rows that belong to m. A row of an earlier message can only mean the
// two statements disagree on order, which would lose parts silently: that is an error.
func (p *partCursor) fill(m *Message) error {
	ts := m.Time.UnixMilli()
	for p.ok && p.id == m.ID {
		p.add(m)
		if err := p.next(); err != nil {
			return err
		}
	}
	if p.ok && (p.ts < ts || p.ts == ts && p.id < m.ID) {
		return fmt.Errorf("a part of message %d is out of order", p.id)
	}
	return nil
}

func (p *partCursor) close() {
	if p.rows != nil {
		p.rows.Close()
	}
}

func scanAttachmentPart(rows *sql.Rows, ts, id *int64) (func(*Message), error) {
	var at Attachment
	var kind, details string
	if err := rows.Scan(ts, id, &kind, &at.FileName, &at.MIME, &at.Size, &at.SHA256, &details); err != nil {
		return nil, err
	}
	at.Kind, at.Details = Kind(kind), parseDetails(details)
	return func(m *Message) { m.Attachments = append(m.Attachments, at) }, nil
}

func scanReactionPart(rows *sql.Rows, ts, id *int64) (func(*Message), error) {
	var r Reaction
	var rts int64
	if err := rows.Scan(ts, id, &r.SenderID, &r.Emoji, &rts, &r.Count); err != nil {
		return nil, err
	}
	r.Time = partTime(rts)
	if r.Count == 1 {
		r.Count = 0
	}
	return func(m *Message) { m.Reactions = append(m.Reactions, r) }, nil
}

// scanRemovalPart reads a reaction taken back: the dump carries it as a reaction without an
// emoji, at the time it was taken back.
func scanRemovalPart(rows *sql.Rows, ts, id *int64) (func(*Message), error) {
	var r Reaction
	var rts int64
	if err := rows.Scan(ts, id, &r.SenderID, &rts); err != nil {
		return nil, err
	}
	r.Time = partTime(rts)
	return func(m *Message) { m.Reactions = append(m.Reactions, r) }, nil
}

func scanKeyPart(rows *sql.Rows, ts, id *int64) (func(*Message), error) {
	var k string
	err := rows.Scan(ts, id, &k)
	return func(m *Message) { m.Keys = append(m.Keys, k) }, err
}

func scanRevisionPart(rows *sql.Rows, ts, id *int64) (func(*Message), error) {
	var rts int64
	var text string
	err := rows.Scan(ts, id, &rts, &text)
	return func(m *Message) { m.Revisions = append(m.Revisions, Revision{Time: partTime(rts), Text: text}) }, err
}

func scanVotePart(rows *sql.Rows, ts, id *int64) (func(*Message), error) {
	var voter, vts int64
	var option int
	err := rows.Scan(ts, id, &voter, &option, &vts)
	return func(m *Message) { m.Votes = append(m.Votes, Vote{VoterID: voter, Option: option, Time: partTime(vts)}) }, err
}

func scanSourcePart(rows *sql.Rows, ts, id *int64) (func(*Message), error) {
	var src MessageSource
	err := rows.Scan(ts, id, &src.ImportID, &src.SrcPos, &src.Raw)
	return func(m *Message) { m.Sources = append(m.Sources, src) }, err
}

// partTime reads a part's optional Unix ms time (0: none).
func partTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
