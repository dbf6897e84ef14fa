package archive

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"
)

// minuteKeys re-keys WhatsApp text-export messages at minute precision (schema 2). Exports from
// iPhones carry seconds and those from Android do not; schema 1 keyed each at its own precision,
// so the same chat exported from both phones was stored twice. A key is
// <yyyymmddThhmm[ss]>-<content hash>[-<occurrence>]; the seconds are dropped and the occurrence
// renumbered within the minute, per import in time order, as the importer now does. A message
// whose new key another import's message already has is the same message: the earlier-imported
// one stays, the other's place and raw record become a second provenance of it and its
// reactions move to it, and every month of the conversation is re-dumped.
func minuteKeys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT m.id, m.conversation_id, m.import_id, m.uid, m.src_pos, m.raw FROM messages m
		JOIN conversations c ON c.id = m.conversation_id
		WHERE c.service = 'whatsapp' AND c.key LIKE 'export:%' AND length(m.uid) >= 36 AND substr(m.uid, 9, 1) = 'T' AND substr(m.uid, 16, 1) = '-'
		ORDER BY m.conversation_id, m.import_id, m.ts, m.id`)
	if err != nil {
		return err
	}
	type rekey struct {
		id, conv, imp int64
		uid, src, raw string
	}
	var todo []rekey
	for rows.Next() {
		var r rekey
		if err := rows.Scan(&r.id, &r.conv, &r.imp, &r.uid, &r.src, &r.raw); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if len(todo) == 0 {
		return nil
	}
	counts := map[string]int{} // conv/import/base -> occurrences so far
	convs := map[int64]bool{}
	for _, r := range todo {
		base := minuteBase(r.uid)
		if base == "" {
			continue
		}
		ck := strconv.FormatInt(r.conv, 10) + "/" + strconv.FormatInt(r.imp, 10) + "/" + base
		counts[ck]++
		uid := base
		if n := counts[ck]; n > 1 {
			uid += "-" + strconv.Itoa(n)
		}
		convs[r.conv] = true
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM messages WHERE conversation_id=? AND uid=?`, r.conv, uid).Scan(&other)
		switch {
		case err == sql.ErrNoRows:
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET uid=? WHERE id=?`, uid, r.id); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if err := foldDuplicate(ctx, tx, other, r.id, r.imp, r.src, r.raw); err != nil {
				return err
			}
		}
	}
	now := time.Now().UnixMilli()
	for conv := range convs {
		if _, err := tx.ExecContext(ctx, `UPDATE dump_months SET changed_at = max(?, changed_at + 1) WHERE conversation_id = ?`, now, conv); err != nil {
			return err
		}
	}
	return nil
}

// minuteBase turns "20200102T101112-<hash>[-n]" into "20200102T1011-<hash>".
func minuteBase(uid string) string {
	stamp, rest, ok := strings.Cut(uid, "-")
	if !ok || len(stamp) != 15 {
		return ""
	}
	hash, _, _ := strings.Cut(rest, "-")
	return stamp[:13] + "-" + hash
}

// foldDuplicate removes message dup, which is the same message as keep: dup's source becomes a
// provenance of keep, its reactions move to keep, its attachments fill keep's missing files.
func foldDuplicate(ctx context.Context, tx *sql.Tx, keep, dup, dupImport int64, src, raw string) error {
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO message_sources(message_id, import_id, src_pos, raw) VALUES(?,?,?,?) ON CONFLICT DO NOTHING`, []any{keep, dupImport, src, raw}},
		{`INSERT INTO reactions(message_id, sender_id, emoji, ts, count) SELECT ?, sender_id, emoji, ts, count FROM reactions WHERE message_id=? ON CONFLICT DO NOTHING`, []any{keep, dup}},
		{`UPDATE attachments SET sha256 = (SELECT d.sha256 FROM attachments d WHERE d.message_id = ?2 AND d.ord = attachments.ord),
			size = (SELECT d.size FROM attachments d WHERE d.message_id = ?2 AND d.ord = attachments.ord)
			WHERE message_id = ?1 AND sha256 IS NULL AND EXISTS (SELECT 1 FROM attachments d WHERE d.message_id = ?2 AND d.ord = attachments.ord AND d.sha256 IS NOT NULL)`, []any{keep, dup}},
		{`DELETE FROM reactions WHERE message_id=?`, []any{dup}},
		{`DELETE FROM attachments WHERE message_id=?`, []any{dup}},
		{`DELETE FROM messages WHERE id=?`, []any{dup}},
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s.q, s.args...); err != nil {
			return err
		}
	}
	return nil
}
