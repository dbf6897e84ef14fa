package vault

import (
	"context"
	"errors"
)

// Exists reports whether dest holds a chatvault vault, without a password: `vault add` connects
// to one that is there (as kopia's "repository connect" does) instead of sending the user to
// init. Errors: ErrUnreachable, ErrDamaged; "nothing there" is false with no error.
func Exists(ctx context.Context, dest Destination) (bool, error) {
	raw, _, err := connectStorage(ctx, dest, false)
	if errors.Is(err, ErrNotInitialized) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, raw.Close(ctx)
}
