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

// monthSpan is one conversation's month as Unix milliseconds [from, to).
type monthSpan struct {
	conv     int64
	from, to int64
}

// noteMonth records that conv's month of t changed. Consecutive messages nearly always share one
// conversation month, so the last one is remembered and only a message outside it pays for
// formatting the month and the map: the writer does this for every message it adds, on the
// import's critical path.
func (im *Import) noteMonth(conv int64, t time.Time) {
	ms := t.UnixMilli()
	if s := im.lastMonth; s.conv == conv && s.from <= ms && ms < s.to {
		return
	}
	u := t.UTC()
	start := time.Date(u.Year(), u.Month(), 1, 0, 0, 0, 0, time.UTC)
	im.lastMonth = monthSpan{conv: conv, from: start.UnixMilli(), to: start.AddDate(0, 1, 0).UnixMilli()}
	im.months[monthKey{conv, MonthOf(t)}] = true
}

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
