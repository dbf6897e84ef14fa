package archive

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
)

// UnknownAuthorError means nobody of that name wrote in the conversations asked about; Seen are
// the names that did.
type UnknownAuthorError struct {
	Name string
	Seen []string
}

func (e *UnknownAuthorError) Error() string {
	return fmt.Sprintf("nobody called %q wrote there; names seen: %s", e.Name, strings.Join(e.Seen, ", "))
}

// SetMeResult says what SetMe changed.
type SetMeResult struct {
	Name     string         `json:"name"`
	Marked   []MarkedChat   `json:"marked"`            // conversations whose messages were marked
	Already  []string       `json:"already,omitempty"` // conversations where they already were
	Conflict []MeConflicted `json:"conflict,omitempty"`
}

// MarkedChat is one conversation SetMe changed.
type MarkedChat struct {
	Conversation string `json:"conversation"`
	Messages     int    `json:"messages"`
}

// MeConflicted is a conversation left alone because another author is the user there.
type MeConflicted struct {
	Conversation string `json:"conversation"`
	Me           string `json:"me"`
}

// SetMe says that the author called name (a display name, ignoring case, or a participant key)
// is the user: their messages in the given conversations (every conversation they wrote in, when
// convIDs is empty) become the user's, and later imports recognise them as the user. Conversations
// where someone else is already the user are left alone and listed. The months whose messages
// changed are marked changed, so the next backup carries them. An unknown name is
// ErrUnknownAuthor with the names seen in those conversations.
func (a *Archive) SetMe(ctx context.Context, name string, convIDs []int64) (*SetMeResult, error) {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, mapBusy(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op

	var only map[int64]string // nil: every conversation
	want := map[int64]bool{}
	for _, id := range convIDs {
		if only == nil {
			only = map[int64]string{}
		}
		only[id], want[id] = "", true
	}
	chats, err := (&View{q: tx}).meChats(ctx, only)
	if err != nil {
		return nil, mapBusy(err)
	}
	res := &SetMeResult{Name: name, Marked: []MarkedChat{}}
	var seen []string
	seenSet := map[string]bool{}
	type target struct {
		conv   int64
		title  string
		author Author
	}
	var targets []target
	for _, c := range chats {
		if len(want) > 0 && !want[c.ConversationID] {
			continue
		}
		var match *Author
		for i, au := range c.Authors {
			if !seenSet[au.Name] {
				seenSet[au.Name] = true
				seen = append(seen, au.Name)
			}
			if strings.EqualFold(strings.TrimSpace(au.Name), strings.TrimSpace(name)) || au.Key == name {
				match = &c.Authors[i]
			}
		}
		switch {
		case match == nil:
		case match.Mine:
			res.Already = append(res.Already, c.Title)
		case c.MeKnown:
			me := c.Me
			if me == "" {
				me = "a sender the source does not name"
			}
			res.Conflict = append(res.Conflict, MeConflicted{Conversation: c.Title, Me: me})
		default:
			targets = append(targets, target{c.ConversationID, c.Title, *match})
		}
	}
	if len(targets) == 0 && len(res.Already) == 0 && len(res.Conflict) == 0 {
		sort.Strings(seen)
		return nil, &UnknownAuthorError{Name: name, Seen: seen}
	}
	now := time.Now().UnixMilli()
	for _, t := range targets {
		// The months first: afterwards the rows no longer say which ones changed.
		if _, err := tx.ExecContext(ctx, `UPDATE dump_months SET changed_at = max(?1, changed_at + 1)
			WHERE conversation_id = ?2 AND month IN (SELECT DISTINCT strftime('%Y-%m', ts / 1000, 'unixepoch')
				FROM messages WHERE conversation_id = ?2 AND sender_id = ?3 AND from_me = 0)`,
			now, t.conv, t.author.ParticipantID); err != nil {
			return nil, mapBusy(err)
		}
		r, err := tx.ExecContext(ctx, `UPDATE messages SET from_me = 1 WHERE conversation_id = ? AND sender_id = ? AND from_me = 0`,
			t.conv, t.author.ParticipantID)
		if err != nil {
			return nil, mapBusy(err)
		}
		n, _ := r.RowsAffected()
		if _, err := tx.ExecContext(ctx, `UPDATE participants SET is_me = 1 WHERE id = ?`, t.author.ParticipantID); err != nil {
			return nil, mapBusy(err)
		}
		res.Marked = append(res.Marked, MarkedChat{Conversation: t.title, Messages: int(n)})
		res.Name = t.author.Name
	}
	if len(targets) > 0 {
		if err := countMeMark(ctx, tx); err != nil {
			return nil, mapBusy(err)
		}
	}
	return res, mapBusy(tx.Commit())
}

// MeMarks counts how often messages already stored were marked as the user's (SetMe, or an
// import's --me over messages it had before): with the newest message id it tells a reader that
// its cached view of who is "me" is stale.
func (v *View) MeMarks(ctx context.Context) (int64, error) {
	var n int64
	err := v.q.QueryRowContext(ctx, `SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'me_marks'), 0)`).Scan(&n)
	return n, err
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func countMeMark(ctx context.Context, tx execer) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES('me_marks', '1')
		ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`)
	return err
}
