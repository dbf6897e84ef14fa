package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kopia/kopia/repo/blob"
)

// Keeping the unlocked key on this machine.
//
// Every open of a vault with the password derives a key from it (scrypt, a
// fifth of a second and 64 MiB) to open the password slot. A scheduled or
// repeated backup can skip that: after an open with the password or the
// recovery key, the vault's secret (what the slots hold) is written to
// OpenOptions.KeyFile, readable by this user only, beside a digest of both
// slots as they were. OpenKept uses it only while both slots are still
// exactly those: `chatvault passwd` or a new recovery key, on any device,
// rewrites a slot, and from then on every kept key elsewhere is refused (the
// device that made the change keeps its key up to date). A kept key that
// does not open the repository (damaged or tampered with) is deleted and the
// caller falls back to the password.
//
// Why this is safe on the machine that backs up: the archive itself lives
// here, unencrypted, so anyone who can read this user's files reads the
// messages already; and a scheduled backup needs the password on this
// machine anyway (a file, a command, the keyring). The kept key adds access
// to the vault's older snapshots, as the password file does. It never leaves
// the machine: it is not in the archive, the dump, a destination or a log.

// ErrNoKeptKey means this machine keeps no usable key for the vault: open it
// with the password or the recovery key.
var ErrNoKeptKey = errors.New("no kept key for this vault on this machine")

type keptKey struct {
	Vault  string `json:"vault"`  // the descriptor's ID
	Slots  string `json:"slots"`  // slotsDigest when the key was kept
	Secret string `json:"secret"` // the kopia repository's password
}

// slotsDigest identifies the password and recovery slots as they are.
func slotsDigest(ctx context.Context, st blob.Reader) (string, error) {
	h := sha256.New()

	for _, id := range []blob.ID{passwordSlotID, recoverySlotID} {
		b, err := readOptional(ctx, st, id)
		if err != nil {
			return "", err
		}

		fmt.Fprintf(h, "%s %d\n", id, len(b))
		h.Write(b)
	}

	return hex.EncodeToString(h.Sum(nil)), nil
}

// keepKey writes the open vault's key to OpenOptions.KeyFile, if set.
func (v *Vault) keepKey(ctx context.Context) error {
	if v.opts.KeyFile == "" {
		return nil
	}

	d, err := slotsDigest(v.kctx(ctx), v.raw)
	if err != nil {
		return err
	}

	if err := os.MkdirAll(filepath.Dir(v.opts.KeyFile), 0o700); err != nil {
		return err
	}

	return writePrivateJSON(v.opts.KeyFile, keptKey{Vault: v.desc.ID, Slots: d, Secret: v.secret})
}

// ForgetKey removes a kept key; none there is not an error.
func ForgetKey(keyFile string) error {
	if err := os.Remove(keyFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}

	return nil
}

// OpenKept opens the vault with the key this machine kept in
// opts.KeyFile, without a password. ErrNoKeptKey: there is none, or it no
// longer opens the vault (then it is deleted); open with the password. Other
// errors are the destination's (ErrUnreachable, ErrNotInitialized, ...).
func OpenKept(ctx context.Context, dest Destination, opts OpenOptions) (*Vault, error) {
	if opts.KeyFile == "" {
		return nil, ErrNoKeptKey
	}

	b, err := os.ReadFile(opts.KeyFile)
	if err != nil {
		return nil, ErrNoKeptKey
	}

	var k keptKey
	if json.Unmarshal(b, &k) != nil || k.Vault == "" || k.Secret == "" {
		return nil, dropKey(opts.KeyFile)
	}

	opts, err = opts.withDefaults()
	if err != nil {
		return nil, err
	}

	logf := loggerFactory(opts.LogOutput)
	ctx = withLogger(ctx, logf)

	raw, desc, err := connectStorage(ctx, dest, false)
	if err != nil {
		return nil, err
	}

	d, err := slotsDigest(ctx, raw)

	switch {
	case err != nil:
		_ = raw.Close(ctx)
		return nil, wrapf(ErrUnreachable, err, "vault at %s: reading key slots", dest)
	case desc.ID != k.Vault || d != k.Slots:
		// Another vault is there now, or a slot changed (a new password).
		_ = raw.Close(ctx)
		return nil, dropKey(opts.KeyFile)
	}

	v, err := openWithSecret(ctx, dest, raw, desc, k.Secret, opts, logf, false)
	if errors.Is(err, errFormatDamaged) {
		_ = raw.Close(ctx)
		return nil, dropKey(opts.KeyFile)
	}

	if err != nil {
		_ = raw.Close(ctx)
		return nil, err
	}

	return v, nil
}

func dropKey(keyFile string) error {
	_ = os.Remove(keyFile)
	return ErrNoKeptKey
}
