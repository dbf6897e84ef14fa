package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// This file is what the dump (the deterministic rendering of the archive that backups store)
// needs beyond ordinary reads: which months changed, the import records, the media a selection
// uses, and, for restore, writing those back.

// DumpMonth describes one conversation month's dump file as the archive last measured it.
type DumpMonth struct {
	ConversationID int64
	Month          string // YYYY-MM
	ChangedAt      int64  // moves forward whenever the month's messages change
	Digest         string // sha256 of the month's dump file, valid when DigestOf == ChangedAt
	Size           int64
	Messages       int
	DigestOf       int64
}

// Current reports whether Digest, Size and Messages describe the month as it is now.
func (d DumpMonth) Current() bool { return d.Digest != "" && d.DigestOf == d.ChangedAt }

// DumpMonths lists the months of a conversation, oldest first.
func (v *View) DumpMonths(ctx context.Context, conversationID int64) ([]DumpMonth, error) {
	rows, err := v.q.QueryContext(ctx, `SELECT conversation_id, month, changed_at, digest, size, messages, digest_of
		FROM dump_months WHERE conversation_id = ? ORDER BY month`, conversationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DumpMonth
	for rows.Next() {
		var d DumpMonth
		if err := rows.Scan(&d.ConversationID, &d.Month, &d.ChangedAt, &d.Digest, &d.Size, &d.Messages, &d.DigestOf); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SaveDumpDigests records measured months, unless they changed again in the meantime.
func (a *Archive) SaveDumpDigests(ctx context.Context, months []DumpMonth) error {
	if len(months) == 0 {
		return nil
	}
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return mapBusy(err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `UPDATE dump_months SET digest=?, size=?, messages=?, digest_of=changed_at
		WHERE conversation_id=? AND month=? AND changed_at=?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, m := range months {
		if _, err := stmt.ExecContext(ctx, m.Digest, m.Size, m.Messages, m.ConversationID, m.Month, m.ChangedAt); err != nil {
			return err
		}
	}
	return mapBusy(tx.Commit())
}

// MonthRange is the [start, end) of a dump month in Unix ms.
func MonthRange(month string) (int64, int64, error) {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return 0, 0, fmt.Errorf("bad month %q", month)
	}
	return t.UnixMilli(), t.AddDate(0, 1, 0).UnixMilli(), nil
}

// MaxMessageID is the newest message id the view sees.
func (v *View) MaxMessageID(ctx context.Context) (int64, error) {
	var id int64
	err := v.q.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM messages`).Scan(&id)
	return id, err
}

// ConversationMembers lists the ids of a conversation's participants.
func (v *View) ConversationMembers(ctx context.Context, conversationID int64) ([]int64, error) {
	rows, err := v.q.QueryContext(ctx, `SELECT participant_id FROM conversation_members WHERE conversation_id=?`, conversationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ImportRecord is one import run's provenance.
type ImportRecord struct {
	ID              int64             `json:"-"`
	Key             string            `json:"key"`
	StartedAt       int64             `json:"started_at"`
	FinishedAt      int64             `json:"finished_at,omitempty"`
	Importer        string            `json:"importer"`
	ImporterVersion string            `json:"importer_version"`
	SourcePath      string            `json:"source_path"`
	SourceDigest    string            `json:"source_digest,omitempty"`
	Options         map[string]string `json:"options,omitempty"`
	Report          json.RawMessage   `json:"report,omitempty"`
}

// Imports lists every finished import, oldest first.
func (v *View) Imports(ctx context.Context) ([]ImportRecord, error) {
	rows, err := v.q.QueryContext(ctx, `SELECT id, key, started_at, coalesce(finished_at, 0), importer, importer_version,
		source_path, source_digest, options, report FROM imports ORDER BY started_at, key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ImportRecord
	for rows.Next() {
		var r ImportRecord
		var opts, rep string
		if err := rows.Scan(&r.ID, &r.Key, &r.StartedAt, &r.FinishedAt, &r.Importer, &r.ImporterVersion, &r.SourcePath,
			&r.SourceDigest, &opts, &rep); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(opts), &r.Options)
		if rep != "" && rep != "{}" {
			r.Report = json.RawMessage(rep)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// MediaFile is a stored media file.
type MediaFile struct {
	SHA256 string
	Size   int64
	MIME   string
}

// MediaFilter selects media for a partial backup.
type MediaFilter struct {
	ConversationIDs []int64 // nil = all conversations
	NoVideos        bool
	MaxSize         int64 // 0 = no limit
}

// EachMedia streams the media files whose names start with prefix (a fan-out folder, "ab"), in
// name order, restricted by the filter to what the selected conversations' attachments use.
func (v *View) EachMedia(ctx context.Context, prefix string, f MediaFilter, fn func(MediaFile) error) error {
	if f.ConversationIDs != nil && len(f.ConversationIDs) == 0 {
		return nil
	}
	hi := prefix + "\xff"
	var rows *sql.Rows
	var err error
	if f.ConversationIDs == nil && !f.NoVideos && f.MaxSize == 0 {
		// Every stored file: media rows are only ever added with the attachment that uses them.
		rows, err = v.q.QueryContext(ctx, `SELECT sha256, size, mime FROM media WHERE sha256 >= ? AND sha256 < ? ORDER BY sha256`, prefix, hi)
	} else {
		conds := []string{"m.sha256 >= ?", "m.sha256 < ?"}
		args := []any{prefix, hi}
		if f.MaxSize > 0 {
			conds = append(conds, "m.size <= ?")
			args = append(args, f.MaxSize)
		}
		sub := `SELECT 1 FROM attachments a JOIN messages msg ON msg.id = a.message_id WHERE a.sha256 = m.sha256`
		if f.NoVideos {
			sub += ` AND a.kind <> 'video'`
		}
		if f.ConversationIDs != nil {
			sub += ` AND msg.conversation_id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(f.ConversationIDs)), ",") + `)`
			for _, id := range f.ConversationIDs {
				args = append(args, id)
			}
		}
		conds = append(conds, "EXISTS ("+sub+")")
		rows, err = v.q.QueryContext(ctx, `SELECT m.sha256, m.size, m.mime FROM media m WHERE `+strings.Join(conds, " AND ")+` ORDER BY m.sha256`, args...)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m MediaFile
		if err := rows.Scan(&m.SHA256, &m.Size, &m.MIME); err != nil {
			return err
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// MediaTotal is the number and bytes of the media files under one fan-out prefix.
type MediaTotal struct {
	Files int
	Bytes int64
}

// MediaTotals counts every stored media file and its bytes by the first two characters of its
// name, in one aggregate query: the same figures as EachMedia with no filter, without a row per
// file (a backup with nothing changed needs only the totals).
func (v *View) MediaTotals(ctx context.Context) (map[string]MediaTotal, error) {
	rows, err := v.q.QueryContext(ctx, `SELECT substr(sha256, 1, 2), count(*), coalesce(sum(size), 0) FROM media GROUP BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]MediaTotal{}
	for rows.Next() {
		var p string
		var t MediaTotal
		if err := rows.Scan(&p, &t.Files, &t.Bytes); err != nil {
			return nil, err
		}
		out[p] = t
	}
	return out, rows.Err()
}

// AddImportRecord recreates an import's provenance during a restore and returns its id (the
// existing one when the archive already has that import).
func (im *Import) AddImportRecord(r ImportRecord) (int64, error) {
	opts, _ := json.Marshal(r.Options)
	if r.Options == nil {
		opts = []byte("{}")
	}
	rep := string(r.Report)
	if rep == "" {
		rep = "{}"
	}
	var id int64
	err := im.tx.QueryRowContext(im.ctx, `INSERT INTO imports(key, started_at, finished_at, importer, importer_version, source_path, source_digest, options, report)
		VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET key=excluded.key RETURNING id`,
		r.Key, r.StartedAt, r.FinishedAt, r.Importer, r.ImporterVersion, r.SourcePath, r.SourceDigest, string(opts), rep).Scan(&id)
	return id, err
}

// HasMedia reports whether the archive already stores a media file.
func (im *Import) HasMedia(sha string) (bool, error) {
	var n int
	err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM media WHERE sha256=?`, sha).Scan(&n)
	return n > 0, err
}

// ErrNotEmpty is returned when an operation needs an empty archive.
var ErrNotEmpty = errors.New("the archive is not empty")

// AdoptID gives an empty archive the identity of the archive it is restored from, so later
// backups continue the same history.
func (a *Archive) AdoptID(ctx context.Context, id string) error {
	var n int
	if err := a.db.QueryRowContext(ctx, `SELECT count(*) FROM messages`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ErrNotEmpty
	}
	if _, err := a.db.ExecContext(ctx, `UPDATE meta SET value=? WHERE key='archive_id'`, id); err != nil {
		return err
	}
	a.id = id
	return nil
}

// CountAttachments counts the attachments of messages in the given conversations (nil: all).
func (v *View) CountAttachments(ctx context.Context, conversationIDs []int64) (int, error) {
	if conversationIDs == nil {
		var n int
		err := v.q.QueryRowContext(ctx, `SELECT count(*) FROM attachments`).Scan(&n)
		return n, err
	}
	if len(conversationIDs) == 0 {
		return 0, nil
	}
	args := make([]any, len(conversationIDs))
	for i, id := range conversationIDs {
		args[i] = id
	}
	var n int
	err := v.q.QueryRowContext(ctx, `SELECT count(*) FROM attachments a JOIN messages m ON m.id = a.message_id
		WHERE m.conversation_id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+`)`, args...).Scan(&n)
	return n, err
}
