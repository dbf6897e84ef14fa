package wadb

import "fmt"

// The message query of msgstore.db, built from what the file has. Modern databases keep messages
// in `message` (chat and sender as row ids into `jid`); legacy ones in `messages` (JIDs as text,
// media inline); half-migrated ones hold rows in `messages` while the side tables
// (message_media, message_system, message_quoted, …) already exist, keyed by messages._id.
// Side tables are LEFT JOINed on their message_row_id (their primary key) when they exist.
// Column names: notes/whatsapp-databases.md §4.1–4.2 (fixture DDL, 2.22.5.13).

type generation int

const (
	genNone   generation = iota
	genLegacy            // `messages` (with or without the new side tables)
	genModern            // `message`
)

func (g generation) String() string {
	switch g {
	case genLegacy:
		return "legacy (messages table)"
	case genModern:
		return "modern (message table)"
	}
	return "none"
}

// pickGeneration decides per table by its rows, not by which tables exist: `message` holds only
// a placeholder row (_id 1, chat_row_id -1) until the migration ran.
func pickGeneration(s *schema) generation {
	if s.hasCols("message", "_id", "chat_row_id", "key_id") {
		var n int64
		if s.db.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM message WHERE chat_row_id > 0 LIMIT 1)`).Scan(&n) == nil && n > 0 {
			return genModern
		}
	}
	if s.hasCols("messages", "_id", "key_remote_jid", "key_id") {
		return genLegacy
	}
	if s.hasCols("message", "_id", "chat_row_id", "key_id") {
		return genModern // empty, but the modern schema
	}
	return genNone
}

// messageQuery returns the query for messages with _id > ? (and extra, a condition on the
// joined tables, for those at or below it), in _id order.
func messageQuery(s *schema, g generation, extra string) (string, *cols) {
	c := &cols{}
	var from string
	if g == genModern {
		mc := s.columns("message")
		c.from(mc, "m", "_id", "chat_row_id", "from_me", "key_id", "sender_jid_row_id", "status", "broadcast",
			"origination_flags", "origin", "timestamp", "message_type", "text_data", "starred", "view_mode")
		from = "message m"
	} else {
		mc := s.columns("messages")
		c.from(mc, "m", "_id", "key_remote_jid", "key_from_me", "key_id", "remote_resource", "status", "data",
			"timestamp", "media_wa_type", "media_mime_type", "media_size", "media_name", "media_caption",
			"media_duration", "origin", "latitude", "longitude", "thumb_image", "starred", "quoted_row_id",
			"forwarded", "edit_version")
		from = "messages m"
		if s.hasCols("messages_quotes", "_id", "key_id") && mc["quoted_row_id"] {
			q := s.columns("messages_quotes")
			c.from(q, "lq", "key_id", "data")
			from += " LEFT JOIN messages_quotes lq ON lq._id = m.quoted_row_id"
		}
	}
	side := func(table, alias string, names ...string) {
		// An empty side table is not joined: each join is a lookup per message row.
		if !s.hasCols(table, "message_row_id") || s.empty(table) {
			for _, n := range names {
				c.add("", alias+"_"+n, false)
			}
			return
		}
		c.from(s.columns(table), alias, names...)
		from += fmt.Sprintf(" LEFT JOIN %s %s ON %s.message_row_id = m._id", table, alias, alias)
	}
	side("message_media", "mm", "file_path", "file_size", "file_length", "mime_type", "media_name",
		"media_caption", "width", "height", "media_duration", "page_count")
	side("message_location", "ml", "latitude", "longitude", "place_name", "place_address", "url",
		"live_location_share_duration")
	side("message_quoted", "mq", "key_id", "text_data")
	side("message_edit_info", "me", "edited_timestamp", "original_key_id")
	side("message_revoked", "mr", "revoked_key_id", "revoke_timestamp")
	side("message_system", "ms", "action_type")
	side("message_system_value_change", "mv", "old_data")
	side("message_view_once_media", "mo", "state")
	side("message_forwarded", "mf", "forward_score")
	side("missed_call_logs", "mc", "video_call")
	if s.hasCols("message_call_log", "message_row_id", "call_log_row_id") && s.hasCols("call_log", "_id") && !s.empty("message_call_log") {
		c.from(s.columns("call_log"), "cl", "video_call", "duration", "call_result")
		from += " LEFT JOIN message_call_log mcl ON mcl.message_row_id = m._id LEFT JOIN call_log cl ON cl._id = mcl.call_log_row_id"
	} else {
		for _, n := range []string{"video_call", "duration", "call_result"} {
			c.add("", "cl_"+n, false)
		}
	}
	where := "m._id > ?"
	if extra != "" {
		where = "(m._id > ? OR " + extra + ")"
	}
	return "SELECT " + c.list() + " FROM " + from + " WHERE " + where + " ORDER BY m._id", c
}
