package imessage

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/sqlitefs"
)

// reader is one import of one database.
type reader struct {
	ctx    context.Context
	src    importer.Source
	db     *sqlitefs.DB
	im     *archive.Import
	opts   importer.Options
	home   string // the folder "~" stands for in attachment paths, relative to src.FS
	tables map[string]bool

	handles map[int64]handle
	chats   map[int64]*chat
	atts    map[int64][]attRow
	people  map[string]int64
	convs   map[string]int64
	meID    int64

	reactions map[reactKey]*reaction // latest tapback per target and sender
	queue     []queued               // messages waiting for their media (StageMedia)

	unknownItems, unknownAssoc, multiChat int
}

// msgCols are the message columns read, NULL where a schema version lacks one.
var msgCols = []string{"guid", "text", "attributedBody", "handle_id", "service", "date", "is_from_me",
	"item_type", "group_action_type", "other_handle", "group_title", "associated_message_guid",
	"associated_message_type", "associated_message_emoji", "thread_originator_guid",
	"message_summary_info", "date_edited", "date_retracted", "is_audio_message", "balloon_bundle_id",
	"cache_has_attachments", "subject", "error", "is_system_message"}

// row is one message row, by column name.
type row map[string]any

func (m row) str(k string) string {
	switch v := m[k].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

func (m row) int(k string) int64 {
	switch v := m[k].(type) {
	case int64:
		return v
	case float64:
		return int64(v)
	}
	return 0
}

func (m row) blob(k string) []byte {
	switch v := m[k].(type) {
	case []byte:
		return v
	case string:
		return []byte(v)
	}
	return nil
}

func (r *reader) bad(format string, args ...any) error {
	return importer.Bad(r.src.String(), format, args...)
}

func (r *reader) run() error {
	// Sorts and the grouped join below need temporary storage, which the read-only file-system
	// VFS cannot create as files (a large database failed with "disk I/O error"): keep it in
	// memory. The connection is the only one (sqlitefs), so the setting holds for the import.
	if _, err := r.db.ExecContext(r.ctx, `PRAGMA temp_store = MEMORY`); err != nil {
		return r.bad("%s", err)
	}
	var err error
	if r.tables, err = r.db.Tables(); err != nil {
		return r.bad("%s", err)
	}
	r.people, r.convs, r.reactions = map[string]int64{}, map[string]int64{}, map[reactKey]*reaction{}
	if err := r.loadHandles(); err != nil {
		return err
	}
	if err := r.loadChats(); err != nil {
		return err
	}
	if err := r.loadAttachments(); err != nil {
		return err
	}
	cols, err := r.db.Columns("message")
	if err != nil {
		return r.bad("message table: %s", err)
	}
	// Each message's chat: a lookup per row where chat_message_join has an index on message_id
	// (iOS's sms.db has two), else one grouped join, for which SQLite builds a temporary index
	// in memory: some 65 bytes a message, which a million messages made 65 MB of the import's
	// peak memory. A message joined to several chats (seen in plaso's chat.db) goes to the first.
	chatOf, join := "0", ""
	if r.tables["chat_message_join"] {
		if leads, _ := r.db.IndexLeads("chat_message_join"); leads["message_id"] {
			chatOf = "coalesce((SELECT min(chat_id) FROM chat_message_join WHERE message_id = message.ROWID), 0)"
		} else {
			chatOf = "coalesce(j.chat_id, 0)"
			join = " LEFT JOIN (SELECT message_id, MIN(chat_id) AS chat_id FROM chat_message_join GROUP BY message_id) j ON j.message_id = message.ROWID"
		}
		r.multiChatCount()
	}
	var total int64
	if err := r.db.QueryRowContext(r.ctx, `SELECT count(*) FROM message`).Scan(&total); err != nil {
		return r.bad("message table: %s", err)
	}
	q := "SELECT message.ROWID, " + chatOf + ", " + pick(cols, msgCols...) + " FROM message" + join + " ORDER BY message.ROWID"
	rows, err := r.db.QueryContext(r.ctx, q)
	if err != nil {
		return r.bad("message table: %s", err)
	}
	defer rows.Close()
	vals := make([]any, len(msgCols)+2)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var done int64
	for rows.Next() {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		if err := rows.Scan(ptrs...); err != nil {
			return r.bad("message table: %s", err)
		}
		m := make(row, len(msgCols))
		for i, c := range msgCols {
			m[c] = vals[i+2]
		}
		rowid, _ := vals[0].(int64)
		chatID, _ := vals[1].(int64)
		if err := r.message(rowid, chatID, m); err != nil {
			return err
		}
		done++
		if r.opts.Progress != nil && (done%1000 == 1 || done == total) {
			r.opts.Progress(done, total)
		}
	}
	if err := rows.Err(); err != nil {
		return r.bad("message table: %s", err)
	}
	if err := r.flushQueue(0); err != nil {
		return err
	}
	if err := r.applyReactions(); err != nil {
		return err
	}
	r.notes()
	return nil
}

func (r *reader) multiChatCount() {
	var n int
	if err := r.db.QueryRowContext(r.ctx, `SELECT count(*) FROM (SELECT message_id FROM chat_message_join GROUP BY message_id HAVING count(*) > 1)`).Scan(&n); err == nil {
		r.multiChat = n
	}
}

func (r *reader) notes() {
	if r.unknownItems > 0 {
		r.im.Note(fmt.Sprintf("%d messages of an item_type this importer does not know were kept as system messages", r.unknownItems))
	}
	if r.unknownAssoc > 0 {
		r.im.Note(fmt.Sprintf("%d messages of an associated_message_type this importer does not know were kept as they are", r.unknownAssoc))
	}
	if r.multiChat > 0 {
		r.im.Note(fmt.Sprintf("%d messages belong to more than one chat; each was put in the first", r.multiChat))
	}
}

// message maps one row.
func (r *reader) message(rowid, chatID int64, m row) error {
	pos := fmt.Sprintf("row %d", rowid)
	guid := m.str("guid")
	if guid == "" {
		r.im.WarnAt(r.src.String(), pos, "message without a guid: skipped")
		return nil
	}
	conv, err := r.conversation(chatID, m.int("handle_id"))
	if err != nil {
		return err
	}
	t := appleTime(m.int("date"))
	fromMe := m.int("is_from_me") != 0
	var sender int64
	if fromMe {
		sender, err = r.me()
	} else {
		sender, err = r.person(m.int("handle_id"))
	}
	if err != nil {
		return err
	}
	// Tapbacks are not messages of their own: they become reactions on their target.
	if at := m.int("associated_message_type"); at >= 2000 && at < 4000 {
		r.tapback(conv, sender, t, pos, m)
		return nil
	}
	msg := &archive.Message{ConversationID: conv, UID: "imsg:" + guid, Time: t, SenderID: sender, FromMe: fromMe,
		Kind: archive.KindText, SrcPos: pos, Raw: rawJSON(rowid, chatID, m)}
	msg.Details = &archive.Details{Via: m.str("service")}
	msg.Text = strings.ReplaceAll(m.str("text"), "\uFFFC", "")
	if msg.Text == "" {
		if ab := m.blob("attributedBody"); len(ab) > 0 {
			text, err := decodeAttributedBody(ab)
			if err != nil && err != errNoText {
				r.im.WarnAt(r.src.String(), pos, "text not recovered: %v", err)
			}
			msg.Text = text
		}
	}
	if s := m.str("subject"); s != "" {
		msg.Text = strings.TrimSpace(s + "\n" + msg.Text)
	}
	if tg := m.str("thread_originator_guid"); tg != "" {
		msg.ReplyTo = "imsg:" + tg
	}
	if at := m.int("associated_message_type"); at != 0 {
		switch {
		case at == 1000: // a sticker placed on another message
			msg.Kind = archive.KindSticker
			if tg := targetGUID(m.str("associated_message_guid")); tg != "" && msg.ReplyTo == "" {
				msg.ReplyTo = "imsg:" + tg
			}
		default:
			r.unknownAssoc++
			r.im.WarnAt(r.src.String(), pos, "associated_message_type %d not understood: kept as a message", at)
		}
	}
	if err := r.summary(msg, m, pos); err != nil {
		return err
	}
	if it := m.int("item_type"); it != 0 {
		r.event(msg, m, it)
	}
	atts, err := r.stageAttachments(rowid, conv, msg.UID)
	if err != nil {
		return err
	}
	return r.enqueue(msg, atts, m)
}

// summary applies message_summary_info: edits become revisions, unsent parts a deletion.
func (r *reader) summary(msg *archive.Message, m row, pos string) error {
	b := m.blob("message_summary_info")
	if len(b) == 0 {
		return nil
	}
	s, err := decodeSummary(b)
	if err != nil {
		r.im.WarnAt(r.src.String(), pos, "%v", err)
		return nil
	}
	if len(s.History) > 1 {
		for _, e := range s.History[:len(s.History)-1] {
			msg.Revisions = append(msg.Revisions, archive.Revision{Time: e.Time, Text: e.Text})
		}
		last := s.History[len(s.History)-1]
		msg.Flags |= archive.FlagEdited
		msg.Details.EditedAt = last.Time.UnixMilli()
		if msg.Text == "" {
			msg.Text = last.Text
		}
	}
	if len(s.Retracted) > 0 && msg.Text == "" {
		msg.Kind = archive.KindDeleted
		if d := m.int("date_retracted"); d != 0 {
			msg.Details.DeletedAt = appleTime(d).UnixMilli()
		}
	}
	return nil
}

// event describes a group event row (item_type): members added or removed, the group
// renamed, someone leaving, the group photo changed. Numbers as imessage-exporter reads them.
func (r *reader) event(msg *archive.Message, m row, it int64) {
	msg.Kind = archive.KindSystem
	ev := &archive.Event{}
	var actor string
	if msg.FromMe {
		actor = "me"
	} else if h, ok := r.handles[m.int("handle_id")]; ok {
		actor = h.id
	}
	ev.Actor = actor
	target := r.handles[m.int("other_handle")].id
	ga := m.int("group_action_type")
	switch it {
	case 1:
		ev.Type = "member_added"
		if ga == 1 {
			ev.Type = "member_removed"
		}
		if target != "" {
			ev.Targets = []string{target}
		}
	case 2:
		ev.Type = "group_renamed"
		if t := m.str("group_title"); t != "" {
			ev.Targets = []string{t}
		}
	case 3:
		switch ga {
		case 0:
			ev.Type = "member_left"
		case 1:
			ev.Type = "group_photo_changed"
		default:
			ev.Type = "group_photo_removed"
		}
	case 4:
		ev.Type = "location_sharing"
		msg.Kind = archive.KindLiveLocation
	case 5:
		ev.Type = "audio_kept"
	case 6:
		ev.Type = "facetime"
		msg.Kind = archive.KindCall
	default:
		ev.Type = fmt.Sprintf("item_type_%d", it)
		r.unknownItems++
	}
	msg.Details.Event = ev
}

// rawJSON is the row as read, as JSON (columns in msgCols order, NULLs left out, blobs in
// base64), clipped. Written by hand: a map through encoding/json cost a sixth of the import.
func rawJSON(rowid, chatID int64, m row) string {
	b := make([]byte, 0, 256)
	b = append(b, `{"ROWID":`...)
	b = strconv.AppendInt(b, rowid, 10)
	if chatID != 0 {
		b = append(b, `,"chat_id":`...)
		b = strconv.AppendInt(b, chatID, 10)
	}
	for _, c := range msgCols {
		v := m[c]
		if v == nil {
			continue
		}
		b = append(b, ',', '"')
		b = append(b, c...)
		b = append(b, '"', ':')
		switch v := v.(type) {
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case float64:
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		case string:
			q, _ := json.Marshal(v)
			b = append(b, q...)
		case []byte:
			b = append(b, '"')
			b = base64.StdEncoding.AppendEncode(b, v)
			b = append(b, '"')
		default:
			q, _ := json.Marshal(v)
			b = append(b, q...)
		}
	}
	b = append(b, '}')
	return importer.ClipRaw(b)
}

// queued is a message waiting for its staged attachments.
type queued struct {
	msg   *archive.Message
	atts  []stagedAtt
	audio bool // is_audio_message: the audio file is a voice message
}

// maxQueue bounds the messages held while their media is copied ahead.
const maxQueue = 16

func (r *reader) enqueue(msg *archive.Message, atts []stagedAtt, m row) error {
	q := queued{msg, atts, m.int("is_audio_message") != 0}
	if len(atts) == 0 && len(r.queue) == 0 {
		return r.add(q)
	}
	r.queue = append(r.queue, q)
	return r.flushQueue(maxQueue)
}

func (r *reader) flushQueue(keep int) error {
	for len(r.queue) > keep {
		q := r.queue[0]
		r.queue = r.queue[1:]
		if err := r.add(q); err != nil {
			return err
		}
	}
	return nil
}

// add finishes a message's attachments and adds it.
func (r *reader) add(q queued) error {
	msg := q.msg
	for _, a := range q.atts {
		att, err := r.finishAttachment(a)
		if err != nil {
			return err
		}
		if q.audio && att.Kind == archive.KindAudio {
			att.Kind = archive.KindVoice
		}
		msg.Attachments = append(msg.Attachments, att)
	}
	if len(msg.Attachments) > 0 && msg.Kind == archive.KindText {
		msg.Kind = msg.Attachments[0].Kind
		for _, a := range msg.Attachments {
			if a.Kind == archive.KindLocation && a.Details != nil {
				msg.Kind = archive.KindLocation
				msg.Details.Location = a.Details.Location
			}
		}
	}
	return r.im.AddMessage(msg)
}

// sortedKeys is used to keep output deterministic.
func sortedKeys[V any](m map[reactKey]V) []reactKey {
	keys := make([]reactKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].target != keys[j].target {
			return keys[i].target < keys[j].target
		}
		return keys[i].sender < keys[j].sender
	})
	return keys
}
