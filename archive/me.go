package archive

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Author is someone who wrote in a conversation, with how many messages.
type Author struct {
	ParticipantID int64  `json:"-"`
	Key           string `json:"key"`
	Name          string `json:"name"`
	Messages      int    `json:"messages"`
	Mine          bool   `json:"mine,omitempty"` // their messages here are marked as the user's
	isMe          bool   // marked as the user in the archive (here or in another conversation)
}

// MeChat says who the user is in one conversation, or, when no message is marked as the user's,
// who wrote and who the user probably is.
type MeChat struct {
	ConversationID int64            `json:"id"`
	Service        string           `json:"service"`
	Title          string           `json:"title"`
	Kind           ConversationKind `json:"kind"`
	MeKnown        bool             `json:"me_known"`     // some message is marked as the user's
	Me             string           `json:"me,omitempty"` // the author of those messages, when they name one
	Authors        []Author         `json:"authors"`      // most messages first
	Guess          *MeGuess         `json:"guess,omitempty"`
}

// MeGuess is a suggestion of who the user is in a conversation, with the reason. It is never
// applied by itself: the user confirms it (`chatvault me NAME --chat CHAT`).
type MeGuess struct {
	Name string `json:"name"`
	Why  string `json:"why"`
}

// MeUnknown is what an import report says of a conversation whose messages it could not tell the
// user's from: the names it saw and, when one stands out, a guess.
type MeUnknown struct {
	Conversation string   `json:"conversation"`
	Names        []string `json:"names"`
	Guess        *MeGuess `json:"guess,omitempty"`
}

// MeChats lists, for every conversation someone wrote in, who the user is or a guess.
func (v *View) MeChats(ctx context.Context) ([]MeChat, error) { return v.meChats(ctx, nil) }

// meChats is MeChats for the conversations in only (all when nil): it reads only their messages.
func (v *View) meChats(ctx context.Context, only map[int64]string) ([]MeChat, error) {
	convs, err := v.allConversations(ctx)
	if err != nil {
		return nil, err
	}
	where := ""
	if only != nil {
		ids := make([]string, 0, len(only))
		for id := range only {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		where = " AND m.conversation_id IN (" + strings.Join(ids, ",") + ")"
	}
	byID := map[int64]*MeChat{}
	rows, err := v.q.QueryContext(ctx, `SELECT m.conversation_id, coalesce(m.sender_id, 0), coalesce(p.key, ''), coalesce(p.name, ''),
		coalesce(p.is_me, 0), count(*), max(m.from_me)
		FROM messages m LEFT JOIN participants p ON p.id = m.sender_id
		WHERE m.kind <> 'system'`+where+`
		GROUP BY m.conversation_id, m.sender_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var conv int64
		var a Author
		if err := rows.Scan(&conv, &a.ParticipantID, &a.Key, &a.Name, &a.isMe, &a.Messages, &a.Mine); err != nil {
			return nil, err
		}
		c := byID[conv]
		if c == nil {
			c = &MeChat{ConversationID: conv}
			byID[conv] = c
		}
		c.MeKnown = c.MeKnown || a.Mine
		if a.ParticipantID == 0 {
			continue // own messages a database stores without a sender, or senderless non-system rows
		}
		if a.Name == "" {
			a.Name = a.Key
		}
		if a.Mine {
			c.Me = a.Name
		}
		c.Authors = append(c.Authors, a)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	out := make([]MeChat, 0, len(byID))
	for _, cv := range convs {
		c := byID[cv.ID]
		if c == nil || len(c.Authors) == 0 {
			continue
		}
		c.Service, c.Title, c.Kind = cv.Service, cv.Title, cv.Kind
		sort.SliceStable(c.Authors, func(i, j int) bool {
			if c.Authors[i].Messages != c.Authors[j].Messages {
				return c.Authors[i].Messages > c.Authors[j].Messages
			}
			return c.Authors[i].Name < c.Authors[j].Name
		})
		out = append(out, *c)
	}
	pairs, err := v.twoPersonChats(ctx)
	if err != nil {
		return nil, err
	}
	guessMe(out, pairs)
	return out, nil
}

// twoPersonChats lists the members of every conversation of exactly two members (from the
// members table, so it costs nothing like reading the messages).
func (v *View) twoPersonChats(ctx context.Context) ([][2]int64, error) {
	rows, err := v.q.QueryContext(ctx, `SELECT conversation_id, participant_id FROM conversation_members
		WHERE conversation_id IN (SELECT conversation_id FROM conversation_members GROUP BY conversation_id HAVING count(*) = 2)
		ORDER BY conversation_id, participant_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]int64
	last := int64(-1)
	for rows.Next() {
		var conv, p int64
		if err := rows.Scan(&conv, &p); err != nil {
			return nil, err
		}
		if conv != last {
			out = append(out, [2]int64{p, 0})
			last = conv
		} else {
			out[len(out)-1][1] = p
		}
	}
	return out, rows.Err()
}

// guessMe fills in a guess for every conversation where the user is unknown and one author
// stands out: someone already marked as the user elsewhere; else the one author of every
// two-person conversation; else, in a two-person chat named after one author, the other.
func guessMe(chats []MeChat, pairs [][2]int64) {
	everywhere := int64(0) // the one participant who is in every two-person conversation
	if len(pairs) >= 2 {
		count := map[int64]int{}
		for _, p := range pairs {
			count[p[0]]++
			count[p[1]]++
		}
		for id, n := range count {
			if n == len(pairs) {
				if everywhere != 0 {
					everywhere = -1 // two of them: no guess
					break
				}
				everywhere = id
			}
		}
	}
	for i := range chats {
		c := &chats[i]
		if c.MeKnown || len(c.Authors) < 2 {
			continue
		}
		var marked []Author
		for _, a := range c.Authors {
			if a.isMe {
				marked = append(marked, a)
			}
		}
		if len(marked) == 1 {
			c.Guess = &MeGuess{Name: marked[0].Name, Why: "you are " + marked[0].Name + " in other chats"}
			continue
		}
		if everywhere > 0 {
			if a, ok := authorByID(c.Authors, everywhere); ok {
				c.Guess = &MeGuess{Name: a.Name, Why: fmt.Sprintf("%s is in all %d two-person chats", a.Name, len(pairs))}
				continue
			}
		}
		if len(c.Authors) == 2 {
			for j, a := range c.Authors {
				other := c.Authors[1-j]
				if namedAfter(c.Title, a.Name) && !namedAfter(c.Title, other.Name) {
					c.Guess = &MeGuess{Name: other.Name, Why: "the chat is named after " + a.Name}
				}
			}
		}
	}
}

// namedAfter says whether a chat's title names this person: the whole name or its first words
// ("Alice" for "Alice Liddell").
func namedAfter(title, name string) bool {
	title, name = strings.ToLower(strings.TrimSpace(title)), strings.ToLower(strings.TrimSpace(name))
	return title != "" && (name == title || strings.HasPrefix(name, title+" "))
}

func authorByID(as []Author, id int64) (Author, bool) {
	for _, a := range as {
		if a.ParticipantID == id {
			return a, true
		}
	}
	return Author{}, false
}

// meUnknown lists the conversations of this import in which no message is the user's though two
// or more people wrote, for the report.
func (im *Import) meUnknown() ([]MeUnknown, error) {
	chats, err := (&View{q: im.tx}).meChats(im.ctx, im.convs)
	if err != nil {
		return nil, err
	}
	var out []MeUnknown
	for _, c := range chats {
		if _, ours := im.convs[c.ConversationID]; !ours || c.MeKnown || len(c.Authors) < 2 {
			continue
		}
		u := MeUnknown{Conversation: c.Title, Guess: c.Guess}
		for _, a := range c.Authors {
			u.Names = append(u.Names, a.Name)
		}
		out = append(out, u)
	}
	return out, nil
}

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
	chats, err := (&View{q: tx}).MeChats(ctx)
	if err != nil {
		return nil, mapBusy(err)
	}
	want := map[int64]bool{}
	for _, id := range convIDs {
		want[id] = true
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
	return res, mapBusy(tx.Commit())
}

// noteMeUnknown puts the conversations whose user is unknown into the report (not for a restore,
// which brings back what a report already said).
func (im *Import) noteMeUnknown() error {
	if im.info.Restore {
		return nil
	}
	u, err := im.meUnknown()
	im.report.MeUnknown = u
	return err
}

// MeKnown says whether any message of a conversation is marked as the user's.
func (v *View) MeKnown(ctx context.Context, conversationID int64) (bool, error) {
	var known bool
	err := v.q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ? AND from_me = 1)`, conversationID).Scan(&known)
	return known, err
}
