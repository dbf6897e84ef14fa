package backup

import (
	"fmt"

	"github.com/chatvault/chatvault/vault"
)

// SpaceError is a backup refused before it wrote anything: the destination has less free space
// (after the reserve chatvault keeps) than the upload may need.
type SpaceError struct {
	Need, Free, Reserve int64
}

func (e *SpaceError) Error() string {
	return fmt.Sprintf("the backup may need up to %d bytes but %d are free (%d kept in reserve): %v", e.Need, e.Free, e.Reserve, vault.ErrNoSpace)
}

func (e *SpaceError) Unwrap() error { return vault.ErrNoSpace }
