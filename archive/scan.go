package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"
)

const messageSelect = `SELECT id, conversation_id, uid, ts, ts_offset, ts_assumed, coalesce(sender_id, 0), from_me, kind, text,
	flags, reply_to, details, import_id, src_pos, raw FROM messages`

func scanMessage(rows *sql.Rows, m *Message) error {
	var ts int64
	var offset sql.NullInt64
	var kind, details string
	var flags int64
	err := rows.Scan(&m.ID, &m.ConversationID, &m.UID, &ts, &offset, &m.OffsetAssumed, &m.SenderID, &m.FromMe, &kind,
		&m.Text, &flags, &m.ReplyTo, &details, &m.ImportID, &m.SrcPos, &m.Raw)
	if err != nil {
		return err
	}
	m.Time = time.UnixMilli(ts).UTC()
	m.OffsetKnown, m.Offset = offset.Valid, int(offset.Int64)
	if m.OffsetKnown {
		m.Time = m.Time.In(time.FixedZone("", m.Offset))
	}
	m.Kind = Kind(kind)
	m.Flags = Flags(flags)
	m.Details = parseDetails(details)
	m.Attachments, m.Reactions = nil, nil
	m.Keys, m.Revisions, m.Votes, m.Sources = nil, nil, nil, nil
	return nil
}

func parseDetails(s string) *Details {
	if s == "" {
		return nil
	}
	var d Details
	if json.Unmarshal([]byte(s), &d) != nil {
		return nil
	}
	return &d
}

// loadParts fills in the attachments and reactions of a page of messages with two queries.
func (v *View) loadParts(ctx context.Context, page []*Message) error {
	if len(page) == 0 {
		return nil
	}
	byID := make(map[int64]*Message, len(page))
	ids := make([]int64, len(page))
	for i, m := range page {
		byID[m.ID] = m
		ids[i] = m.ID
	}
	in, list := inIDs, jsonIDs(ids)
	rows, err := v.q.QueryContext(ctx, `SELECT message_id, kind, file_name, mime, size, coalesce(sha256, ''), details
		FROM attachments WHERE message_id `+in+` ORDER BY message_id, ord`, list)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var at Attachment
		var kind, details string
		if err := rows.Scan(&id, &kind, &at.FileName, &at.MIME, &at.Size, &at.SHA256, &details); err != nil {
			rows.Close()
			return err
		}
		at.Kind, at.Details = Kind(kind), parseDetails(details)
		byID[id].Attachments = append(byID[id].Attachments, at)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rows, err = v.q.QueryContext(ctx, `SELECT message_id, sender_id, emoji, ts, count FROM reactions WHERE message_id `+in+
		` ORDER BY message_id, ts, sender_id, emoji`, list)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, ts int64
		var r Reaction
		if err := rows.Scan(&id, &r.SenderID, &r.Emoji, &ts, &r.Count); err != nil {
			rows.Close()
			return err
		}
		if ts != 0 {
			r.Time = time.UnixMilli(ts).UTC()
		}
		if r.Count == 1 {
			r.Count = 0
		}
		byID[id].Reactions = append(byID[id].Reactions, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	return v.loadIdentityParts(ctx, byID, list)
}

// loadIdentityParts fills in what schema 2 added: other keys, revisions, votes, other sources.
// Archives of one source have none, and one probe skips the four queries.
func (v *View) loadIdentityParts(ctx context.Context, byID map[int64]*Message, list string) error {
	const in = inIDs
	var any int
	if err := v.q.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM message_keys) OR EXISTS(SELECT 1 FROM revisions)
		OR EXISTS(SELECT 1 FROM poll_votes) OR EXISTS(SELECT 1 FROM message_sources)`).Scan(&any); err != nil || any == 0 {
		return err
	}
	type part struct {
		query string
		scan  func(rows *sql.Rows) (int64, func(m *Message), error)
	}
	at := func(ts int64) time.Time {
		if ts == 0 {
			return time.Time{}
		}
		return time.UnixMilli(ts).UTC()
	}
	parts := []part{
		{`SELECT message_id, key FROM message_keys WHERE message_id ` + in + ` ORDER BY message_id, key`, func(rows *sql.Rows) (int64, func(*Message), error) {
			var id int64
			var k string
			err := rows.Scan(&id, &k)
			return id, func(m *Message) { m.Keys = append(m.Keys, k) }, err
		}},
		{`SELECT message_id, ts, text FROM revisions WHERE message_id ` + in + ` ORDER BY message_id, ts, text`, func(rows *sql.Rows) (int64, func(*Message), error) {
			var id, ts int64
			var text string
			err := rows.Scan(&id, &ts, &text)
			return id, func(m *Message) { m.Revisions = append(m.Revisions, Revision{Time: at(ts), Text: text}) }, err
		}},
		{`SELECT message_id, voter_id, option, ts FROM poll_votes WHERE message_id ` + in + ` ORDER BY message_id, option, voter_id`, func(rows *sql.Rows) (int64, func(*Message), error) {
			var id, ts, voter int64
			var option int
			err := rows.Scan(&id, &voter, &option, &ts)
			return id, func(m *Message) { m.Votes = append(m.Votes, Vote{VoterID: voter, Option: option, Time: at(ts)}) }, err
		}},
		{`SELECT message_id, import_id, src_pos, raw FROM message_sources WHERE message_id ` + in + ` ORDER BY message_id, import_id`, func(rows *sql.Rows) (int64, func(*Message), error) {
			var id int64
			var src MessageSource
			err := rows.Scan(&id, &src.ImportID, &src.SrcPos, &src.Raw)
			return id, func(m *Message) { m.Sources = append(m.Sources, src) }, err
		}},
	}
	for _, p := range parts {
		rows, err := v.q.QueryContext(ctx, p.query, list)
		if err != nil {
			return err
		}
		for rows.Next() {
			id, apply, err := p.scan(rows)
			if err != nil {
				rows.Close()
				return err
			}
			apply(byID[id])
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	return nil
}
