package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
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
	ids := make([]any, len(page))
	for i, m := range page {
		byID[m.ID] = m
		ids[i] = m.ID
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
	rows, err := v.q.QueryContext(ctx, `SELECT message_id, kind, file_name, mime, size, coalesce(sha256, ''), details
		FROM attachments WHERE message_id IN `+in+` ORDER BY message_id, ord`, ids...)
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
	rows, err = v.q.QueryContext(ctx, `SELECT message_id, sender_id, emoji, ts FROM reactions WHERE message_id IN `+in+
		` ORDER BY message_id, ts, sender_id, emoji`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, ts int64
		var r Reaction
		if err := rows.Scan(&id, &r.SenderID, &r.Emoji, &ts); err != nil {
			return err
		}
		if ts != 0 {
			r.Time = time.UnixMilli(ts).UTC()
		}
		byID[id].Reactions = append(byID[id].Reactions, r)
	}
	return rows.Err()
}
