package wadb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// androidReader reads one msgstore.db into the archive.
type androidReader struct {
	ctx   context.Context
	s     *schema
	sk    *sink
	gen   generation
	where string

	jids      map[int64]string // jid._id -> raw_string
	chatsByID map[int64]*chat  // chat._id (modern)
	chatsJID  map[string]*chat // JID -> chat

	pollOptions map[int64][]pollOption // message row -> options
	vcards      map[int64][]string
	targets     map[int64][]string // system message row -> participant JIDs

	order orderBuffer // messages on their way to the archive, grouped by chat

	status, unknown, orphans, added int
	unknownCodes                    map[int64]int
}

type pollOption struct {
	id    int64
	text  string
	votes int
}

func (r *androidReader) run() error {
	if err := r.loadJIDs(); err != nil {
		return err
	}
	if err := r.loadJIDMap(); err != nil {
		return err
	}
	if err := r.loadChats(); err != nil {
		return err
	}
	if err := r.loadSide(); err != nil {
		return err
	}
	if err := r.messages(); err != nil {
		return err
	}
	if err := r.addOns(); err != nil {
		return err
	}
	if err := r.participants(); err != nil {
		return err
	}
	if err := r.callLog(); err != nil {
		return err
	}
	r.notes()
	return nil
}

func (r *androidReader) loadJIDs() error {
	r.jids = map[int64]string{}
	if !r.s.hasCols("jid", "_id", "raw_string") {
		return nil
	}
	rows, err := r.s.db.QueryContext(r.ctx, `SELECT _id, raw_string FROM jid`)
	if err != nil {
		return fmt.Errorf("table jid: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, raw any
		if err := rows.Scan(&id, &raw); err != nil {
			return err
		}
		r.jids[asInt(id)] = asString(raw)
	}
	return rows.Err()
}

func (r *androidReader) chatFor(jid, subject string) *chat {
	jid = bareJID(jid)
	if c, ok := r.chatsJID[jid]; ok {
		if c.title == "" {
			c.title = subject
		}
		return c
	}
	c := &chat{jid: jid, title: subject}
	r.chatsJID[jid] = c
	return c
}

func (r *androidReader) loadChats() error {
	r.chatsByID, r.chatsJID = map[int64]*chat{}, map[string]*chat{}
	if r.s.hasCols("chat", "_id", "jid_row_id") {
		c := &cols{}
		c.from(r.s.columns("chat"), "c", "_id", "jid_row_id", "subject")
		rows, err := r.s.db.QueryContext(r.ctx, "SELECT "+c.list()+" FROM chat c")
		if err != nil {
			return fmt.Errorf("table chat: %w", err)
		}
		defer rows.Close()
		row := newRow(c)
		for rows.Next() {
			if err := rows.Scan(row.ptrs()...); err != nil {
				return err
			}
			jid := r.jids[row.int("c_jid_row_id")]
			if jid == "" {
				continue
			}
			r.chatsByID[row.int("c__id")] = r.chatFor(jid, row.str("c_subject"))
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if r.s.hasCols("chat_list", "key_remote_jid") {
		c := &cols{}
		c.from(r.s.columns("chat_list"), "c", "key_remote_jid", "subject")
		rows, err := r.s.db.QueryContext(r.ctx, "SELECT "+c.list()+" FROM chat_list c")
		if err != nil {
			return fmt.Errorf("table chat_list: %w", err)
		}
		defer rows.Close()
		row := newRow(c)
		for rows.Next() {
			if err := rows.Scan(row.ptrs()...); err != nil {
				return err
			}
			r.chatFor(row.str("c_key_remote_jid"), row.str("c_subject"))
		}
		return rows.Err()
	}
	return nil
}

// loadSide reads the side tables with several rows per message (poll options, contact cards,
// the people a system message names): few rows, so kept in memory.
func (r *androidReader) loadSide() error {
	r.pollOptions, r.vcards, r.targets = map[int64][]pollOption{}, map[int64][]string{}, map[int64][]string{}
	if r.s.hasCols("message_poll_option", "_id", "message_row_id", "option_name") {
		c := &cols{}
		c.from(r.s.columns("message_poll_option"), "o", "_id", "message_row_id", "option_name", "vote_total")
		if err := r.each("SELECT "+c.list()+" FROM message_poll_option o ORDER BY o.message_row_id, o._id", c, func(row *row) {
			id := row.int("o_message_row_id")
			if len(r.pollOptions[id]) < 64 {
				r.pollOptions[id] = append(r.pollOptions[id], pollOption{id: row.int("o__id"), text: row.str("o_option_name"), votes: int(row.int("o_vote_total"))})
			}
		}); err != nil {
			return err
		}
	}
	if r.s.hasCols("message_vcard", "message_row_id", "vcard") {
		c := &cols{}
		c.from(r.s.columns("message_vcard"), "v", "message_row_id", "vcard")
		if err := r.each("SELECT "+c.list()+" FROM message_vcard v ORDER BY v.rowid", c, func(row *row) {
			id := row.int("v_message_row_id")
			if len(r.vcards[id]) < 64 {
				r.vcards[id] = append(r.vcards[id], row.str("v_vcard"))
			}
		}); err != nil {
			return err
		}
	}
	if r.s.hasCols("message_system_chat_participant", "message_row_id", "user_jid_row_id") {
		c := &cols{}
		c.from(r.s.columns("message_system_chat_participant"), "p", "message_row_id", "user_jid_row_id")
		if err := r.each("SELECT "+c.list()+" FROM message_system_chat_participant p ORDER BY p.rowid", c, func(row *row) {
			id := row.int("p_message_row_id")
			if j := r.jids[row.int("p_user_jid_row_id")]; j != "" && len(r.targets[id]) < 256 {
				r.targets[id] = append(r.targets[id], bareJID(j))
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

// each runs a query and calls fn per row.
func (r *androidReader) each(q string, c *cols, fn func(*row), args ...any) error {
	rows, err := r.s.db.QueryContext(r.ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	row := newRow(c)
	for rows.Next() {
		if err := rows.Scan(row.ptrs()...); err != nil {
			return err
		}
		fn(row)
	}
	return rows.Err()
}

func (r *androidReader) maxID(table string) int64 {
	var n any
	r.s.db.QueryRowContext(r.ctx, `SELECT max(_id) FROM `+table).Scan(&n)
	return asInt(n)
}

// messages reads every message row in _id order.
func (r *androidReader) messages() error {
	table := "message"
	if r.gen == genLegacy {
		table = "messages"
	}
	after, err := r.resumeAfter(table)
	if err != nil {
		return fmt.Errorf("table %s: %w", table, err)
	}
	extra := ""
	if after > 0 {
		r.noteResume(after, table)
		extra = changedOld(r.s)
	}
	q, c := messageQuery(r.s, r.gen, extra)
	total := r.maxID(table)
	rows, err := r.s.db.QueryContext(r.ctx, q, after)
	if err != nil {
		return fmt.Errorf("table %s: %w", table, err)
	}
	defer rows.Close()
	row := newRow(c)
	var last int64 = -1 << 62
	n := 0
	for rows.Next() {
		if err := rows.Scan(row.ptrs()...); err != nil {
			return fmt.Errorf("table %s: %w", table, err)
		}
		id := row.int("m__id")
		if id == last {
			continue // a side table with two rows for one message
		}
		last = id
		if n++; n%1024 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
			if r.sk.opts.Progress != nil {
				r.sk.opts.Progress(id, total)
			}
		}
		if err := r.message(row, table); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("table %s: %w", table, err)
	}
	if err := r.order.flush(); err != nil {
		return err
	}
	if r.sk.opts.Progress != nil {
		r.sk.opts.Progress(total, total)
	}
	return nil
}

// fields is a message row in the terms both generations share.
type fields struct {
	id                   int64
	chatJID, senderJID   string
	chat                 *chat
	fromMe               bool
	keyID                string
	code                 int64
	ts                   int64
	text, caption        string
	origin, status       int64
	forwarded, starred   bool
	filePath, mime, name string
	size, durS           int64
	width, height, pages int64
	quoted               string
	action               int64
	hasAction            bool
}

func (r *androidReader) fields(row *row) (fields, bool) {
	f := fields{id: row.int("m__id")}
	if r.gen == genModern {
		cid := row.int("m_chat_row_id")
		if cid <= 0 {
			return f, false // the placeholder row
		}
		f.chat = r.chatsByID[cid]
		if f.chat == nil {
			r.orphans++
			f.chat = r.chatFor("chat-row-"+strconv.FormatInt(cid, 10)+"@deleted", "deleted chat "+strconv.FormatInt(cid, 10))
		}
		f.chatJID = f.chat.jid
		f.fromMe = row.int("m_from_me") == 1
		f.keyID = row.str("m_key_id")
		f.senderJID = r.jids[row.int("m_sender_jid_row_id")]
		f.code = row.int("m_message_type")
		f.ts = row.int("m_timestamp")
		f.text = row.str("m_text_data")
		f.origin, f.status = row.int("m_origin"), row.int("m_status")
		f.forwarded = row.int("m_origination_flags")&1 != 0
		f.starred = row.int("m_starred") != 0
	} else {
		f.chatJID = bareJID(row.str("m_key_remote_jid"))
		if f.chatJID == "-1" || f.chatJID == "" {
			return f, false // the placeholder row
		}
		f.chat = r.chatFor(f.chatJID, "")
		f.fromMe = row.int("m_key_from_me") == 1
		f.keyID = row.str("m_key_id")
		f.senderJID = row.str("m_remote_resource")
		f.code = row.int("m_media_wa_type")
		f.ts = row.int("m_timestamp")
		f.text = row.str("m_data")
		f.caption = row.str("m_media_caption")
		f.origin, f.status = row.int("m_origin"), row.int("m_status")
		f.forwarded = row.int("m_forwarded") > 0
		f.starred = row.int("m_starred") != 0
		f.mime, f.name, f.size, f.durS = row.str("m_media_mime_type"), row.str("m_media_name"), row.int("m_media_size"), row.int("m_media_duration")
		f.quoted = row.str("lq_key_id")
		if f.code == 0 && f.status == 6 {
			// A legacy system row: the action code is in media_size (§4.1).
			f.code, f.action, f.hasAction, f.size = 7, f.size, true, 0
		}
		if f.code != 0 && f.code != 7 {
			f.filePath = mediaDataPath(row.get("m_thumb_image"))
		}
	}
	if !row.null("mm_file_path") || !row.null("mm_mime_type") {
		f.filePath = firstNonEmpty(row.str("mm_file_path"), f.filePath)
		f.mime = firstNonEmpty(row.str("mm_mime_type"), f.mime)
		f.name = firstNonEmpty(row.str("mm_media_name"), f.name)
		f.size = max(row.int("mm_file_size"), row.int("mm_file_length"), f.size)
		f.durS = max(row.int("mm_media_duration"), f.durS)
		f.width, f.height, f.pages = row.int("mm_width"), row.int("mm_height"), row.int("mm_page_count")
		f.caption = firstNonEmpty(row.str("mm_media_caption"), f.caption)
	}
	if q := row.str("mq_key_id"); q != "" {
		f.quoted = q
	}
	if !row.null("ms_action_type") {
		f.action, f.hasAction = row.int("ms_action_type"), true
	}
	if !row.null("mf_forward_score") {
		f.forwarded = true
	}
	return f, true
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (r *androidReader) message(row *row, table string) error {
	f, ok := r.fields(row)
	if !ok {
		return nil
	}
	if isStatus(f.chatJID) {
		r.status++
		return nil
	}
	sk := r.sk
	convID, err := sk.conversation(f.chat)
	if err != nil {
		return err
	}
	pos := table + " row " + strconv.FormatInt(f.id, 10)
	voice := f.origin == 1 || strings.Contains(f.filePath, "Voice Notes") || strings.HasPrefix(path0(f.filePath), "PTT-")
	kind, viewOnce, known := androidKind(f.code, voice)
	m := &archive.Message{ConversationID: convID, Kind: kind, SrcPos: pos, Raw: rawJSON(row),
		Time: time.UnixMilli(f.ts).UTC(), FromMe: f.fromMe}
	if !known {
		r.unknown++
		if r.unknownCodes == nil {
			r.unknownCodes = map[int64]int{}
		}
		r.unknownCodes[f.code]++
		sk.im.WarnAt(r.where, pos, "message type %d is not known: kept as a system message with its raw row", f.code)
	}
	if !row.null("mo_state") {
		viewOnce = true
	}
	if viewOnce {
		m.Flags |= archive.FlagViewOnce
	}
	if f.forwarded {
		m.Flags |= archive.FlagForwarded
	}
	if f.starred {
		m.Flags |= archive.FlagStarred
	}
	// Who sent it: the owner, the group member, or the other person of a 1:1 chat.
	switch {
	case f.fromMe:
		m.SenderID, err = sk.owner()
	case f.senderJID != "" && chatKind(f.chatJID) == archive.ConvGroup:
		m.SenderID, err = sk.person(f.senderJID)
	case chatKind(f.chatJID) == archive.ConvDirect && kind != archive.KindSystem:
		m.SenderID, err = sk.person(f.chatJID)
	case f.senderJID != "":
		m.SenderID, err = sk.person(f.senderJID)
	}
	if err != nil {
		return err
	}
	if m.SenderID != 0 && !f.fromMe {
		if err := sk.member(convID, m.SenderID); err != nil {
			return err
		}
	}
	m.Text = f.text
	if f.caption != "" && (m.Text == "" || r.gen == genLegacy) {
		m.Text = f.caption
	}
	if f.quoted != "" {
		m.ReplyTo = "wa:" + f.quoted
	}
	d := &archive.Details{}
	if f.durS > 0 && (kind == archive.KindAudio || kind == archive.KindVoice || kind == archive.KindVideo || kind == archive.KindGIF) {
		d.DurationMS = f.durS * 1000
	}
	if err := r.kindDetails(row, &f, m, d); err != nil {
		return err
	}
	if ts := row.int("me_edited_timestamp"); ts > 0 {
		m.Flags |= archive.FlagEdited
		d.EditedAt = ts
	}
	revoked := !row.null("mr_revoked_key_id") || kind == archive.KindDeleted
	if revoked {
		m.Kind = archive.KindDeleted
		m.Flags |= archive.FlagDeleted
		if ts := row.int("mr_revoke_timestamp"); ts > 0 {
			d.DeletedAt = ts
		}
	}
	if !d.IsEmpty() {
		m.Details = d
	}
	m.UID = r.uid(&f, m)
	r.added++
	// A newer backup brings edits and deletions of messages an older one already archived.
	var updates []archive.Update
	if m.Flags&archive.FlagEdited != 0 {
		updates = append(updates, archive.Update{ConversationID: convID, Key: m.UID, Pos: pos, Edit: &archive.Edit{Time: time.UnixMilli(d.EditedAt).UTC(), Text: m.Text}})
	}
	if revoked {
		var at time.Time
		if d.DeletedAt > 0 {
			at = time.UnixMilli(d.DeletedAt).UTC()
		}
		updates = append(updates, archive.Update{ConversationID: convID, Key: m.UID, Pos: pos, Delete: &archive.Deletion{Time: at}})
	}
	return r.order.add(m, updates...)
}

func path0(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// uid is the message's native id, "wa:<key_id>"; a row without one gets a content key.
func (r *androidReader) uid(f *fields, m *archive.Message) string {
	if f.keyID != "" && f.keyID != "-1" {
		return "wa:" + f.keyID
	}
	h := sha256.Sum256([]byte(strconv.FormatInt(f.ts, 10) + "\x00" + f.senderJID + "\x00" + m.Text + "\x00" + strconv.FormatInt(f.id, 10)))
	return "wa-row:" + hex.EncodeToString(h[:10])
}
