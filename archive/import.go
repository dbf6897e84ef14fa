package archive

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ImportInfo says where an import comes from, for provenance.
type ImportInfo struct {
	Importer        string
	ImporterVersion string
	SourcePath      string
	SourceDigest    string            // sha256 of the source bytes; may also be set later with SetSourceDigest
	Options         map[string]string // the assumptions the import made: time zone, date order, me
	Key             string            // stable id of the import; empty = new random (set by a restore)
	StartedAt       time.Time         // zero = now (set by a restore)
	// Rank says how much the source knows (RankExport, RankDatabase; 0 = RankExport): a richer
	// source's fields win over a poorer one's, and a poorer one never downgrades them.
	Rank int
	// Restore marks an import that brings back messages with their own provenance (every message
	// names its original import): it leaves no import record of its own, so a restored archive
	// dumps to exactly the bytes it was backed up from.
	Restore bool
}

// Import is one import run: a single transaction that lands whole or not at all.
// Methods must be called from one goroutine.
type Import struct {
	a      *Archive
	ctx    context.Context
	tx     *sql.Tx
	id     int64
	info   ImportInfo
	report Report
	done   bool

	pending  []Message // the batch being filled; the writer goroutine owns the ones sent
	args     []any     // its INSERT arguments, built here so the writer only writes
	writer   *messageWriter
	fullStmt *sql.Stmt
	index    *indexWriter
	lastID   int64 // the highest message id in the table: rows above it are this statement's
	firstID  int64 // the highest message id before the import: rows above it are the import's
	convs    map[int64]string
	// newConvs are the conversations this import created: whether the user sent any of their
	// messages is known without reading them back (me.go).
	newConvs map[int64]bool
	// meMarked are the conversations in which MarkFromMe flagged messages as the user's.
	meMarked map[int64]bool
	months   map[monthKey]bool // conversation months this import changed
	staged   []staged          // media files written but not yet published
	stagedBy map[string]bool   // their digests, so a file twice in one import is staged once
	ahead    mediaAhead        // media files being copied by StageMedia
	bulk     *MediaLoad        // media files being copied by name (LoadMedia)
	created  []string          // media files this import published, removed again if the commit fails
	attStmt  *sql.Stmt
	reacStmt *sql.Stmt
	// reacStmts replace and find reactions of stored messages (reaction.go).
	reacStmts reactionStmts
	// Prepared on first use: run once per attachment, parsing them each time cost as much.
	knownStmt, mediaStmt *sql.Stmt

	// lastMonth is the conversation month the writer noted last (noteMonth).
	lastMonth monthSpan

	updates []Update // queued with the pending batch
	// The writer goroutine's view of each conversation it wrote to (see merge.go).
	convState map[int64]*convState
	claimed   map[int64]bool // stored messages a message of this import was matched with
	extraDocs []indexDoc     // new texts of stored messages, indexed at commit
}

// insertBatchRows messages go into one INSERT statement: per-statement overhead dominates
// single-row inserts in SQLite.
const insertBatchRows = 64

var messageColumns = []string{"conversation_id", "uid", "ts", "ts_offset", "ts_assumed", "sender_id", "from_me",
	"kind", "text", "flags", "reply_to", "details", "import_id", "src_pos", "raw"}

// BeginImport starts an import. It takes the archive's write lock; a second writer waits and then
// fails with ErrBusy.
func (a *Archive) BeginImport(ctx context.Context, info ImportInfo) (*Import, error) {
	if err := a.catchUpIndex(ctx); err != nil {
		return nil, err
	}
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, mapBusy(err)
	}
	im := &Import{a: a, ctx: ctx, tx: tx, info: info, convs: map[int64]string{}, months: map[monthKey]bool{}}
	if info.Key == "" {
		info.Key = randomID(16)
	}
	if info.StartedAt.IsZero() {
		info.StartedAt = time.Now()
	}
	im.info = info
	opts, _ := json.Marshal(info.Options)
	if info.Options == nil {
		opts = []byte("{}")
	}
	if info.Rank == 0 {
		info.Rank = RankExport
	}
	im.info = info
	err = tx.QueryRowContext(ctx, `INSERT INTO imports(key, started_at, importer, importer_version, source_path, source_digest, options, rank)
		VALUES(?,?,?,?,?,?,?,?) RETURNING id`,
		info.Key, info.StartedAt.UnixMilli(), info.Importer, info.ImporterVersion, info.SourcePath, info.SourceDigest, string(opts), info.Rank).Scan(&im.id)
	if err != nil {
		tx.Rollback()
		return nil, mapBusy(err)
	}
	im.report = Report{ImportID: im.id, Source: info.SourcePath, Importer: info.Importer, Warnings: []Warning{}, Conversations: []string{}}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM messages`).Scan(&im.lastID); err != nil {
		tx.Rollback()
		return nil, err
	}
	im.firstID = im.lastID
	if im.index, err = a.index.begin(ctx); err != nil {
		tx.Rollback()
		return nil, err
	}
	im.writer = im.startWriter()
	return im, nil
}

func mapBusy(err error) error {
	if err != nil && (strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked")) {
		return ErrBusy
	}
	return err
}

func insertMessagesSQL(rows int) string {
	return "INSERT INTO messages(" + strings.Join(messageColumns, ",") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(messageRowMarks, rows), ",") +
		" ON CONFLICT(conversation_id, uid) DO NOTHING"
}

type msgKey struct {
	conv int64
	uid  string
}

// insertedIDs works out which of msgs the last INSERT added: ids[i] is msgs[i]'s new id, or 0
// when it was already present. A multi-row INSERT gives the rows it adds consecutive ids
// (AUTOINCREMENT, one writer), so when nothing was present the ids follow from the last one;
// otherwise the new rows are read back.
func (im *Import) insertedIDs(msgs []Message, n int, last int64) ([]int64, error) {
	ids := make([]int64, len(msgs))
	if n == 0 {
		return ids, nil
	}
	if n == len(msgs) {
		for i := range ids {
			ids[i] = last - int64(n-1-i)
		}
		im.lastID = last
		return ids, nil
	}
	added := make(map[msgKey]int64, n)
	rows, err := im.tx.QueryContext(im.ctx, `SELECT id, conversation_id, uid FROM messages WHERE id > ? ORDER BY id`, im.lastID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k msgKey
		if err := rows.Scan(&id, &k.conv, &k.uid); err != nil {
			return nil, err
		}
		added[k] = id
		im.lastID = id
	}
	for i := range msgs {
		k := msgKey{msgs[i].ConversationID, msgs[i].UID}
		if id, ok := added[k]; ok {
			ids[i] = id
			delete(added, k) // a second copy in the same batch is a duplicate
		}
	}
	return ids, rows.Err()
}

// ID is the import's row id.
func (im *Import) ID() int64 { return im.id }

// Key is the import's stable id.
func (im *Import) Key() string { return im.info.Key }

// SetSourceDigest records the source's digest once the importer has read it all.
func (im *Import) SetSourceDigest(d string) { im.info.SourceDigest = d }

// SetOption records an assumption the import made.
func (im *Import) SetOption(k, v string) {
	if im.info.Options == nil {
		im.info.Options = map[string]string{}
	}
	im.info.Options[k] = v
}

// Note adds a line the user should read in the report (an assumption, an ambiguity).
func (im *Import) Note(s string) { im.report.Notes = append(im.report.Notes, s) }

// Warn records a record that could not be (fully) understood, by its line in a text source.
func (im *Import) Warn(file string, line int, format string, args ...any) {
	im.report.warn(Warning{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// WarnAt records a record that could not be (fully) understood, by its place in a source that has
// no lines: "row 4411", "message 123", "offset 52011".
func (im *Import) WarnAt(file, pos string, format string, args ...any) {
	im.report.warn(Warning{File: file, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// Member records that a participant belongs to a conversation.
func (im *Import) Member(conversationID, participantID int64) error {
	_, err := im.tx.ExecContext(im.ctx, `INSERT INTO conversation_members(conversation_id, participant_id) VALUES(?,?) ON CONFLICT DO NOTHING`,
		conversationID, participantID)
	return err
}

// PutMedia stores a media file (at most maxBytes, 0 = no limit) and returns its SHA-256 and size.
// The file is made durable and given its name just before the import commits.
func (im *Import) PutMedia(r io.Reader, mime string, maxBytes int64) (sha string, size int64, err error) {
	st, size, err := im.a.media.stage(r, maxBytes)
	if err != nil {
		return "", 0, err
	}
	return im.recordMedia(st, size, mime)
}

// recordMedia keeps a staged file for publishing (unless the store or this import has it
// already) and records it in the media table.
func (im *Import) recordMedia(st staged, size int64, mime string) (sha string, _ int64, err error) {
	sha = st.sha
	if im.stagedBy == nil {
		im.stagedBy = map[string]bool{}
	}
	if im.stagedBy[sha] || im.a.media.exists(sha) {
		im.a.media.discard([]staged{st})
	} else {
		im.staged = append(im.staged, st)
		im.stagedBy[sha] = true
	}
	if im.mediaStmt == nil {
		if im.mediaStmt, err = im.tx.PrepareContext(im.ctx, `INSERT INTO media(sha256, size, mime) VALUES(?,?,?) ON CONFLICT DO NOTHING`); err != nil {
			return "", 0, err
		}
	}
	res, err := im.mediaStmt.ExecContext(im.ctx, sha, size, mime)
	if err != nil {
		return "", 0, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		im.report.MediaAdded++
		im.report.MediaBytesAdded += size
	}
	return sha, size, nil
}

// AddMessage adds a message unless one with the same UID is already in its conversation
// (then it counts as present). Messages are written in batches; the report has the counts.
// The import keeps m's Attachments and Reactions slices: do not modify them afterwards.
func (im *Import) AddMessage(m *Message) error {
	if im.done {
		return errors.New("import already finished")
	}
	if m.ConversationID == 0 || m.UID == "" {
		return errors.New("message needs a conversation and a uid")
	}
	if m.Kind == "" {
		m.Kind = KindText
	}
	if im.writer.failed.Load() {
		return im.flush()
	}
	im.pending = append(im.pending, *m)
	im.args = appendMessageArgs(im.args, m, im.id)
	if len(im.pending) >= insertBatchRows {
		im.send(nil)
	}
	return nil
}

// write inserts a batch of messages (args: their INSERT arguments) with their attachments and
// reactions and hands the new ones to the search index. It runs on the writer goroutine.
func (im *Import) write(msgs []Message, args []any) error {
	var res sql.Result
	var err error
	if im.mustResolve(msgs) {
		if msgs, args, err = im.resolve(msgs); err != nil {
			return err
		}
		if len(msgs) == 0 {
			return nil
		}
	}
	if len(msgs) == insertBatchRows {
		// Prepared at the first full batch: most chats of a big folder never fill one, and
		// preparing the statement of 64 rows costs a millisecond per import.
		if im.fullStmt == nil {
			if im.fullStmt, err = im.tx.PrepareContext(im.ctx, insertMessagesSQL(insertBatchRows)); err != nil {
				return fmt.Errorf("insert messages: %w", err)
			}
		}
		res, err = im.fullStmt.ExecContext(im.ctx, args...)
	} else {
		res, err = im.tx.ExecContext(im.ctx, insertMessagesSQL(len(msgs)), args...)
	}
	if err != nil {
		return fmt.Errorf("insert messages: %w", err)
	}
	n, _ := res.RowsAffected()
	last, _ := res.LastInsertId()
	ids, err := im.insertedIDs(msgs, int(n), last)
	if err != nil {
		return err
	}
	docs := make([]indexDoc, 0, n)
	for i := range msgs {
		m, id := &msgs[i], ids[i]
		if id == 0 {
			im.report.MessagesPresent++
			if len(m.Reactions) > 0 || len(m.Votes) > 0 {
				if err := im.presentExtras(m); err != nil {
					return err
				}
			}
			continue
		}
		im.report.MessagesAdded++
		im.noteMonth(m.ConversationID, m.Time)
		st := im.state(m.ConversationID)
		st.added = true
		st.fromMe = st.fromMe || m.FromMe
		if im.info.Restore {
			if st.imports == nil {
				st.imports = map[int64]bool{}
			}
			st.imports[cmp.Or(m.ImportID, im.id)] = true
		}
		if err := im.addParts(id, m); err != nil {
			return err
		}
		if err := im.addKeys(id, m); err != nil {
			return err
		}
		docs = append(docs, indexDoc{id: id, ts: m.Time.UnixMilli(), text: searchText(m)})
	}
	im.index.add(docs)
	return nil
}

func appendMessageArgs(args []any, m *Message, importID int64) []any {
	if m.ImportID != 0 {
		importID = m.ImportID // a restore keeps each message's original import
	}
	var offset, sender any
	if m.OffsetKnown {
		offset = m.Offset
	}
	if m.SenderID != 0 {
		sender = m.SenderID
	}
	return append(args, m.ConversationID, m.UID, m.Time.UnixMilli(), offset, m.OffsetAssumed, sender, m.FromMe,
		string(m.Kind), nullIfEmpty(m.Text), int64(m.Flags), nullIfEmpty(m.ReplyTo), nullIfEmpty(detailsJSON(m.Details)), importID, m.SrcPos, m.Raw)
}

// emptyAsNull are the message columns that are often empty: an empty one is passed as NULL and
// stored as empty text by the statement (coalesce). The driver copies every text argument into C
// memory, an allocation under its allocator's lock and a free, even an empty one; a NULL costs
// neither.
// Measured on bench/sqlite's floor with two such columns, alternating seven times: a median
// 5.34 s against 5.60 s per 1,000,000 rows; in a whole WhatsApp text import (two empty columns a
// message) the difference stayed within the noise (5.66-7.33 s against 5.78-6.79 s).
var emptyAsNull = map[string]bool{"text": true, "reply_to": true, "details": true}

// messageRowMarks is one row of insertMessagesSQL's VALUES, with its trailing comma.
var messageRowMarks = func() string {
	marks := make([]string, len(messageColumns))
	for i, c := range messageColumns {
		marks[i] = "?"
		if emptyAsNull[c] {
			marks[i] = "coalesce(?,'')"
		}
	}
	return "(" + strings.Join(marks, ",") + "),"
}()

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func detailsJSON(d *Details) string {
	if d == nil {
		return ""
	}
	b, err := json.Marshal(d)
	if err != nil || string(b) == "{}" {
		return ""
	}
	return string(b)
}

// searchText is what the index holds for a message: its text and the names of its files.
func searchText(m *Message) string {
	if len(m.Attachments) == 0 && m.Details == nil {
		return m.Text
	}
	parts := []string{m.Text}
	for _, a := range m.Attachments {
		parts = append(parts, a.FileName)
	}
	if d := m.Details; d != nil {
		if d.Location != nil {
			parts = append(parts, d.Location.Name)
		}
		if d.Contact != nil {
			parts = append(parts, d.Contact.Name)
		}
		if d.Link != nil {
			parts = append(parts, d.Link.Title, d.Link.Description)
		}
		if d.Forwarded != nil {
			parts = append(parts, d.Forwarded.Title)
			for _, it := range d.Forwarded.Items {
				parts = append(parts, it.Text)
			}
		}
		if d.Poll != nil {
			parts = append(parts, d.Poll.Question)
			for _, o := range d.Poll.Options {
				parts = append(parts, o.Text)
			}
		}
	}
	return strings.Join(parts, " ")
}

func (im *Import) addParts(id int64, m *Message) error {
	var err error
	for i, a := range m.Attachments {
		if im.attStmt == nil {
			if im.attStmt, err = im.tx.PrepareContext(im.ctx, `INSERT INTO attachments(message_id, ord, kind, file_name, mime, size, sha256, details) VALUES(?,?,?,?,?,?,?,?)`); err != nil {
				return err
			}
		}
		var sha any
		if a.SHA256 != "" {
			sha = a.SHA256
		} else {
			im.report.MediaMissing++
		}
		if _, err := im.attStmt.ExecContext(im.ctx, id, i, string(a.Kind), a.FileName, a.MIME, a.Size, sha, detailsJSON(a.Details)); err != nil {
			return fmt.Errorf("insert attachment: %w", err)
		}
		im.report.AttachmentsAdded++
	}
	for _, r := range m.Reactions {
		if r.Emoji == "" {
			// Taken back (by a Sole source, or as a restore reads it back): nothing to remove
			// from a new message, but replaceReaction keeps a removal of known time, so an older
			// source imported later does not bring the reaction back.
			r.Sole = true
			if _, err := im.addReaction(id, r); err != nil {
				return err
			}
			continue
		}
		if im.reacStmt == nil {
			if im.reacStmt, err = im.tx.PrepareContext(im.ctx, `INSERT INTO reactions(message_id, sender_id, emoji, ts, count) VALUES(?,?,?,?,?) ON CONFLICT DO NOTHING`); err != nil {
				return err
			}
		}
		var ts int64
		if !r.Time.IsZero() {
			ts = r.Time.UnixMilli()
		}
		if _, err := im.reacStmt.ExecContext(im.ctx, id, r.SenderID, r.Emoji, ts, max(r.Count, 1)); err != nil {
			return fmt.Errorf("insert reaction: %w", err)
		}
	}
	for _, r := range m.Revisions {
		if _, err := im.addRevision(id, r.Time, r.Text); err != nil {
			return err
		}
	}
	for _, v := range m.Votes {
		if _, err := im.addVote(id, v); err != nil {
			return err
		}
	}
	return nil
}

// Report is the report so far (complete after Commit). It waits for the messages added so far.
func (im *Import) Report() *Report {
	if !im.done && im.flush() == nil {
		im.noteMeUnknown() //nolint:errcheck // a report without it is still the report
	}
	return im.reportCopy()
}

// reportCopy is the report as a caller may keep it: a copy holding copies of its strings. A
// pointer into im would keep the whole import (its last batches, whose text points into the
// importer's buffers) alive as long as the report, and a folder import keeps one per chat.
func (im *Import) reportCopy() *Report {
	out := im.report
	out.detach()
	return &out
}

// Commit writes what is pending and makes the whole import visible at once.
func (im *Import) Commit() (*Report, error) {
	if im.done {
		return nil, errors.New("import already finished")
	}
	err := im.flush()
	im.writer.stop()
	im.ahead.settle(im.a.media)
	if err == nil && im.bulk != nil && !im.bulk.finished {
		err = errors.New("commit before the media load finished")
	}
	if err != nil {
		im.Rollback()
		return nil, err
	}
	if err := im.markMonthsChanged(); err != nil {
		im.Rollback()
		return nil, err
	}
	if err := im.recordMessageRanks(); err != nil {
		im.Rollback()
		return nil, err
	}
	if err := im.noteMeUnknown(); err != nil {
		im.Rollback()
		return nil, err
	}
	im.index.add(im.extraDocs)
	created, err := im.a.media.publish(im.staged)
	im.created, im.staged = created, nil
	if err != nil {
		im.Rollback()
		return nil, err
	}
	rep, _ := json.Marshal(&im.report)
	opts, _ := json.Marshal(im.info.Options)
	if im.info.Options == nil {
		opts = []byte("{}")
	}
	q, args := `UPDATE imports SET finished_at=?, source_digest=?, options=?, report=? WHERE id=?`,
		[]any{time.Now().UnixMilli(), im.info.SourceDigest, string(opts), string(rep), im.id}
	if im.info.Restore {
		q, args = `DELETE FROM imports WHERE id=? AND NOT EXISTS (SELECT 1 FROM messages WHERE import_id=?)`, []any{im.id, im.id}
		if !im.namedItself() {
			q, args = `DELETE FROM imports WHERE id=?`, []any{im.id} // no scan of the messages
		}
	}
	if _, err := im.tx.ExecContext(im.ctx, q, args...); err != nil {
		im.Rollback()
		return nil, err
	}
	im.closeStmts()
	if err := im.tx.Commit(); err != nil {
		im.done = true
		im.a.pairs.drop()
		im.index.abort()
		im.removeCreatedMedia()
		return nil, mapBusy(err)
	}
	im.done = true
	im.a.media.clearJournal()
	// The archive has committed. The index's high-water mark is the table's highest id, which
	// this import's rows end at; if committing the index fails it is only behind, and the next
	// search or import catches it up, so the error does not fail the import.
	im.index.commit(im.lastID) //nolint:errcheck
	return im.reportCopy(), nil
}

// namedItself reports whether a message this restore added has the restore itself as its import
// (its own import in the dump was unknown), so the restore's import record must stay.
func (im *Import) namedItself() bool {
	for _, st := range im.convState {
		if st.imports[im.id] {
			return true
		}
	}
	return false
}

// Rollback abandons the import: the archive is as it was before, media files it added are removed.
func (im *Import) Rollback() error {
	if im.done {
		return nil
	}
	im.done = true
	im.writer.stop()
	im.ahead.settle(im.a.media)
	if im.bulk != nil {
		im.bulk.abort()
	}
	im.closeStmts()
	err := im.tx.Rollback()
	im.a.pairs.drop() // it may hold this import's conversations
	im.index.abort()
	im.removeCreatedMedia()
	return err
}

func (im *Import) closeStmts() {
	for _, s := range []*sql.Stmt{im.fullStmt, im.attStmt, im.reacStmt, im.knownStmt, im.mediaStmt} {
		if s != nil {
			s.Close()
		}
	}
	im.reacStmts.close()
}

func (im *Import) removeCreatedMedia() {
	im.a.media.discard(im.staged)
	for _, sha := range im.created {
		im.a.media.remove(sha)
	}
	if len(im.created) > 0 {
		im.a.media.clearJournal()
	}
	im.staged, im.created = nil, nil
}

// ImportedDigest reports when the newest finished import by importer at version of a source
// with this digest started, if the archive holds one.
func (a *Archive) ImportedDigest(ctx context.Context, importer, version, digest string) (time.Time, bool, error) {
	var ms int64
	err := a.db.QueryRowContext(ctx, `SELECT started_at FROM imports WHERE importer = ? AND importer_version = ? AND source_digest = ?
		AND finished_at IS NOT NULL ORDER BY started_at DESC LIMIT 1`, importer, version, digest).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("look up earlier imports: %w", err)
	}
	return time.UnixMilli(ms), true, nil
}

// ManifestDigestPrefix starts the source digest of an import whose source was described by its
// container's records rather than read (importer.Part.Digest): a later import of the same digest
// is skipped as unchanged.
const ManifestDigestPrefix = "manifest-"

// ForgetManifestDigests clears every such digest, so the next import of those sources reads
// them again. A restore that brought back less than the imports it names had brought (a partial
// backup, some conversations, damaged or left-out media) calls it: re-importing the phone's
// backup must fill in what is missing, not be skipped as unchanged.
func (im *Import) ForgetManifestDigests() error {
	_, err := im.tx.ExecContext(im.ctx, `UPDATE imports SET source_digest = '' WHERE substr(source_digest, 1, length(?1)) = ?1`, ManifestDigestPrefix)
	return err
}
