package wadb

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// Test databases are built here on WhatsApp's real table and column names: the modern tables as
// the 2.22.5.13 fixture's DDL has them (notes/whatsapp-databases.md §4.2, "V DDL"), the tables
// that fixture lacks (message_edit_info, message_call_log, message_poll_option,
// message_add_on_poll_vote_selected_option) as §4.2 names them [S], the legacy `messages` and
// `chat_list` tables as §4.1 [V: 2018 lab database], wa.db's wa_contacts as §5.

type genMsg struct {
	chat     string // chat JID
	fromMe   bool
	sender   string // group member JID
	key      string
	at       time.Time
	typ      int64 // message_type / media_wa_type
	text     string
	file     string // media path, relative to the WhatsApp folder
	mime     string
	origin   int64
	quoted   string // quoted key id
	editedAt int64
	revoked  bool
	action   int64 // system action
	targets  []string
	lat, lon float64
	vcard    string
	poll     []string
	viewOnce bool
	call     *genCall
}

type genCall struct {
	video    bool
	duration int64
	result   int64
}

type genReaction struct {
	parent string // key id
	from   string // JID, "" = me
	emoji  string // "" = taken back
	at     time.Time
}

type genVote struct {
	parent string
	from   string
	option int
}

type genDB struct {
	chats     map[string]string // JID -> subject (groups)
	names     map[string]string // JID -> wa.db display_name
	msgs      []genMsg
	reactions []genReaction
	votes     []genVote
	members   map[string][]string // group JID -> members
	status    int                 // status@broadcast rows to add
	calls     []genCallOnly
}

type genCallOnly struct {
	peer string
	id   string
	at   time.Time
	call genCall
}

func execAll(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func openNew(t testing.TB, p string) *sql.DB {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o700)
	// Test databases need no durability: no fsync, no journal file.
	db, err := sql.Open("sqlite", p+"?_pragma=synchronous(OFF)&_pragma=journal_mode(MEMORY)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	return db
}

const alice, bob, carol = "491511111111@s.whatsapp.net", "491522222222@s.whatsapp.net", "491533333333@s.whatsapp.net"
const group = "120363000000000001@g.us"
const bcast = "1600000000@broadcast"

var t0 = time.Date(2024, 5, 17, 9, 30, 0, 0, time.UTC)

// sample holds every kind the importers map.
func sample() genDB {
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	g := genDB{
		chats:   map[string]string{alice: "", group: "Family Group", bcast: "Friends list"},
		names:   map[string]string{alice: "Alice Example", bob: "Bob Example"},
		members: map[string][]string{group: {alice, bob, carol}},
		status:  3,
	}
	g.msgs = []genMsg{
		{chat: alice, key: "A1", at: at(0), typ: 0, text: "hello there"},
		{chat: alice, key: "A2", at: at(1), typ: 0, text: "hi Alice", fromMe: true},
		{chat: alice, key: "A3", at: at(2), typ: 1, text: "a photo", file: "Media/WhatsApp Images/IMG-20240517-WA0001.jpg", mime: "image/jpeg"},
		{chat: alice, key: "A4", at: at(3), typ: 3, file: "Media/WhatsApp Video/VID-20240517-WA0002.mp4", mime: "video/mp4"},
		{chat: alice, key: "A5", at: at(4), typ: 2, file: "Media/WhatsApp Audio/AUD-20240517-WA0003.mp3", mime: "audio/mpeg"},
		{chat: alice, key: "A6", at: at(5), typ: 2, origin: 1, file: "Media/WhatsApp Voice Notes/202420/PTT-20240517-WA0004.opus", mime: "audio/ogg; codecs=opus"},
		{chat: alice, key: "A7", at: at(6), typ: 9, file: "Media/WhatsApp Documents/report.pdf", mime: "application/pdf"},
		{chat: alice, key: "A8", at: at(7), typ: 20, file: "Media/WhatsApp Stickers/STK-20240517-WA0005.webp", mime: "image/webp"},
		{chat: alice, key: "A9", at: at(8), typ: 13, file: "Media/WhatsApp Animated Gifs/VID-20240517-WA0006.mp4", mime: "video/mp4"},
		{chat: alice, key: "A10", at: at(9), typ: 5, lat: 52.52, lon: 13.405},
		{chat: alice, key: "A11", at: at(10), typ: 16, lat: 48.85, lon: 2.35},
		{chat: alice, key: "A12", at: at(11), typ: 4, vcard: "BEGIN:VCARD\nVERSION:3.0\nFN:Dora Card\nTEL;type=CELL:+49 170 1234567\nEND:VCARD"},
		{chat: alice, key: "A13", at: at(12), typ: 42, file: "", mime: "image/jpeg", viewOnce: true},
		{chat: alice, key: "A14", at: at(13), typ: 0, text: "as I said", quoted: "A1", fromMe: true},
		{chat: alice, key: "A15", at: at(14), typ: 0, text: "edited text", editedAt: at(20).UnixMilli()},
		{chat: alice, key: "A16", at: at(15), typ: 15, revoked: true},
		{chat: alice, key: "A17", at: at(16), typ: 90, call: &genCall{video: true, duration: 65, result: 5}},
		{chat: group, key: "G1", at: at(30), typ: 7, action: 11, sender: alice},
		{chat: group, key: "G2", at: at(31), typ: 7, action: 12, sender: alice, targets: []string{carol}},
		{chat: group, key: "G3", at: at(32), typ: 0, text: "welcome Carol", sender: bob},
		{chat: group, key: "G4", at: at(33), typ: 66, text: "Pizza or pasta?", sender: alice, poll: []string{"Pizza", "Pasta"}},
		{chat: group, key: "G5", at: at(34), typ: 0, text: "pizza!", fromMe: true},
		{chat: bcast, key: "B1", at: at(40), typ: 0, text: "party on Friday", fromMe: true},
	}
	g.reactions = []genReaction{{parent: "A1", from: "", emoji: "👍"}, {parent: "A2", from: alice, emoji: "❤️"}, {parent: "G3", from: alice, emoji: "😂"}}
	g.votes = []genVote{{parent: "G4", from: bob, option: 0}, {parent: "G4", from: "", option: 1}}
	g.calls = []genCallOnly{{peer: bob, id: "CALL1", at: at(50), call: genCall{duration: 0, result: 4}}}
	return g
}

// writeMedia puts the media files of g into the WhatsApp folder, all but skip.
func writeMedia(t testing.TB, root string, g genDB, skip string) int {
	n := 0
	for _, m := range g.msgs {
		if m.file == "" || m.file == skip {
			continue
		}
		p := filepath.Join(root, filepath.FromSlash(m.file))
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte("media of "+m.key), 0o600); err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func writeWaDB(t testing.TB, p string, g genDB) {
	db := openNew(t, p)
	defer db.Close()
	execAll(t, db, `CREATE TABLE wa_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid TEXT NOT NULL, is_whatsapp_user BOOLEAN NOT NULL, status TEXT, status_timestamp INTEGER, number TEXT, raw_contact_id INTEGER, display_name TEXT, phone_type INTEGER, phone_label TEXT, unseen_msg_count INTEGER, photo_ts INTEGER, thumb_ts INTEGER, photo_id_timestamp INTEGER, given_name TEXT, family_name TEXT, wa_name TEXT, sort_name TEXT, nickname TEXT, company TEXT, title TEXT, status_autodownload_disabled INTEGER, keep_timestamp INTEGER, is_spam_reported INTEGER, is_sidelist_synced BOOLEAN DEFAULT 0, is_business_synced BOOLEAN DEFAULT 0)`)
	for jid, name := range g.names {
		if _, err := db.Exec(`INSERT INTO wa_contacts(jid, is_whatsapp_user, number, display_name) VALUES(?,1,?,?)`, jid, "+"+strings.Split(jid, "@")[0], name); err != nil {
			t.Fatal(err)
		}
	}
}

// modernDDL: the fixture's DDL (§4.2) for the tables the importer reads, trimmed of columns it
// does not read only where they are many (chat).
var modernDDL = []string{
	`CREATE TABLE jid (_id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, server TEXT NOT NULL, agent INTEGER, device INTEGER, type INTEGER, raw_string TEXT)`,
	`CREATE TABLE chat (_id INTEGER PRIMARY KEY AUTOINCREMENT,jid_row_id INTEGER UNIQUE,hidden INTEGER,subject TEXT,created_timestamp INTEGER,display_message_row_id INTEGER,last_message_row_id INTEGER,archived INTEGER,sort_timestamp INTEGER,group_type INTEGER NOT NULL DEFAULT 0)`,
	`CREATE TABLE message (_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL, from_me INTEGER NOT NULL, key_id TEXT NOT NULL, sender_jid_row_id INTEGER, status INTEGER, broadcast INTEGER, recipient_count INTEGER, participant_hash TEXT, origination_flags INTEGER, origin INTEGER, timestamp INTEGER, received_timestamp INTEGER, receipt_server_timestamp INTEGER, message_type INTEGER, text_data TEXT, starred INTEGER, lookup_tables INTEGER, message_add_on_flags INTEGER, sort_id INTEGER NOT NULL DEFAULT 0 )`,
	`CREATE TABLE message_media (  message_row_id INTEGER PRIMARY KEY, chat_row_id INTEGER, autotransfer_retry_enabled INTEGER, multicast_id TEXT, media_job_uuid TEXT, transferred INTEGER, transcoded INTEGER, file_path TEXT, file_size INTEGER, suspicious_content INTEGER, trim_from INTEGER, trim_to INTEGER, face_x INTEGER, face_y INTEGER, media_key BLOB, media_key_timestamp INTEGER, width INTEGER, height INTEGER, has_streaming_sidecar INTEGER, gif_attribution INTEGER, thumbnail_height_width_ratio REAL, direct_path TEXT, first_scan_sidecar BLOB, first_scan_length INTEGER, message_url TEXT, mime_type TEXT, file_length INTEGER, media_name TEXT, file_hash TEXT, media_duration INTEGER, page_count INTEGER, enc_file_hash TEXT, partial_media_hash TEXT, partial_media_enc_hash TEXT, is_animated_sticker INTEGER, original_file_hash TEXT, mute_video INTEGER DEFAULT 0)`,
	`CREATE TABLE message_quoted (message_row_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL, parent_message_chat_row_id INTEGER NOT NULL, from_me INTEGER NOT NULL, sender_jid_row_id INTEGER, key_id TEXT NOT NULL, timestamp INTEGER, message_type INTEGER, origin INTEGER, text_data TEXT, payment_transaction_id TEXT, lookup_tables INTEGER)`,
	`CREATE TABLE message_location (message_row_id INTEGER PRIMARY KEY, chat_row_id INTEGER, latitude REAL, longitude REAL, place_name TEXT, place_address TEXT, url TEXT, live_location_share_duration INTEGER, live_location_sequence_number INTEGER, live_location_final_latitude REAL, live_location_final_longitude REAL, live_location_final_timestamp INTEGER, map_download_status INTEGER)`,
	`CREATE TABLE message_system (message_row_id INTEGER PRIMARY KEY, action_type INTEGER NOT NULL)`,
	`CREATE TABLE message_system_chat_participant (message_row_id INTEGER, user_jid_row_id INTEGER)`,
	`CREATE TABLE message_revoked (message_row_id INTEGER PRIMARY KEY,revoked_key_id TEXT NOT NULL,admin_jid_row_id INTEGER, revoke_timestamp INTEGER)`,
	`CREATE TABLE message_edit_info (message_row_id INTEGER PRIMARY KEY, original_key_id TEXT NOT NULL, edited_timestamp INTEGER NOT NULL, sender_timestamp INTEGER NOT NULL)`,
	`CREATE TABLE message_view_once_media (message_row_id INTEGER PRIMARY KEY, state INTEGER NOT NULL )`,
	`CREATE TABLE message_forwarded(message_row_id INTEGER PRIMARY KEY, forward_score INTEGER)`,
	`CREATE TABLE message_vcard (_id INTEGER PRIMARY KEY AUTOINCREMENT, message_row_id INTEGER, vcard TEXT)`,
	`CREATE TABLE message_add_on (_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER, from_me INTEGER, key_id TEXT NOT NULL, sender_jid_row_id INTEGER, parent_message_row_id INTEGER, timestamp INTEGER, status INTEGER, message_add_on_type INTEGER)`,
	`CREATE TABLE message_add_on_reaction (message_add_on_row_id INTEGER PRIMARY KEY, reaction TEXT, sender_timestamp INTEGER)`,
	`CREATE TABLE message_poll_option (_id INTEGER PRIMARY KEY AUTOINCREMENT, message_row_id INTEGER NOT NULL, option_name TEXT, vote_total INTEGER)`,
	`CREATE TABLE message_add_on_poll_vote_selected_option (message_add_on_row_id INTEGER NOT NULL, message_poll_option_id INTEGER NOT NULL)`,
	`CREATE TABLE call_log (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid_row_id INTEGER, from_me INTEGER, call_id TEXT, transaction_id INTEGER, timestamp INTEGER, video_call INTEGER, duration INTEGER, call_result INTEGER, bytes_transferred INTEGER, group_jid_row_id INTEGER NOT NULL DEFAULT 0, is_joinable_group_call INTEGER, call_creator_device_jid_row_id INTEGER NOT NULL DEFAULT 0, call_random_id TEXT)`,
	`CREATE TABLE message_call_log (message_row_id INTEGER PRIMARY KEY, call_log_row_id INTEGER)`,
	`CREATE TABLE group_participant_user (_id INTEGER PRIMARY KEY AUTOINCREMENT, group_jid_row_id INTEGER NOT NULL, user_jid_row_id INTEGER NOT NULL, rank INTEGER, pending INTEGER)`,
	// The placeholder row every msgstore has (§4.1, V).
	`INSERT INTO message(_id, chat_row_id, from_me, key_id, timestamp) VALUES(1, -1, 0, '-1', 0)`,
}

// modernWriter writes g into a modern msgstore.
type modernWriter struct {
	t     testing.TB
	db    *sql.DB
	jids  map[string]int64
	chats map[string]int64
	rows  map[string]int64 // key id -> message row
}

func (w *modernWriter) jid(s string) int64 {
	if s == "" {
		return 0
	}
	if id, ok := w.jids[s]; ok {
		return id
	}
	user, server, _ := strings.Cut(s, "@")
	typ := 0
	if server == "g.us" {
		typ = 1
	}
	res, err := w.db.Exec(`INSERT INTO jid(user, server, agent, device, type, raw_string) VALUES(?,?,0,0,?,?)`, user, server, typ, s)
	if err != nil {
		w.t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	w.jids[s] = id
	return id
}

func (w *modernWriter) chat(jid, subject string) int64 {
	if id, ok := w.chats[jid]; ok {
		return id
	}
	var subj any
	if subject != "" {
		subj = subject
	}
	res, err := w.db.Exec(`INSERT INTO chat(jid_row_id, subject, hidden, archived) VALUES(?,?,0,0)`, w.jid(jid), subj)
	if err != nil {
		w.t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	w.chats[jid] = id
	return id
}

func (w *modernWriter) exec(q string, args ...any) int64 {
	res, err := w.db.Exec(q, args...)
	if err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	id, _ := res.LastInsertId()
	return id
}

func writeModern(t testing.TB, p string, g genDB) {
	db := openNew(t, p)
	defer db.Close()
	execAll(t, db, modernDDL...)
	w := &modernWriter{t: t, db: db, jids: map[string]int64{}, chats: map[string]int64{}, rows: map[string]int64{}}
	tx, _ := db.Begin()
	_ = tx.Rollback()
	for jid, subj := range g.chats {
		w.chat(jid, subj)
	}
	for i := 0; i < g.status; i++ {
		w.exec(`INSERT INTO message(chat_row_id, from_me, key_id, sender_jid_row_id, timestamp, message_type, text_data) VALUES(?,0,?,?,?,0,'my story')`,
			w.chat("status@broadcast", ""), "ST"+string(rune('a'+i)), w.jid(alice), t0.UnixMilli())
	}
	for _, m := range g.msgs {
		w.message(m)
	}
	for i, r := range g.reactions {
		parent := w.rows[r.parent]
		var chatID int64
		db.QueryRow(`SELECT chat_row_id FROM message WHERE _id=?`, parent).Scan(&chatID)
		at := r.at
		if at.IsZero() {
			at = t0.Add(time.Hour)
		}
		id := w.exec(`INSERT INTO message_add_on(chat_row_id, from_me, key_id, sender_jid_row_id, parent_message_row_id, timestamp, status, message_add_on_type) VALUES(?,?,?,?,?,?,0,56)`,
			chatID, b2i(r.from == ""), "R"+string(rune('a'+i)), w.jid(r.from), parent, at.UnixMilli())
		w.exec(`INSERT INTO message_add_on_reaction(message_add_on_row_id, reaction, sender_timestamp) VALUES(?,?,?)`, id, r.emoji, at.UnixMilli())
	}
	for i, v := range g.votes {
		parent := w.rows[v.parent]
		var chatID int64
		db.QueryRow(`SELECT chat_row_id FROM message WHERE _id=?`, parent).Scan(&chatID)
		id := w.exec(`INSERT INTO message_add_on(chat_row_id, from_me, key_id, sender_jid_row_id, parent_message_row_id, timestamp, status, message_add_on_type) VALUES(?,?,?,?,?,?,0,67)`,
			chatID, b2i(v.from == ""), "V"+string(rune('a'+i)), w.jid(v.from), parent, t0.Add(2*time.Hour).UnixMilli())
		var opt int64
		db.QueryRow(`SELECT _id FROM message_poll_option WHERE message_row_id=? ORDER BY _id LIMIT 1 OFFSET ?`, parent, v.option).Scan(&opt)
		w.exec(`INSERT INTO message_add_on_poll_vote_selected_option(message_add_on_row_id, message_poll_option_id) VALUES(?,?)`, id, opt)
	}
	for gj, ms := range g.members {
		for _, m := range ms {
			w.exec(`INSERT INTO group_participant_user(group_jid_row_id, user_jid_row_id, rank, pending) VALUES(?,?,0,0)`, w.jid(gj), w.jid(m))
		}
	}
	for _, c := range g.calls {
		w.exec(`INSERT INTO call_log(jid_row_id, from_me, call_id, timestamp, video_call, duration, call_result) VALUES(?,0,?,?,?,?,?)`,
			w.jid(c.peer), c.id, c.at.UnixMilli(), b2i(c.call.video), c.call.duration, c.call.result)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (w *modernWriter) message(m genMsg) {
	chatID := w.chat(m.chat, "")
	var sender int64
	if !m.fromMe && strings.HasSuffix(m.chat, "@g.us") {
		sender = w.jid(m.sender)
	}
	var text any
	if m.text != "" {
		text = m.text
	}
	id := w.exec(`INSERT INTO message(chat_row_id, from_me, key_id, sender_jid_row_id, status, broadcast, origination_flags, origin, timestamp, message_type, text_data, starred, sort_id) VALUES(?,?,?,?,0,0,0,?,?,?,?,0,0)`,
		chatID, b2i(m.fromMe), m.key, sender, m.origin, m.at.UnixMilli(), m.typ, text)
	w.rows[m.key] = id
	if m.file != "" || m.mime != "" {
		var fp any
		if m.file != "" {
			fp = m.file
		}
		w.exec(`INSERT INTO message_media(message_row_id, chat_row_id, file_path, file_size, mime_type, media_name, width, height, media_duration) VALUES(?,?,?,?,?,?,640,480,12)`,
			id, chatID, fp, len("media of "+m.key), m.mime, filepath.Base(m.file))
	}
	if m.typ == 5 || m.typ == 16 {
		w.exec(`INSERT INTO message_location(message_row_id, chat_row_id, latitude, longitude, place_name) VALUES(?,?,?,?,?)`, id, chatID, m.lat, m.lon, "Somewhere")
	}
	if m.quoted != "" {
		w.exec(`INSERT INTO message_quoted(message_row_id, chat_row_id, parent_message_chat_row_id, from_me, key_id, timestamp, message_type, text_data) VALUES(?,?,?,0,?,0,0,'')`, id, chatID, chatID, m.quoted)
	}
	if m.editedAt != 0 {
		w.exec(`INSERT INTO message_edit_info(message_row_id, original_key_id, edited_timestamp, sender_timestamp) VALUES(?,?,?,?)`, id, m.key, m.editedAt, m.editedAt)
	}
	if m.revoked {
		w.exec(`INSERT INTO message_revoked(message_row_id, revoked_key_id, revoke_timestamp) VALUES(?,?,?)`, id, m.key, m.at.Add(time.Minute).UnixMilli())
	}
	if m.typ == 7 {
		w.exec(`INSERT INTO message_system(message_row_id, action_type) VALUES(?,?)`, id, m.action)
		w.db.Exec(`UPDATE message SET sender_jid_row_id=? WHERE _id=?`, w.jid(m.sender), id)
		for _, tg := range m.targets {
			w.exec(`INSERT INTO message_system_chat_participant(message_row_id, user_jid_row_id) VALUES(?,?)`, id, w.jid(tg))
		}
	}
	if m.vcard != "" {
		w.exec(`INSERT INTO message_vcard(message_row_id, vcard) VALUES(?,?)`, id, m.vcard)
	}
	for _, o := range m.poll {
		w.exec(`INSERT INTO message_poll_option(message_row_id, option_name, vote_total) VALUES(?,?,1)`, id, o)
	}
	if m.viewOnce {
		w.exec(`INSERT INTO message_view_once_media(message_row_id, state) VALUES(?,0)`, id)
	}
	if m.call != nil {
		cl := w.exec(`INSERT INTO call_log(jid_row_id, from_me, call_id, timestamp, video_call, duration, call_result) VALUES(?,?,?,?,?,?,?)`,
			w.jid(m.chat), b2i(m.fromMe), "C"+m.key, m.at.UnixMilli(), b2i(m.call.video), m.call.duration, m.call.result)
		w.exec(`INSERT INTO message_call_log(message_row_id, call_log_row_id) VALUES(?,?)`, id, cl)
	}
}

func writeFile(t testing.TB, p, body string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o700)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// rekeyed gives every message of g a new key id (prefix + key), so another database of the same
// chats holds other messages.
func rekeyed(g genDB, prefix string) genDB {
	out := g
	out.msgs = make([]genMsg, len(g.msgs))
	for i, m := range g.msgs {
		m.key = prefix + m.key
		if m.quoted != "" {
			m.quoted = prefix + m.quoted
		}
		out.msgs[i] = m
	}
	out.reactions = append([]genReaction(nil), g.reactions...)
	for i := range out.reactions {
		out.reactions[i].parent = prefix + out.reactions[i].parent
	}
	out.votes = append([]genVote(nil), g.votes...)
	for i := range out.votes {
		out.votes[i].parent = prefix + out.votes[i].parent
	}
	out.calls = append([]genCallOnly(nil), g.calls...)
	for i := range out.calls {
		out.calls[i].id = prefix + out.calls[i].id
	}
	return out
}
