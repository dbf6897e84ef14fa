package archive

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// ConversationSummary is a conversation with its counts.
type ConversationSummary struct {
	Conversation
	Messages     int       `json:"messages"`
	First        time.Time `json:"first"`
	Last         time.Time `json:"last"`
	Participants int       `json:"participants"`
	// MeKnown: some message is marked as the user's. When none is (a text export that does not
	// say who exported it), renderings name every sender.
	MeKnown bool `json:"me_known"`
}

// Conversations lists every conversation with message counts and first and last dates,
// most recently active first.
func (v *View) Conversations(ctx context.Context) ([]ConversationSummary, error) {
	rows, err := v.q.QueryContext(ctx, `SELECT c.id, c.service, c.key, c.title, c.kind,
		coalesce(s.n, 0), coalesce(s.first, 0), coalesce(s.last, 0),
		(SELECT count(*) FROM conversation_members cm WHERE cm.conversation_id = c.id), coalesce(s.mine, 0)
		FROM conversations c
		LEFT JOIN (SELECT conversation_id, count(*) AS n, min(ts) AS first, max(ts) AS last, max(from_me) AS mine
			FROM messages GROUP BY conversation_id) s
			ON s.conversation_id = c.id
		ORDER BY coalesce(s.last, 0) DESC, c.title`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ConversationSummary
	for rows.Next() {
		var c ConversationSummary
		var kind string
		var first, last int64
		if err := rows.Scan(&c.ID, &c.Service, &c.Key, &c.Title, &kind, &c.Messages, &first, &last, &c.Participants, &c.MeKnown); err != nil {
			return nil, err
		}
		c.Kind = ConversationKind(kind)
		if c.Messages > 0 {
			c.First, c.Last = time.UnixMilli(first).UTC(), time.UnixMilli(last).UTC()
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ConversationByID returns one conversation.
func (v *View) ConversationByID(ctx context.Context, id int64) (Conversation, error) {
	var c Conversation
	var kind string
	err := v.q.QueryRowContext(ctx, `SELECT id, service, key, title, kind FROM conversations WHERE id=?`, id).
		Scan(&c.ID, &c.Service, &c.Key, &c.Title, &kind)
	c.Kind = ConversationKind(kind)
	return c, err
}

// ErrNoConversation means no conversation matches a name.
var ErrNoConversation = fmt.Errorf("no such conversation")

// FindConversations returns the conversations a user means by name: an exact title (ignoring
// case) wins; otherwise every conversation whose title contains the name; a numeric id or a
// service key also works.
func (v *View) FindConversations(ctx context.Context, name string) ([]Conversation, error) {
	all, err := v.allConversations(ctx)
	if err != nil {
		return nil, err
	}
	var exact, partial []Conversation
	lname := strings.ToLower(strings.TrimSpace(name))
	for _, c := range all {
		lt := strings.ToLower(c.Title)
		switch {
		case lt == lname || c.Key == name || fmt.Sprint(c.ID) == name:
			exact = append(exact, c)
		case strings.Contains(lt, lname):
			partial = append(partial, c)
		}
	}
	if len(exact) > 0 {
		return exact, nil
	}
	if len(partial) > 0 {
		return partial, nil
	}
	return nil, fmt.Errorf("%w matches %q: `chatvault chats` lists them", ErrNoConversation, name)
}

// ConversationList lists every conversation, without counts: unlike Conversations it reads no
// message, so it costs the same whatever the archive's size (a backup with nothing changed needs
// only this).
func (v *View) ConversationList(ctx context.Context) ([]Conversation, error) {
	return v.allConversations(ctx)
}

func (v *View) allConversations(ctx context.Context) ([]Conversation, error) {
	rows, err := v.q.QueryContext(ctx, `SELECT id, service, key, title, kind FROM conversations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Conversation
	for rows.Next() {
		var c Conversation
		var kind string
		if err := rows.Scan(&c.ID, &c.Service, &c.Key, &c.Title, &kind); err != nil {
			return nil, err
		}
		c.Kind = ConversationKind(kind)
		out = append(out, c)
	}
	return out, rows.Err()
}

// MessageQuery selects messages of one conversation (or all, ConversationID 0) in time order.
type MessageQuery struct {
	ConversationID int64
	Since, Until   time.Time // Until is exclusive; zero = unbounded
	Desc           bool      // newest first
	Limit          int       // 0 = all
	// After continues from a previous page: messages strictly after (or, Desc, before) this position.
	After *Position
	// WithParts loads attachments and reactions.
	WithParts bool
}

// Position is a place in a conversation's timeline, for paging.
type Position struct {
	Time time.Time
	ID   int64
}

const messagePage = 500

// EachMessage streams the selected messages to fn in pages, so memory stays bounded.
// The *Message passed to fn is only valid during the call.
func (v *View) EachMessage(ctx context.Context, q MessageQuery, fn func(*Message) error) error {
	order := "ts, id"
	if q.Desc {
		order = "ts DESC, id DESC"
	}
	pos := q.After
	return v.eachPage(ctx, q.Limit, q.WithParts, func(last *Message, n int) (string, []any) {
		if last != nil {
			pos = &Position{Time: last.Time, ID: last.ID}
		}
		where, args := q.where(pos)
		return messageSelect + where + " ORDER BY " + order + fmt.Sprintf(" LIMIT %d", n), args
	}, fn)
}

// eachPage runs a paged message query: page builds the query for up to n messages after last
// (nil for the first page); paging stops at a short page or after limit messages (0: no limit).
func (v *View) eachPage(ctx context.Context, limit int, withParts bool, page func(last *Message, n int) (string, []any), fn func(*Message) error) error {
	sent := 0
	msgs := make([]*Message, 0, messagePage)
	buf := make([]Message, messagePage)
	var last *Message
	for {
		n := messagePage
		if limit > 0 {
			n = min(n, limit-sent)
		}
		if n <= 0 {
			return nil
		}
		query, args := page(last, n)
		rows, err := v.q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		msgs = msgs[:0]
		for rows.Next() {
			m := &buf[len(msgs)]
			if err := scanMessage(rows, m); err != nil {
				rows.Close()
				return err
			}
			msgs = append(msgs, m)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if withParts {
			if err := v.loadParts(ctx, msgs); err != nil {
				return err
			}
		}
		for _, m := range msgs {
			if err := fn(m); err != nil {
				return err
			}
		}
		sent += len(msgs)
		if len(msgs) < n {
			return nil
		}
		last = msgs[len(msgs)-1]
	}
}

func (q *MessageQuery) where(pos *Position) (string, []any) {
	var conds []string
	var args []any
	if q.ConversationID != 0 {
		conds = append(conds, "conversation_id = ?")
		args = append(args, q.ConversationID)
	}
	if !q.Since.IsZero() {
		conds = append(conds, "ts >= ?")
		args = append(args, q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		conds = append(conds, "ts < ?")
		args = append(args, q.Until.UnixMilli())
	}
	if pos != nil {
		op := ">"
		if q.Desc {
			op = "<"
		}
		conds = append(conds, "(ts, id) "+op+" (?, ?)")
		args = append(args, pos.Time.UnixMilli(), pos.ID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ErrNotFound means no message has the key asked for.
var ErrNotFound = sql.ErrNoRows

// MessageByUID finds one message of a conversation by its uid or any other key it is known by
// (for replies, which name the message as their source knew it).
func (v *View) MessageByUID(ctx context.Context, conversationID int64, uid string) (*Message, error) {
	rows, err := v.q.QueryContext(ctx, messageSelect+` WHERE conversation_id=?1 AND (uid=?2
		OR id = (SELECT message_id FROM message_keys WHERE conversation_id=?1 AND key=?2)) LIMIT 1`, conversationID, uid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, sql.ErrNoRows
	}
	m := &Message{}
	if err := scanMessage(rows, m); err != nil {
		return nil, err
	}
	rows.Close()
	return m, v.loadParts(ctx, []*Message{m})
}

// ParticipantSummary is a participant with how many messages they sent.
type ParticipantSummary struct {
	Participant
	Messages      int `json:"messages"`
	Conversations int `json:"conversations"`
}

// Participants lists everyone in the archive (the contacts), most active first.
func (v *View) Participants(ctx context.Context) ([]ParticipantSummary, error) {
	rows, err := v.q.QueryContext(ctx, `SELECT p.id, p.service, p.key, p.name, p.phone, p.is_me,
		coalesce(s.n, 0), (SELECT count(*) FROM conversation_members cm WHERE cm.participant_id = p.id)
		FROM participants p
		LEFT JOIN (SELECT sender_id, count(*) AS n FROM messages WHERE sender_id IS NOT NULL GROUP BY sender_id) s ON s.sender_id = p.id
		ORDER BY coalesce(s.n, 0) DESC, p.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ParticipantSummary
	for rows.Next() {
		var p ParticipantSummary
		if err := rows.Scan(&p.ID, &p.Service, &p.Key, &p.Name, &p.Phone, &p.IsMe, &p.Messages, &p.Conversations); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ParticipantMap returns every participant by id, for rendering senders.
func (v *View) ParticipantMap(ctx context.Context) (map[int64]Participant, error) {
	rows, err := v.q.QueryContext(ctx, `SELECT id, service, key, name, phone, is_me FROM participants`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]Participant{}
	for rows.Next() {
		var p Participant
		if err := rows.Scan(&p.ID, &p.Service, &p.Key, &p.Name, &p.Phone, &p.IsMe); err != nil {
			return nil, err
		}
		out[p.ID] = p
	}
	return out, rows.Err()
}

// Stats are the archive's totals.
type Stats struct {
	Conversations int       `json:"conversations"`
	Messages      int       `json:"messages"`
	Participants  int       `json:"participants"`
	Attachments   int       `json:"attachments"`
	MediaMissing  int       `json:"media_missing"`
	MediaFiles    int       `json:"media_files"`
	MediaBytes    int64     `json:"media_bytes"`
	Imports       int       `json:"imports"`
	First         time.Time `json:"first,omitzero"`
	Last          time.Time `json:"last,omitzero"`
	SchemaVersion int       `json:"schema_version"`
}

// Stats counts what the archive holds.
func (v *View) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	var first, last sql.NullInt64
	err := v.q.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM conversations),
		(SELECT count(*) FROM messages),
		(SELECT count(*) FROM participants),
		(SELECT count(*) FROM attachments),
		(SELECT count(*) FROM attachments WHERE sha256 IS NULL),
		(SELECT count(*) FROM media),
		(SELECT coalesce(sum(size), 0) FROM media),
		(SELECT count(*) FROM imports),
		(SELECT min(ts) FROM messages),
		(SELECT max(ts) FROM messages)`).
		Scan(&s.Conversations, &s.Messages, &s.Participants, &s.Attachments, &s.MediaMissing, &s.MediaFiles,
			&s.MediaBytes, &s.Imports, &first, &last)
	if first.Valid {
		s.First, s.Last = time.UnixMilli(first.Int64).UTC(), time.UnixMilli(last.Int64).UTC()
	}
	s.SchemaVersion = SchemaVersion
	return s, err
}
