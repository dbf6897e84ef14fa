package wadb

import (
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// A phone's backup grows at the end: tomorrow's msgstore.db holds today's rows under the same
// _id and key_id, and more after them. So a re-import need not rewrite what is there: the
// importer finds the highest _id whose message the archive already holds (a binary search, each
// probe one index lookup on each side), checks that every chat has at least as many messages in
// the archive as the database has up to there, and then reads only the rows after it, plus the
// older rows that carry an edit or a deletion. Reactions, votes, members and the call log are
// small and always read. If any check fails, everything is read as on a first import.

// resumeAfter returns the _id up to which the archive already holds this database's messages.
func (r *androidReader) resumeAfter(table string) (int64, error) {
	total := r.maxID(table)
	if total <= 1 {
		return 0, nil
	}
	present := func(id int64) (bool, int64, error) {
		row, ok, err := r.firstRowFrom(table, id)
		if err != nil || !ok {
			return false, 0, err
		}
		has, err := r.known(row.chat, row.key)
		return has, row.id, err
	}
	ok, last, err := present(total)
	if err != nil || last == 0 {
		return 0, err
	}
	var h int64
	if ok {
		h = last
	} else {
		// Find the last present row below total: invariant present(lo) (or lo = 0), !present(hi).
		lo, hi := int64(0), total
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			ok, _, err := present(mid)
			if err != nil {
				return 0, err
			}
			// The rows between the probed one and mid are skipped ones (status, placeholder).
			if ok {
				lo = mid
			} else {
				hi = mid
			}
		}
		h = lo
	}
	if h == 0 {
		return 0, nil
	}
	// Each chat must have in the archive at least what the database holds up to h.
	counts, err := r.countPerChat(table, h)
	if err != nil {
		return 0, err
	}
	for _, c := range counts {
		ch := r.chatOf(c.chat)
		if ch == nil || isStatus(ch.jid) {
			continue
		}
		conv, err := r.sk.conversation(ch) // it holds messages up to h: it is imported anyway
		if err != nil {
			return 0, err
		}
		have, err := r.sk.im.MessageCount(conv)
		if err != nil {
			return 0, err
		}
		if have < c.n {
			return 0, nil
		}
	}
	return h, nil
}

type chatCount struct {
	chat any // chat_row_id (int64) or key_remote_jid (string)
	n    int64
}

// countPerChat counts the rows up to h of each chat, in chat order. It counts in Go as it scans
// the rows: GROUP BY would sort every row in SQLite's temporary store, which cost twice the CPU
// and some tens of MB for a million rows.
func (r *androidReader) countPerChat(table string, h int64) ([]chatCount, error) {
	chatCol := "chat_row_id"
	if r.gen == genLegacy {
		chatCol = "key_remote_jid"
	}
	rows, err := r.s.db.QueryContext(r.ctx, `SELECT `+chatCol+` FROM `+table+` WHERE _id <= ?`, h)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids, jids := map[int64]int64{}, map[string]int64{}
	var v any
	for n := 0; rows.Next(); n++ {
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		if r.gen == genLegacy {
			jids[asString(v)]++
		} else {
			ids[asInt(v)]++
		}
		if n%(64<<10) == 0 {
			if err := r.ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]chatCount, 0, len(ids)+len(jids))
	for id, n := range ids {
		out = append(out, chatCount{id, n})
	}
	for jid, n := range jids {
		out = append(out, chatCount{jid, n})
	}
	// The order GROUP BY gave: conversations a resume creates are created in it.
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].chat, out[j].chat
		if x, ok := a.(int64); ok {
			return x < b.(int64)
		}
		return a.(string) < b.(string)
	})
	return out, nil
}

type probeRow struct {
	id   int64
	chat *chat
	key  string
}

func (r *androidReader) chatOf(v any) *chat {
	if r.gen == genModern {
		return r.chatsByID[asInt(v)]
	}
	jid := bareJID(asString(v))
	if jid == "" || jid == "-1" {
		return nil
	}
	return r.chatsJID[jid]
}

// firstRowFrom returns the first real message row with _id <= id, searching down.
func (r *androidReader) firstRowFrom(table string, id int64) (probeRow, bool, error) {
	chatCol := "chat_row_id"
	if r.gen == genLegacy {
		chatCol = "key_remote_jid"
	}
	for tries := 0; tries < 64; tries++ {
		var rid, chatV, key any
		err := r.s.db.QueryRowContext(r.ctx, `SELECT _id, `+chatCol+`, key_id FROM `+table+` WHERE _id <= ? ORDER BY _id DESC LIMIT 1`, id).Scan(&rid, &chatV, &key)
		if errors.Is(err, sql.ErrNoRows) {
			return probeRow{}, false, nil
		}
		if err != nil {
			return probeRow{}, false, err
		}
		p := probeRow{id: asInt(rid), chat: r.chatOf(chatV), key: asString(key)}
		if p.chat != nil && !isStatus(p.chat.jid) && p.key != "" && p.key != "-1" {
			return p, true, nil
		}
		if p.id <= 1 {
			return probeRow{}, false, nil
		}
		id = p.id - 1
	}
	return probeRow{}, false, nil
}

// known reports whether the archive holds a chat's message with this key id.
func (r *androidReader) known(ch *chat, key string) (bool, error) {
	// Found by key or by ident (a chat first imported from a text export); a chat with a message
	// row gets its conversation in this import anyway.
	conv, err := r.sk.conversation(ch)
	if err != nil {
		return false, err
	}
	return r.sk.im.HasMessage(conv, "wa:"+key)
}

// changedOld is the condition for rows at or below the resume point that still need reading:
// those an edit or a deletion touched.
func changedOld(s *schema) string {
	var or []string
	if s.hasCols("message_edit_info", "message_row_id") && !s.empty("message_edit_info") {
		or = append(or, "me.message_row_id IS NOT NULL")
	}
	if s.hasCols("message_revoked", "message_row_id") && !s.empty("message_revoked") {
		or = append(or, "mr.message_row_id IS NOT NULL")
	}
	if len(or) == 0 {
		return ""
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

func (r *androidReader) noteResume(h int64, table string) {
	r.sk.im.Note(fmt.Sprintf("rows up to %s._id %d are in the archive from an earlier import of this database: read only the rows after it (and older ones edited or deleted since)", table, h))
}
