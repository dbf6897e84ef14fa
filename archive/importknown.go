package archive

import (
	"database/sql"
	"errors"
)

// StoredWithFiles reports whether the conversation already holds the message uid, from a source
// of this import's rank or higher, with at least attachments attachments and every one of their
// files. Adding it again then changes nothing but reactions, edits and keys, so an importer
// re-reading a source (tonight's phone backup) may skip copying its media files again.
func (im *Import) StoredWithFiles(conversationID int64, uid string, attachments int) (bool, error) {
	var n, missing int
	var rank sql.NullInt64
	if im.knownStmt == nil {
		var err error
		if im.knownStmt, err = im.tx.PrepareContext(im.ctx, `SELECT i.rank,
			(SELECT count(*) FROM attachments a WHERE a.message_id = m.id),
			(SELECT count(*) FROM attachments a WHERE a.message_id = m.id AND a.sha256 IS NULL)
		FROM messages m JOIN imports i ON i.id = m.import_id WHERE m.conversation_id = ? AND m.uid = ?`); err != nil {
			return false, err
		}
	}
	err := im.knownStmt.QueryRowContext(im.ctx, conversationID, uid).Scan(&rank, &n, &missing)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return int(rank.Int64) >= im.info.Rank && n >= attachments && missing == 0, nil
}
