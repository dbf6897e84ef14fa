package archive

import (
	"context"
	"sort"
	"strconv"
	"strings"
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
	people, err := v.ParticipantMap(ctx)
	if err != nil {
		return nil, err
	}
	where := ""
	if only != nil {
		where = " AND conversation_id IN (" + idList(only) + ")"
	}
	byID := map[int64]*MeChat{}
	// No join: grouping the bare rows is twice as fast, and the participants are few.
	rows, err := v.q.QueryContext(ctx, `SELECT conversation_id, coalesce(sender_id, 0), count(*), max(from_me)
		FROM messages WHERE kind <> 'system'`+where+` GROUP BY conversation_id, sender_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var conv int64
		var a Author
		if err := rows.Scan(&conv, &a.ParticipantID, &a.Messages, &a.Mine); err != nil {
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
		p := people[a.ParticipantID]
		a.Key, a.Name, a.isMe = p.Key, p.Name, p.IsMe
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

// meUnknown lists the conversations of this import in which no message is the user's though two
// or more people are in it, for the report. It reads the members, not the messages: an import
// of a big chat must not pay a second pass over it.
func (im *Import) meUnknown() ([]MeUnknown, error) {
	var chats []MeChat
	for id, title := range im.convs {
		known, err := im.hasFromMe(id)
		if err != nil {
			return nil, err
		}
		if known {
			continue
		}
		c := MeChat{ConversationID: id, Title: title}
		rows, err := im.tx.QueryContext(im.ctx, `SELECT p.id, p.key, p.name, p.is_me FROM conversation_members cm
			JOIN participants p ON p.id = cm.participant_id WHERE cm.conversation_id = ? ORDER BY p.name, p.key`, id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a Author
			if err := rows.Scan(&a.ParticipantID, &a.Key, &a.Name, &a.isMe); err != nil {
				rows.Close()
				return nil, err
			}
			if a.Name == "" {
				a.Name = a.Key
			}
			c.Authors = append(c.Authors, a)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if len(c.Authors) >= 2 {
			chats = append(chats, c)
		}
	}
	if len(chats) == 0 {
		return nil, nil
	}
	pairs, err := im.twoPersonPairs()
	if err != nil {
		return nil, err
	}
	guessMe(chats, pairs)
	sort.Slice(chats, func(i, j int) bool { return chats[i].ConversationID < chats[j].ConversationID })
	var out []MeUnknown
	for _, c := range chats {
		u := MeUnknown{Conversation: c.Title, Guess: c.Guess}
		for _, a := range c.Authors {
			u.Names = append(u.Names, a.Name)
		}
		out = append(out, u)
	}
	return out, nil
}

// hasFromMe reports whether a conversation of this import holds a message the user sent. For a
// conversation this import created, what the writer saw answers it: asking the table would read
// every message of a chat whose user is unknown (0.17 s of a 1,000,000-message first import).
// A merge can rewrite from_me, so a conversation with merges is asked.
func (im *Import) hasFromMe(id int64) (bool, error) {
	if im.meMarked[id] {
		return true, nil
	}
	if st := im.convState[id]; im.newConvs[id] && (st == nil || !st.merged) {
		return st != nil && st.fromMe, nil
	}
	var known bool
	err := im.tx.QueryRowContext(im.ctx, `SELECT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ? AND from_me = 1)`, id).Scan(&known)
	return known, err
}

func idList(ids map[int64]string) string {
	s := make([]string, 0, len(ids))
	for id := range ids {
		s = append(s, strconv.FormatInt(id, 10))
	}
	return strings.Join(s, ",")
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
