package archive

import (
	"time"
)

type monthKey struct {
	conv  int64
	month string
}

// MonthOf is the dump month (UTC) a message at t belongs to: "2024-03".
func MonthOf(t time.Time) string { return t.UTC().Format("2006-01") }

// markMonthsChanged moves changed_at forward for every conversation month this import touched,
// so the next backup regenerates exactly those months.
func (im *Import) markMonthsChanged() error {
	if len(im.months) == 0 {
		return nil
	}
	stmt, err := im.tx.PrepareContext(im.ctx, `INSERT INTO dump_months(conversation_id, month, changed_at) VALUES(?,?,?)
		ON CONFLICT(conversation_id, month) DO UPDATE SET changed_at = max(excluded.changed_at, changed_at + 1)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	now := time.Now().UnixMilli()
	for k := range im.months {
		if _, err := stmt.ExecContext(im.ctx, k.conv, k.month, now); err != nil {
			return err
		}
	}
	return nil
}

// markConversationChanged marks every month of a conversation changed (after an update that may
// touch any of them).
func (im *Import) markConversationChanged(conversationID int64) error {
	_, err := im.tx.ExecContext(im.ctx, `UPDATE dump_months SET changed_at = max(?, changed_at + 1) WHERE conversation_id = ?`,
		time.Now().UnixMilli(), conversationID)
	return err
}
