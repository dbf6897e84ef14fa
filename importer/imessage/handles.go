package imessage

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/chatvault/chatvault/archive"
)

// handle is a row of the handle table: one address (phone number or Apple ID e-mail) on one
// service. The same number on iMessage and SMS is two handles and one person.
type handle struct {
	id      string
	service string
}

// chat is a row of the chat table with its members (chat_handle_join).
type chat struct {
	guid, identifier, service, name, room string
	style                                 int64
	members                               []int64
}

// chatStyleGroup is chat.style for group chats (45 is one-to-one), as every reader of the
// schema has it (imessage-exporter, plaso's chat.db: 45 for its one-to-one chats).
const chatStyleGroup = 43

func (r *reader) loadHandles() error {
	r.handles = map[int64]handle{}
	rows, err := r.db.QueryContext(r.ctx, `SELECT ROWID, id, service FROM handle`)
	if err != nil {
		return r.bad("handle table: %s", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var addr, svc sql.NullString
		if err := rows.Scan(&id, &addr, &svc); err != nil {
			return r.bad("handle table: %s", err)
		}
		r.handles[id] = handle{id: addr.String, service: svc.String}
	}
	return rows.Err()
}

func (r *reader) loadChats() error {
	r.chats = map[int64]*chat{}
	if !r.tables["chat"] {
		return nil
	}
	cols, err := r.db.Columns("chat")
	if err != nil {
		return r.bad("chat table: %s", err)
	}
	q := "SELECT ROWID, " + pick(cols, "guid", "chat_identifier", "service_name", "display_name", "room_name", "style") + " FROM chat"
	rows, err := r.db.QueryContext(r.ctx, q)
	if err != nil {
		return r.bad("chat table: %s", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var guid, ident, svc, name, room sql.NullString
		var style sql.NullInt64
		if err := rows.Scan(&id, &guid, &ident, &svc, &name, &room, &style); err != nil {
			return r.bad("chat table: %s", err)
		}
		r.chats[id] = &chat{guid: guid.String, identifier: ident.String, service: svc.String, name: name.String, room: room.String, style: style.Int64}
	}
	if err := rows.Err(); err != nil {
		return r.bad("chat table: %s", err)
	}
	if !r.tables["chat_handle_join"] {
		return nil
	}
	rows2, err := r.db.QueryContext(r.ctx, `SELECT chat_id, handle_id FROM chat_handle_join ORDER BY chat_id, handle_id`)
	if err != nil {
		return r.bad("chat_handle_join table: %s", err)
	}
	defer rows2.Close()
	for rows2.Next() {
		var c, h sql.NullInt64
		if err := rows2.Scan(&c, &h); err != nil {
			return r.bad("chat_handle_join table: %s", err)
		}
		if ch := r.chats[c.Int64]; ch != nil {
			ch.members = append(ch.members, h.Int64)
		}
	}
	return rows2.Err()
}

// pick lists columns to select, NULL for those the table lacks, so one query fits every
// version of the schema.
func pick(cols map[string]bool, names ...string) string {
	out := make([]string, len(names))
	for i, n := range names {
		if cols[strings.ToLower(n)] {
			out[i] = n
		} else {
			out[i] = "NULL AS " + n
		}
	}
	return strings.Join(out, ", ")
}

// person returns the participant of a handle (one per address, whatever the service).
func (r *reader) person(handleID int64) (int64, error) {
	h, ok := r.handles[handleID]
	if !ok || h.id == "" {
		return 0, nil
	}
	return r.address(h.id)
}

// address returns the participant of a phone number or e-mail address.
func (r *reader) address(addr string) (int64, error) {
	key := normAddr(addr)
	if id, ok := r.people[key]; ok {
		return id, nil
	}
	p := archive.Participant{Service: Service, Key: key, Name: addr}
	if isPhone(key) {
		p.Phone = key
		p.Idents = []string{"phone:" + key}
	} else if strings.Contains(key, "@") {
		p.Idents = []string{"email:" + key}
	}
	id, err := r.im.Participant(p)
	if err != nil {
		return 0, err
	}
	r.people[key] = id
	return id, nil
}

func (r *reader) me() (int64, error) {
	if r.meID != 0 {
		return r.meID, nil
	}
	name := r.opts.Me
	if name == "" {
		name = "Me"
	}
	id, err := r.im.Participant(archive.Participant{Service: Service, Key: "me", Name: name, IsMe: true})
	r.meID = id
	return id, err
}

// normAddr is the participant key of an address: e-mail addresses in lower case, phone
// numbers without spaces and punctuation.
func normAddr(a string) string {
	a = strings.TrimSpace(a)
	if strings.Contains(a, "@") {
		return strings.ToLower(a)
	}
	var b strings.Builder
	for i, c := range a {
		if (c >= '0' && c <= '9') || (c == '+' && i == 0) {
			b.WriteRune(c)
		} else if c != ' ' && c != '-' && c != '(' && c != ')' && c != '.' {
			return a // a short code or name: keep as written
		}
	}
	return b.String()
}

func isPhone(a string) bool {
	if a == "" {
		return false
	}
	for i, c := range a {
		if !(c >= '0' && c <= '9') && !(c == '+' && i == 0) {
			return false
		}
	}
	return len(a) >= 5
}

// conversation returns the archive conversation of a chat row (chatID > 0) or, for a message
// in no chat, of its handle.
func (r *reader) conversation(chatID, handleID int64) (int64, error) {
	key := fmt.Sprintf("c%d", chatID)
	if chatID == 0 {
		key = fmt.Sprintf("h%d", handleID)
	}
	if id, ok := r.convs[key]; ok {
		return id, nil
	}
	var c archive.Conversation
	var members []int64
	if ch := r.chats[chatID]; chatID != 0 && ch != nil {
		ident := ch.identifier
		if ident == "" {
			ident = ch.guid
		}
		// The chat identifier (the other person's address, or "chat<digits>" for a group) is
		// shared by a person's iMessage and SMS threads, which Messages shows as one.
		c = archive.Conversation{Service: Service, Key: "imsg:" + normChatIdent(ident), Title: ch.name, Kind: archive.ConvDirect}
		if ch.style == chatStyleGroup || len(ch.members) > 1 {
			c.Kind = archive.ConvGroup
		}
		if c.Title == "" && c.Kind == archive.ConvDirect {
			c.Title = ident
		}
		members = ch.members
		if c.Title == "" {
			var names []string
			for _, h := range ch.members {
				names = append(names, r.handles[h].id)
			}
			c.Title = strings.Join(names, ", ")
		}
	} else if h, ok := r.handles[handleID]; ok && h.id != "" {
		c = archive.Conversation{Service: Service, Key: "imsg:" + normChatIdent(h.id), Title: h.id, Kind: archive.ConvDirect}
		members = []int64{handleID}
	} else {
		c = archive.Conversation{Service: Service, Key: "imsg:no-chat", Title: "Messages in no chat", Kind: archive.ConvGroup}
	}
	id, err := r.im.Conversation(c)
	if err != nil {
		return 0, err
	}
	for _, h := range members {
		p, err := r.person(h)
		if err != nil {
			return 0, err
		}
		if p != 0 {
			if err := r.im.Member(id, p); err != nil {
				return 0, err
			}
		}
	}
	r.convs[key] = id
	return id, nil
}

func normChatIdent(s string) string {
	if strings.Contains(s, "@") || isPhone(normAddr(s)) {
		return normAddr(s)
	}
	return s
}
