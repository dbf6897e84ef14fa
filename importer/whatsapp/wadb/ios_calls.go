package wadb

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/sqlitefs"
)

// callWindow is how far apart a call log entry and a call message (ZMESSAGETYPE 59) may be and
// still be the same call. The log entry carries the call's start; whether the message carries
// the start or the end is not known, so the message may also be up to the call's duration later.
const callWindow = 2 * time.Minute

// maxCalls bounds the call log kept in memory (each call with its raw record).
const maxCalls = 1 << 20

// iosCall is one call of CallHistory.sqlite (§6): ZWACDCALLEVENT joined to its
// ZWAAGGREGATECALLEVENT (Z1CALLEVENTS) and the aggregate's participants
// (ZWACDCALLEVENTPARTICIPANT.Z1PARTICIPANTS).
type iosCall struct {
	id       string
	at       time.Time
	call     archive.Call
	incoming bool
	chat     string // the group's JID, or the peer's
	peer     string // who called, or was called ("" for a group call the user started)
	pos, raw string
	used     bool // a call message of ChatStorage took it
}

// loadCalls reads CallHistory.sqlite beside ChatStorage, if there is one. A call log that cannot
// be read is noted, not fatal: the chats are still there.
func (r *iosReader) loadCalls(src importer.Source, dir string) {
	r.calls = map[string][]*iosCall{}
	p := join(dir, "CallHistory.sqlite")
	if !sqliteWith(src.FS, p) {
		return
	}
	err := func() error {
		db, err := sqlitefs.Open(src.FS, p)
		if err != nil {
			return err
		}
		defer db.Close()
		s, err := newSchema(db)
		if err != nil {
			return err
		}
		return r.readCalls(s)
	}()
	if err != nil {
		if r.ctx.Err() == nil {
			r.sk.im.WarnAt(r.where, "CallHistory.sqlite", "the call log could not be read (%v): only the calls shown in the chats are imported", err)
			r.calls = map[string][]*iosCall{}
		}
	}
}

func (r *iosReader) readCalls(s *schema) error {
	if !s.hasCols("zwacdcallevent", "z_pk", "zdate") {
		return nil
	}
	parts := map[int64][]string{}
	if s.hasCols("zwacdcalleventparticipant", "z1participants", "zjidstring") {
		pc := &cols{}
		pc.from(s.columns("zwacdcalleventparticipant"), "p", "z1participants", "zjidstring")
		err := eachRow(r.ctx, s, "SELECT "+pc.list()+" FROM ZWACDCALLEVENTPARTICIPANT p ORDER BY p.rowid", pc, func(row *row) error {
			agg := row.int("p_z1participants")
			if j := bareJID(row.str("p_zjidstring")); j != "" && len(parts[agg]) < 64 && len(parts) < 1<<20 {
				parts[agg] = append(parts[agg], j)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("table ZWACDCALLEVENTPARTICIPANT: %w", err)
		}
	}
	c := &cols{}
	c.from(s.columns("zwacdcallevent"), "e", "z_pk", "z1callevents", "zcallidstring", "zdate", "zduration", "zoutcome",
		"zgroupjidstring", "zgroupcallcreatoruserjidstring", "zincoming", "zvideo", "zmissed")
	from := "ZWACDCALLEVENT e"
	if s.hasCols("zwaaggregatecallevent", "z_pk") && s.columns("zwacdcallevent")["z1callevents"] {
		c.from(s.columns("zwaaggregatecallevent"), "a", "zincoming", "zvideo", "zmissed")
		from += " LEFT JOIN ZWAAGGREGATECALLEVENT a ON a.Z_PK = e.Z1CALLEVENTS"
	} else {
		c.from(map[string]bool{}, "a", "zincoming", "zvideo", "zmissed")
	}
	n := 0
	err := eachRow(r.ctx, s, "SELECT "+c.list()+" FROM "+from+" ORDER BY e.Z_PK", c, func(row *row) error {
		if n++; n > maxCalls {
			r.callsLost++ // a call log this size is no phone's; the rest is counted, not kept
			return nil
		}
		r.addCall(row, parts[row.int("e_z1callevents")])
		return nil
	})
	if err != nil {
		return fmt.Errorf("table ZWACDCALLEVENT: %w", err)
	}
	return nil
}

// pick is the aggregate's value of a flag when the store has one there, else the event's.
func pick(row *row, col string) int64 {
	if !row.null("a_" + col) {
		return row.int("a_" + col)
	}
	return row.int("e_" + col)
}

func (r *iosReader) addCall(row *row, parts []string) {
	c := &iosCall{at: appleTime(row.float("e_zdate")), incoming: pick(row, "zincoming") == 1,
		pos: "CallHistory.sqlite ZWACDCALLEVENT row " + strconv.FormatInt(row.int("e_z_pk"), 10), raw: rawJSON(row)}
	c.call.Video = pick(row, "zvideo") == 1
	if d := row.float("e_zduration"); d > 0 && d < 1e7 {
		c.call.DurationMS = int64(d * 1000)
	}
	// ZOUTCOME 0 connected, 1 missed, 4 rejected (missed for the caller), 2 failed (§6, Knugi).
	out := row.int("e_zoutcome")
	c.call.Missed = pick(row, "zmissed") == 1 || (c.call.DurationMS == 0 && (out == 1 || out == 4))
	creator := bareJID(row.str("e_zgroupcallcreatoruserjidstring"))
	if group := bareJID(row.str("e_zgroupjidstring")); group != "" {
		c.chat = group
		if c.incoming {
			c.peer = creator // who started the group call
		}
	} else {
		if len(parts) > 0 {
			c.peer = parts[0]
		} else {
			c.peer = creator
		}
		c.chat = c.peer
	}
	if c.chat == "" || isStatus(c.chat) {
		r.callsLost++
		return
	}
	c.id = row.str("e_zcallidstring")
	if c.id == "" {
		h := sha256.Sum256([]byte(strconv.FormatInt(c.at.UnixMilli(), 10) + "\x00" + c.chat))
		c.id = "log-" + hex.EncodeToString(h[:10])
	}
	k := r.callKey(c.chat)
	r.calls[k] = append(r.calls[k], c)
}

// callKey files calls under the chat's JID, a LID by the phone number it stands for.
func (r *iosReader) callKey(jid string) string {
	jid = bareJID(jid)
	if ph := r.sk.lids[jid]; ph != "" {
		return ph
	}
	return jid
}

// matchCall finds the call log's entry for a call message of chat: same direction, from
// callWindow before the call's start to callWindow after its end, nearest, not taken by another
// message.
func (r *iosReader) matchCall(chatJID string, fromMe bool, at time.Time) *iosCall {
	var best *iosCall
	var bestD time.Duration
	for _, c := range r.calls[r.callKey(chatJID)] {
		if c.used || c.incoming == fromMe {
			continue
		}
		off := at.Sub(c.at)
		if off < -callWindow || off > time.Duration(c.call.DurationMS)*time.Millisecond+callWindow {
			continue
		}
		if d := off.Abs(); best == nil || d < bestD {
			best, bestD = c, d
		}
	}
	if best != nil {
		best.used = true
	}
	return best
}

// logCalls adds the calls only the call log has, each as a call message in its chat.
func (r *iosReader) logCalls() error {
	byJID := map[string]*chat{}
	for _, ch := range r.chats {
		if k := r.callKey(ch.jid); byJID[k] == nil {
			byJID[k] = ch
		}
	}
	keys := make([]string, 0, len(r.calls))
	for k := range r.calls {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	added := 0
	for _, k := range keys {
		for _, c := range r.calls[k] {
			if c.used {
				continue
			}
			ch := byJID[k]
			if ch == nil {
				ch = &chat{jid: k}
				byJID[k] = ch
			}
			conv, err := r.sk.conversation(ch)
			if err != nil {
				return err
			}
			m := &archive.Message{ConversationID: conv, UID: "wa:call:" + c.id, Kind: archive.KindCall, FromMe: !c.incoming,
				Time: c.at, SrcPos: c.pos, Raw: c.raw, Details: &archive.Details{Call: &c.call}}
			if c.incoming {
				m.SenderID, err = r.sk.person(c.peer)
			} else {
				m.SenderID, err = r.sk.owner()
			}
			if err != nil {
				return err
			}
			if err := r.sk.im.AddMessage(m); err != nil {
				return err
			}
			added++
		}
	}
	if added > 0 {
		r.sk.im.Note(fmt.Sprintf("%d calls only in the call log (CallHistory.sqlite) added as call messages", added))
	}
	if r.callsLost > 0 {
		r.sk.im.Note(fmt.Sprintf("%d calls of the call log name no chat or person, or are past its first %d: not imported", r.callsLost, maxCalls))
	}
	return nil
}
