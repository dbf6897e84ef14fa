package archive

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// One message seen through two sources is stored once. A message is found again by any of its
// keys (messages.uid, the best one, and message_keys, the others). When a conversation also holds
// messages from a source of another rank (a text export and the app's database of the same chat),
// a message none of whose keys is known is matched by content: the same UTC minute and the same
// normalised text, in order of occurrence, with a stored message of the other rank that no
// message of this rank has claimed yet. The richer source's record then wins field by field and
// the poorer one stays as a second provenance (message_sources); nothing is stored twice.
//
// Conversations that hold one rank of source only and messages without extra keys take the fast
// path: a plain INSERT whose uid conflict means "already there".

// convState is what the writer knows about a conversation it writes to.
type convState struct {
	altKeys    bool // some message of it has keys besides its uid
	otherRanks bool // it holds messages from a source of another rank
	added      bool // this import added messages to it
	fromMe     bool // this import added a message the user sent to it
	merged     bool // this import merged a message into one stored in it (which may change from_me)
	// imports are the imports a restore's messages to it name (a restore keeps each message's
	// original import), so its ranks need no scan of the table at commit.
	imports map[int64]bool
}

func (im *Import) state(conv int64) *convState {
	if st, ok := im.convState[conv]; ok {
		return st
	}
	if im.convState == nil {
		im.convState = map[int64]*convState{}
	}
	st := &convState{}
	var one int
	err := im.tx.QueryRowContext(im.ctx, `SELECT 1 FROM message_keys WHERE conversation_id=? LIMIT 1`, conv).Scan(&one)
	st.altKeys = err == nil
	var ranks int64
	if im.tx.QueryRowContext(im.ctx, `SELECT message_ranks FROM conversations WHERE id=?`, conv).Scan(&ranks) == nil {
		st.otherRanks = ranks&^rankBit(im.info.Rank) != 0
	}
	im.convState[conv] = st
	return st
}

// mustResolve reports whether any message of a batch needs the slow path.
func (im *Import) mustResolve(msgs []Message) bool {
	if im.info.Restore {
		return false // a restore loads a dump into an empty archive: every key is its own
	}
	for i := range msgs {
		if len(msgs[i].Keys) > 0 {
			return true
		}
		if st := im.state(msgs[i].ConversationID); st.altKeys || st.otherRanks {
			return true
		}
	}
	return false
}

// resolve handles the messages of a batch that are already stored (under any key, or matched by
// content) and returns the others, to be inserted, with their INSERT arguments.
func (im *Import) resolve(msgs []Message) ([]Message, []any, error) {
	keep := msgs[:0]
	for i := range msgs {
		m := msgs[i]
		id, err := im.findByKeys(&m)
		if err != nil {
			return nil, nil, err
		}
		byContent := false
		if id == 0 && im.state(m.ConversationID).otherRanks {
			if id, err = im.matchByContent(&m); err != nil {
				return nil, nil, err
			}
			byContent = id != 0
		}
		if id == 0 {
			keep = append(keep, m)
			continue
		}
		im.report.MessagesPresent++
		if err := im.merge(id, &m, byContent); err != nil {
			return nil, nil, err
		}
	}
	args := make([]any, 0, len(keep)*len(messageColumns))
	for i := range keep {
		args = appendMessageArgs(args, &keep[i], im.id)
	}
	return keep, args, nil
}

// findByKeys returns the stored message that has any of m's keys, or 0.
func (im *Import) findByKeys(m *Message) (int64, error) {
	keys := append([]string{m.UID}, m.Keys...)
	ph := strings.TrimSuffix(strings.Repeat("?,", len(keys)), ",")
	args := []any{m.ConversationID}
	for _, k := range keys {
		args = append(args, k)
	}
	var id int64
	err := im.tx.QueryRowContext(im.ctx, `SELECT id FROM messages WHERE conversation_id=?1 AND uid IN (`+shift(ph)+`)
		UNION ALL SELECT message_id FROM message_keys WHERE conversation_id=?1 AND key IN (`+shift(ph)+`) LIMIT 1`, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// shift numbers "?,?,?" as ?2,?3,?4 (after the conversation, ?1).
func shift(ph string) string {
	n := strings.Count(ph, "?")
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("?%d", i+2)
	}
	return strings.Join(parts, ",")
}

// matchByContent finds the stored message of another rank that m is, by UTC minute and
// normalised text, in order of occurrence among those not yet claimed by this rank.
func (im *Import) matchByContent(m *Message) (int64, error) {
	start := m.Time.UnixMilli() / 60000 * 60000
	rows, err := im.tx.QueryContext(im.ctx, `SELECT m.id, m.text FROM messages m JOIN imports i ON i.id = m.import_id
		WHERE m.conversation_id = ?1 AND m.ts >= ?2 AND m.ts < ?3 AND i.rank <> ?4
		AND NOT EXISTS (SELECT 1 FROM message_keys k JOIN imports ki ON ki.id = k.import_id WHERE k.message_id = m.id AND ki.rank = ?4)
		ORDER BY m.ts, m.id`, m.ConversationID, start, start+60000, im.info.Rank)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	want := MatchText(m.Text)
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return 0, err
		}
		if !im.claimed[id] && MatchText(text) == want {
			if im.claimed == nil {
				im.claimed = map[int64]bool{}
			}
			im.claimed[id] = true
			return id, nil
		}
	}
	return 0, rows.Err()
}

// MatchText is the form of a text two sources agree on: NFC, white space runs as one space,
// invisible format characters (direction marks) dropped.
func MatchText(s string) string {
	s = norm.NFC.String(s)
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) }), " ")
}

// stored is a stored message's fields that a merge compares.
type stored struct {
	id, importID, ts int64
	uid, text        string
	kind             Kind
	flags            Flags
	rank             int
	srcPos, raw      string
}

func (im *Import) loadStored(id int64) (*stored, error) {
	s := &stored{id: id}
	var kind string
	err := im.tx.QueryRowContext(im.ctx, `SELECT m.uid, m.ts, m.text, m.kind, m.flags, m.import_id, i.rank, m.src_pos, m.raw
		FROM messages m JOIN imports i ON i.id = m.import_id WHERE m.id = ?`, id).
		Scan(&s.uid, &s.ts, &s.text, &kind, &s.flags, &s.importID, &s.rank, &s.srcPos, &s.raw)
	s.kind = Kind(kind)
	return s, err
}

// merge folds m into the stored message id: m's keys are recorded; when m's source ranks higher,
// its record replaces the stored one (which stays as a provenance, its uid as a key); either way a
// content match leaves m's place and raw record as a provenance, and m's reactions, votes and
// revisions are added. A deletion tombstone never erases archived text.
func (im *Import) merge(id int64, m *Message, byContent bool) error {
	im.state(m.ConversationID).merged = true
	s, err := im.loadStored(id)
	if err != nil {
		return err
	}
	changed := false
	best := s.uid // the stored message's uid once merged
	if im.info.Rank > s.rank {
		if err := im.replace(s, m); err != nil {
			return err
		}
		changed, best = true, m.UID
	} else if byContent {
		if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO message_sources(message_id, import_id, src_pos, raw) VALUES(?,?,?,?)
			ON CONFLICT DO NOTHING`, id, im.id, m.SrcPos, m.Raw); err != nil {
			return err
		}
		if n, err := im.fillMedia(id, m.Attachments); err != nil {
			return err
		} else if n > 0 {
			changed = true
		}
	}
	if byContent || len(m.Keys) > 0 {
		im.report.MessagesMerged += b2i(byContent)
		for _, k := range append([]string{m.UID}, m.Keys...) {
			if k == best {
				continue
			}
			if err := im.addKey(m.ConversationID, k, id); err != nil {
				return err
			}
		}
	}
	before := im.report.MessagesUpdated
	if err := im.addExtras(id, m); err != nil {
		return err
	}
	if changed || im.report.MessagesUpdated != before {
		im.months[monthKey{m.ConversationID, MonthOf(m.Time)}] = true
		im.months[monthKey{m.ConversationID, MonthOf(unixMilli(s.ts))}] = true
	}
	return nil
}

// replace writes m's record over the stored one, keeping the stored one as a provenance.
func (im *Import) replace(s *stored, m *Message) error {
	if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO message_sources(message_id, import_id, src_pos, raw) VALUES(?,?,?,?)
		ON CONFLICT DO NOTHING`, s.id, s.importID, s.srcPos, s.raw); err != nil {
		return err
	}
	if s.uid != m.UID {
		if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO message_keys(conversation_id, key, message_id, import_id) VALUES(?,?,?,?)
			ON CONFLICT DO NOTHING`, m.ConversationID, s.uid, s.id, s.importID); err != nil {
			return err
		}
		im.state(m.ConversationID).altKeys = true
	}
	kind, text, flags := m.Kind, m.Text, m.Flags|(s.flags&FlagStarred)
	if m.Kind == KindDeleted && s.kind != KindDeleted {
		kind, text, flags = s.kind, s.text, flags|FlagDeleted
	}
	var offset, sender any
	if m.OffsetKnown {
		offset = m.Offset
	}
	if m.SenderID != 0 {
		sender = m.SenderID
	}
	if _, err := im.tx.ExecContext(im.ctx, `UPDATE messages SET uid=?, ts=?, ts_offset=?, ts_assumed=?, sender_id=?, from_me=?,
		kind=?, text=?, flags=?, reply_to=?, details=?, import_id=?, src_pos=?, raw=? WHERE id=?`,
		m.UID, m.Time.UnixMilli(), offset, m.OffsetAssumed, sender, m.FromMe, string(kind), text, int64(flags), m.ReplyTo,
		detailsJSON(m.Details), im.id, m.SrcPos, m.Raw, s.id); err != nil {
		return fmt.Errorf("merge message: %w", err)
	}
	// The index orders by time: a new time needs the message under its new key as well.
	if text != s.text || m.Time.UnixMilli() != s.ts {
		doc := *m
		doc.Text = text
		im.extraDocs = append(im.extraDocs, indexDoc{id: s.id, ts: m.Time.UnixMilli(), text: searchText(&doc), again: true})
	}
	if len(m.Attachments) > 0 {
		if err := im.replaceAttachments(s.id, m.Attachments); err != nil {
			return err
		}
	}
	im.report.MessagesUpdated++
	return nil
}

// replaceAttachments puts the richer source's attachments in place, keeping a stored file
// where the richer source lacks it (a database whose media folder was not copied).
func (im *Import) replaceAttachments(id int64, atts []Attachment) error {
	old := map[int]Attachment{}
	rows, err := im.tx.QueryContext(im.ctx, `SELECT ord, size, mime, coalesce(sha256, '') FROM attachments WHERE message_id=?`, id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var ord int
		var a Attachment
		if err := rows.Scan(&ord, &a.Size, &a.MIME, &a.SHA256); err != nil {
			rows.Close()
			return err
		}
		old[ord] = a
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if _, err := im.tx.ExecContext(im.ctx, `DELETE FROM attachments WHERE message_id=?`, id); err != nil {
		return err
	}
	merged := make([]Attachment, len(atts))
	for i, a := range atts {
		if o, ok := old[i]; ok && a.SHA256 == "" && o.SHA256 != "" {
			a.SHA256, a.Size = o.SHA256, o.Size
			if a.MIME == "" {
				a.MIME = o.MIME
			}
		}
		merged[i] = a
	}
	before := im.report.AttachmentsAdded
	err = im.addParts(id, &Message{Attachments: merged})
	im.report.AttachmentsAdded = before
	return err
}

// fillMedia gives stored attachments without a file the file m's source has. It returns how
// many it filled.
func (im *Import) fillMedia(id int64, atts []Attachment) (int, error) {
	n := 0
	for i, a := range atts {
		if a.SHA256 == "" {
			continue
		}
		res, err := im.tx.ExecContext(im.ctx, `UPDATE attachments SET sha256=?, size=?, mime=CASE WHEN mime='' THEN ? ELSE mime END
			WHERE message_id=? AND ord=? AND sha256 IS NULL`, a.SHA256, a.Size, a.MIME, id, i)
		if err != nil {
			return n, err
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

func (im *Import) addKey(conv int64, key string, id int64) error {
	_, err := im.tx.ExecContext(im.ctx, `INSERT INTO message_keys(conversation_id, key, message_id, import_id) VALUES(?,?,?,?)
		ON CONFLICT DO NOTHING`, conv, key, id, im.id)
	im.state(conv).altKeys = true
	return err
}

// addKeys records a newly inserted message's extra keys.
func (im *Import) addKeys(id int64, m *Message) error {
	for _, k := range m.Keys {
		if k == m.UID {
			continue
		}
		if err := im.addKey(m.ConversationID, k, id); err != nil {
			return err
		}
	}
	return nil
}

// recordMessageRanks notes, per conversation this import added messages to, that it holds
// messages of this rank.
func (im *Import) recordMessageRanks() error {
	for conv, st := range im.convState {
		if !st.added {
			continue
		}
		q, args := `UPDATE conversations SET message_ranks = message_ranks | ? WHERE id=?`, []any{rankBit(im.info.Rank), conv}
		if im.info.Restore && im.firstID == 0 {
			// Into an empty archive: the conversation holds this import's messages only.
			ids := make([]string, 0, len(st.imports))
			for id := range st.imports {
				ids = append(ids, strconv.FormatInt(id, 10))
			}
			q, args = `UPDATE conversations SET message_ranks = (SELECT coalesce(sum(DISTINCT 1 << (rank / 10)), 0)
				FROM imports WHERE id IN (`+strings.Join(ids, ",")+`)) WHERE id = ?`, []any{conv}
		} else if im.info.Restore {
			// Restored messages keep their original imports, whose ranks say what they are.
			q, args = `UPDATE conversations SET message_ranks = (SELECT coalesce(sum(DISTINCT 1 << (r / 10)), 0) FROM
				(SELECT DISTINCT i.rank AS r FROM messages m JOIN imports i ON i.id = m.import_id WHERE m.conversation_id = ?1))
				WHERE id = ?1`, []any{conv}
		}
		if _, err := im.tx.ExecContext(im.ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
