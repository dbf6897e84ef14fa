package vault

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/repo/maintenance"
)

// Errors callers tell apart (with errors.Is). Each has a distinct meaning so
// the CLI can map them to distinct exit codes and one clear line of text.
var (
	// ErrWrongPassword: the password (or recovery key) does not open the
	// vault's key slot. A well-formed but wrong recovery key gives this too.
	ErrWrongPassword = errors.New("wrong password or recovery key")

	// ErrInvalidRecoveryKey: the text is not a recovery key at all (wrong
	// length, a non-digit, or a failed checksum: most likely a typo).
	ErrInvalidRecoveryKey = errors.New("not a valid recovery key")

	// ErrNotInitialized: there is no vault at the destination (missing
	// folder, empty bucket, or data that is not a chatvault vault).
	ErrNotInitialized = errors.New("no vault at this destination")

	// ErrAlreadyInitialized: Init found a chatvault vault already there.
	ErrAlreadyInitialized = errors.New("a vault already exists at this destination")

	// ErrNotEmpty: Init refuses a destination that holds other data.
	ErrNotEmpty = errors.New("destination is not empty and is not a chatvault vault")

	// ErrSlotMissing: the vault exists but the key slot needed for this kind
	// of secret is gone (deleted or damaged at the destination).
	ErrSlotMissing = errors.New("key slot missing or damaged at the destination")

	// ErrDamaged: something the vault needs is damaged or missing at the
	// destination (a file kopia cannot decrypt or parse, a pack that is gone).
	// The message names what; Repair and a new backup heal what can be healed.
	ErrDamaged = errors.New("vault is damaged at the destination")

	// ErrUnreachable: the destination could not be reached (network, server,
	// permissions, or credentials).
	ErrUnreachable = errors.New("destination unreachable")

	// ErrLocked: another client holds an exclusive lock (a kopia format
	// upgrade in progress, or maintenance running on this machine).
	ErrLocked = errors.New("vault is locked by another operation")

	// ErrNoSpace: the destination does not have enough free space.
	ErrNoSpace = errors.New("not enough free space at the destination")

	// ErrNotOwner: maintenance is owned by another user@host.
	ErrNotOwner = errors.New("maintenance is owned by another device")

	// ErrSnapshotNotFound: no snapshot matches the given ID.
	ErrSnapshotNotFound = errors.New("snapshot not found")

	// ErrNotFound: no entry at that path inside a snapshot.
	ErrNotFound = errors.New("no such file or directory in snapshot")

	// ErrCanceled: the operation was stopped by its context; the vault
	// stays valid and the next operation can run.
	ErrCanceled = errors.New("canceled")

	// ErrReadOnly: a write was attempted on a vault opened read-only.
	ErrReadOnly = errors.New("vault is opened read-only")
)

// wrapf attaches a sentinel to an underlying error while keeping both in the
// chain, so errors.Is works for the sentinel and -v output can show the cause.
func wrapf(sentinel, cause error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if cause == nil {
		return fmt.Errorf("%s: %w", msg, sentinel)
	}

	return fmt.Errorf("%s: %w: %w", msg, sentinel, cause)
}

// classifyKopiaError maps errors coming out of kopia to our sentinels where a
// caller can act on the difference, and leaves everything else as it is.
func classifyKopiaError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNoSpace), errors.Is(err, ErrLocked), errors.Is(err, ErrCanceled),
		errors.Is(err, ErrNotOwner), errors.Is(err, ErrUnreachable):
		return err
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return wrapf(ErrNoSpace, err, "writing to the destination")
	case errors.Is(err, repo.ErrRepositoryUnavailableDueToUpgradeInProgress):
		return wrapf(ErrLocked, err, "kopia format upgrade in progress")
	}

	var notOwned maintenance.NotOwnedError
	if errors.As(err, &notOwned) {
		return wrapf(ErrNotOwner, nil, "maintenance belongs to %s", notOwned.Owner)
	}

	return err
}

// NoSpaceError is the ErrNoSpace of a write that would have cut into the reserve (or did not
// fit at all): what it needed, what was free, and the reserve kept.
type NoSpaceError struct {
	Need, Free, Reserve int64
}

func (e *NoSpaceError) Error() string {
	return fmt.Sprintf("a write of %d bytes with %d free and %d kept in reserve: %v", e.Need, e.Free, e.Reserve, ErrNoSpace)
}

func (e *NoSpaceError) Unwrap() error { return ErrNoSpace }
