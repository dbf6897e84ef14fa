package archive

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// IndexHealth says whether the search index (index.db, derived from archive.db) is usable.
type IndexHealth struct {
	State     string `json:"state"` // ok, missing, behind, ahead, damaged, other-version
	Watermark int64  `json:"watermark"`
	MaxID     int64  `json:"max_message_id"`
	Detail    string `json:"detail,omitempty"`
}

// OK reports whether the index needs nothing. A missing or behind index is caught up by the next
// search, but a check still says so.
func (i IndexHealth) OK() bool { return i.State == "ok" }

// checkIndex looks at index.db read-only. maxID is the highest message id, seq the highest ever
// given.
func checkIndex(ctx context.Context, path string, maxID, seq int64) IndexHealth {
	ih := IndexHealth{MaxID: maxID}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		ih.State = "missing"
		return ih
	}
	db, err := openReadOnly(path)
	if err != nil {
		ih.State, ih.Detail = "damaged", err.Error()
		return ih
	}
	defer db.Close()
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		ih.State, ih.Detail = "damaged", err.Error()
		return ih
	}
	if version != indexVersion {
		ih.State, ih.Detail = "other-version", fmt.Sprintf("version %d, this chatvault uses %d", version, indexVersion)
		return ih
	}
	if bad, err := integrityCheck(ctx, db); err != nil || len(bad) > 0 {
		ih.State = "damaged"
		if err != nil {
			ih.Detail = err.Error()
		} else {
			ih.Detail = bad[0]
		}
		return ih
	}
	s := &searchIndex{db: db, reads: newPreparedDB(db)}
	if ih.Watermark, err = s.watermark(ctx); err != nil {
		ih.State, ih.Detail = "damaged", err.Error()
		return ih
	}
	switch {
	case ih.Watermark < maxID:
		ih.State = "behind"
	case ih.Watermark > seq:
		ih.State = "ahead" // holds messages this archive does not: another archive's index
	default:
		ih.State = "ok"
	}
	return ih
}
