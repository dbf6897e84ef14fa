package wadb

import (
	"encoding/binary"
	"testing"
)

// legacyDDL: `messages` as the 2.22.5.13 fixture and the 2018 lab database have it (§4.1, V),
// chat_list and group_participants (§4.1, V), messages_quotes (a copy of messages, V DDL).
var legacyDDL = []string{
	`CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT NOT NULL, status INTEGER, needs_push INTEGER, data TEXT, timestamp INTEGER, media_url TEXT, media_mime_type TEXT, media_wa_type TEXT, media_size INTEGER, media_name TEXT, media_caption TEXT, media_hash TEXT, media_duration INTEGER, origin INTEGER, latitude REAL, longitude REAL, thumb_image TEXT, remote_resource TEXT, received_timestamp INTEGER, send_timestamp INTEGER, receipt_server_timestamp INTEGER, receipt_device_timestamp INTEGER, read_device_timestamp INTEGER, played_device_timestamp INTEGER, raw_data BLOB, recipient_count INTEGER, participant_hash TEXT, starred INTEGER, quoted_row_id INTEGER, mentioned_jids TEXT, multicast_id TEXT, edit_version INTEGER, media_enc_hash TEXT, payment_transaction_id TEXT, forwarded INTEGER, preview_type INTEGER, send_count INTEGER, lookup_tables INTEGER, future_message_type INTEGER, message_add_on_flags INTEGER)`,
	`CREATE TABLE messages_quotes (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT NOT NULL, status INTEGER, data TEXT, timestamp INTEGER, media_wa_type TEXT, remote_resource TEXT)`,
	`CREATE TABLE chat_list (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT UNIQUE, message_table_id INTEGER, subject TEXT, creation INTEGER, last_read_message_table_id INTEGER, last_read_receipt_sent_message_table_id INTEGER, archived INTEGER, sort_timestamp INTEGER, mod_tag INTEGER, gen REAL, my_messages INTEGER, plaintext_disabled BOOLEAN, last_message_table_id INTEGER, unseen_message_count INTEGER)`,
	`CREATE TABLE group_participants (_id INTEGER PRIMARY KEY AUTOINCREMENT, gjid TEXT NOT NULL, jid TEXT NOT NULL, admin INTEGER, pending INTEGER, sent_sender_key INTEGER)`,
	// The placeholder row (§4.1, V).
	`INSERT INTO messages(_id, key_remote_jid, key_from_me, key_id, status, timestamp, media_wa_type) VALUES(1, '-1', 0, '-1', -1, 0, '-1')`,
}

// javaMediaData is a stand-in for a serialized com.whatsapp.MediaData: the importer looks for
// the java.io.File path as a serialized string (TC_STRING 0x74, u16 length, bytes) among other
// fields, so the blob carries one such string amid other serialized bytes.
func javaMediaData(p string) []byte {
	b := []byte{0xac, 0xed, 0x00, 0x05, 0x73, 0x72, 0x00, 0x16}
	b = append(b, "com.whatsapp.MediaData"...)
	b = append(b, 0x74, 0, 0)
	binary.BigEndian.PutUint16(b[len(b)-2:], uint16(len(p)))
	b = append(b, p...)
	return append(b, 0x78)
}

// legacyOf is g as the legacy schema can hold it: no polls, edits or reactions (they came with
// the modern schema); calls are media_wa_type 8 rows.
func legacyOf(g genDB) genDB {
	out := g
	out.msgs = nil
	for _, m := range g.msgs {
		if m.typ == 66 {
			continue
		}
		m.editedAt = 0
		if m.call != nil {
			m.typ = 8
		}
		if m.typ == 42 {
			continue // view-once came later too
		}
		out.msgs = append(out.msgs, m)
	}
	out.reactions, out.votes, out.calls = nil, nil, nil
	return out
}

func writeLegacy(t testing.TB, p string, g genDB) {
	db := openNew(t, p)
	defer db.Close()
	execAll(t, db, legacyDDL...)
	for jid, subj := range g.chats {
		var s any
		if subj != "" {
			s = subj
		}
		execAll(t, db)
		if _, err := db.Exec(`INSERT INTO chat_list(key_remote_jid, subject) VALUES(?,?)`, jid, s); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < g.status; i++ {
		db.Exec(`INSERT INTO messages(key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, remote_resource) VALUES('status@broadcast',0,?,0,'story',?,'0',?)`, "ST"+string(rune('a'+i)), t0.UnixMilli(), alice)
	}
	rows := map[string]int64{}
	for _, m := range g.msgs {
		var quoted any
		if m.quoted != "" {
			res, err := db.Exec(`INSERT INTO messages_quotes(key_remote_jid, key_from_me, key_id, data) VALUES(?,0,?,'')`, m.chat, m.quoted)
			if err != nil {
				t.Fatal(err)
			}
			quoted, _ = res.LastInsertId()
		}
		var data, caption, thumb, name, mime, remote any
		status, size, typ, dur := int64(0), int64(len("media of "+m.key)), m.typ, int64(0)
		data = nilIfEmpty(m.text)
		if m.file != "" {
			thumb = javaMediaData(m.file)
			caption, data = nilIfEmpty(m.text), nil
			mime = m.mime
		}
		switch {
		case m.typ == 7:
			typ, status, size = 0, 6, m.action
		case m.vcard != "":
			data, name = m.vcard, "Dora Card"
		case m.call != nil:
			caption, dur = map[bool]string{true: "video", false: "audio"}[m.call.video], m.call.duration
		}
		if m.chat == group && !m.fromMe {
			remote = m.sender
		}
		res, err := db.Exec(`INSERT INTO messages(key_remote_jid, key_from_me, key_id, status, data, timestamp, media_mime_type, media_wa_type, media_size, media_name, media_caption, media_duration, origin, latitude, longitude, thumb_image, remote_resource, quoted_row_id, starred, forwarded)
			VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,0)`,
			m.chat, b2i(m.fromMe), m.key, status, data, m.at.UnixMilli(), mime, typ, size, name, caption, dur, m.origin, m.lat, m.lon, thumb, remote, quoted)
		if err != nil {
			t.Fatal(err)
		}
		rows[m.key], _ = res.LastInsertId()
	}
	for gj, ms := range g.members {
		for _, m := range ms {
			db.Exec(`INSERT INTO group_participants(gjid, jid, admin, pending) VALUES(?,?,0,0)`, gj, m)
		}
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
