package vault

import (
	"context"
	"errors"
	"fmt"

	"github.com/kopia/kopia/repo/blob"
)

// ChangePassword re-encrypts the vault's secret under newPassword and
// rewrites the password slot; nothing else changes: the recovery key keeps
// working, the repository's own key and data stay as they are.
//
// This is not revocation. Whoever had the old password and copied the old
// slot (or kopia's secret) can still read the vault, as with restic or
// borg: the data key never rotates. To cut someone off, create a new vault
// and Copy the snapshots into it.
func (v *Vault) ChangePassword(ctx context.Context, newPassword string) error {
	if err := v.writable(); err != nil {
		return err
	}

	if newPassword == "" {
		return errors.New("change password: empty password")
	}

	if err := writeSlotAndCopy(v.kctx(ctx), v.raw, passwordSlotID, v.secret, newPassword); err != nil {
		return err
	}

	// This device proved it knows the new password: its kept key stays
	// valid; every other device's no longer matches the slot. (Failing to
	// rewrite it leaves a key that no longer matches: refused, not wrong.)
	_ = v.keepKey(ctx)

	return nil
}

// NewRecoveryKey replaces the recovery key: the old one stops working and
// the new one is returned, to be shown to the user once.
func (v *Vault) NewRecoveryKey(ctx context.Context) (string, error) {
	if err := v.writable(); err != nil {
		return "", err
	}

	key, err := newRecoveryKey()
	if err != nil {
		return "", err
	}

	canonical, err := ParseRecoveryKey(key)
	if err != nil {
		return "", err
	}

	if err := writeSlotAndCopy(v.kctx(ctx), v.raw, recoverySlotID, v.secret, canonical); err != nil {
		return "", err
	}

	_ = v.keepKey(ctx) // as in ChangePassword

	return key, nil
}

// ResetPasswordWithRecoveryKey sets a new password for a vault whose
// password is lost, proving ownership with the recovery key.
func ResetPasswordWithRecoveryKey(ctx context.Context, dest Destination, recoveryKey, newPassword string, opts OpenOptions) error {
	opts.ReadOnly = false

	v, err := Open(ctx, dest, RecoveryKey(recoveryKey), opts)
	if err != nil {
		return err
	}

	err = v.ChangePassword(ctx, newPassword)
	if cerr := v.Close(ctx); err == nil && cerr != nil {
		err = fmt.Errorf("closing vault: %w", cerr)
	}

	return err
}

// writeSlotAndCopy rewrites a slot and its second copy, the copy first: a
// change cut short leaves the old primary, which then wins (Open refreshes
// the copy from a primary that opens), so the old secret keeps working as
// the failed command said.
func writeSlotAndCopy(ctx context.Context, st blob.Storage, id blob.ID, secret, passphrase string) error {
	data, err := sealSlot(secret, passphrase)
	if err != nil {
		return fmt.Errorf("sealing key slot: %w", err)
	}

	for _, to := range []blob.ID{copyOf(id), id} {
		if err := st.PutBlob(ctx, to, bytesBlob(data), blob.PutOptions{}); err != nil {
			return fmt.Errorf("writing key slot %s: %w", to, classifyKopiaError(err))
		}
	}

	return nil
}
