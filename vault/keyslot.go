package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"filippo.io/age"
	"filippo.io/age/armor"
	"github.com/kopia/kopia/repo/blob"
)

// Key slots.
//
// The kopia repository is encrypted with a random secret (32 bytes, base64)
// that no person ever types. That secret is stored at the destination in
// key slots, each an age file encrypted with an scrypt passphrase: one slot
// for the user's password and one for the recovery key. A new machine needs
// only the destination plus the password or the recovery key; changing the
// password rewrites one small slot, never the data.
//
// Slot blobs live in kopia's own blob storage, beside the repository, under
// names that start with "chatvault". Kopia's maintenance deletes blobs only
// under these prefixes (kopia v0.21.1 source):
//
//	p, q        pack blobs (maintenance/blob_gc.go, content.PackBlobIDPrefix*)
//	s           session markers (content.BlobIDPrefixSession)
//	x           epoch index blobs (internal/epoch: xe, xn, xs, xr, xw)
//	n, m, l     legacy v0 index, compaction-log and cleanup blobs
//	_           diagnostic log blobs (maintenance/cleanup_logs.go lists "_")
//	kopia.repository.backup.   format backups (format/upgrade_lock.go)
//
// "c" is none of them, and the names are at most 20 characters so kopia's
// sharded stores (filesystem, sftp, webdav) keep them unsharded at the top
// of the destination as chatvault.f, chatvault.password.f and
// chatvault.recovery.f, where a person can find them. TestSlotsSurviveMaintenance
// runs full maintenance with no safety margins and checks that they survive.
const (
	descriptorBlobID blob.ID = "chatvault"
	passwordSlotID   blob.ID = "chatvault.password"
	recoverySlotID   blob.ID = "chatvault.recovery"

	descriptorFormat  = "chatvault-vault"
	descriptorVersion = 1
)

// scryptWorkFactor is age's scrypt cost (log2 N, r = 8) for new slots. 2^16
// needs 64 MiB and about 0.2 s on a 2-core machine: the cost kopia itself
// puts on a repository password (scrypt N=65536). age's default, 2^18, needs
// 256 MiB (over the whole backup's 256 MB memory budget) and a second; 2^17
// still cost half a second of every scheduled backup. Every open pays it,
// since the vault's key is never stored on the machine. The recovery slot's
// 64 random digits need no stretching but get the same cost. Existing slots
// keep the factor written in their header. Tests lower it.
var scryptWorkFactor = 16

// descriptor is the one plaintext file of a vault: it marks the destination
// as a chatvault vault, names the slots and gives the vault a stable ID for
// the local cache folder. It holds nothing secret.
type descriptor struct {
	Format  string             `json:"format"`
	Version int                `json:"version"`
	ID      string             `json:"id"`
	Slots   map[string]blob.ID `json:"slots"`
}

func newDescriptor() (descriptor, error) {
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return descriptor{}, err
	}

	return descriptor{
		Format:  descriptorFormat,
		Version: descriptorVersion,
		ID:      hex.EncodeToString(id[:]),
		Slots: map[string]blob.ID{
			secretPassword.String(): passwordSlotID,
			secretRecovery.String(): recoverySlotID,
		},
	}, nil
}

func readDescriptor(ctx context.Context, st blob.Reader) (descriptor, error) {
	return readDescriptorBlob(ctx, st, descriptorBlobID)
}

func readDescriptorBlob(ctx context.Context, st blob.Reader, id blob.ID) (descriptor, error) {
	data, err := readBlob(ctx, st, id)
	if err != nil {
		return descriptor{}, err
	}

	var d descriptor
	if err := json.Unmarshal(data, &d); err != nil || d.Format != descriptorFormat || d.ID == "" {
		return descriptor{}, fmt.Errorf("%w: %s is not a chatvault vault descriptor", ErrNotInitialized, id)
	}

	if d.Version > descriptorVersion {
		return descriptor{}, fmt.Errorf("vault format %d is newer than this chatvault understands (%d): upgrade chatvault", d.Version, descriptorVersion)
	}

	return d, nil
}

// newKopiaSecret returns the random password kopia encrypts the repository with.
func newKopiaSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generating vault secret: %w", err)
	}

	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// sealSlot encrypts the kopia secret with passphrase as an armored age file,
// readable by the age command line tool (age -d).
func sealSlot(secret, passphrase string) ([]byte, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}

	r.SetWorkFactor(scryptWorkFactor)

	var buf bytes.Buffer

	aw := armor.NewWriter(&buf)

	w, err := age.Encrypt(aw, r)
	if err != nil {
		return nil, err
	}

	if _, err := io.WriteString(w, secret); err != nil {
		return nil, err
	}

	if err := w.Close(); err != nil {
		return nil, err
	}

	if err := aw.Close(); err != nil {
		return nil, err
	}

	return buf.Bytes(), nil
}

// openSlot decrypts a slot. A wrong passphrase is ErrWrongPassword; a blob
// that is not an age file at all is ErrSlotMissing (damaged).
func openSlot(data []byte, passphrase string) (string, error) {
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return "", err
	}

	r, err := age.Decrypt(armor.NewReader(bytes.NewReader(data)), id)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) || errors.Is(err, age.ErrIncorrectIdentity) {
			return "", ErrWrongPassword
		}

		return "", fmt.Errorf("%w: %w", ErrSlotMissing, err)
	}

	// The KDF just allocated 128 MiB or more. Return it to the OS and reset
	// the GC's goal, which would otherwise let the heap grow to twice that
	// before collecting again during a backup or restore.
	defer debug.FreeOSMemory()

	secret, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil || len(secret) == 0 {
		return "", fmt.Errorf("%w: slot does not decrypt cleanly: %v", ErrSlotMissing, err)
	}

	return string(secret), nil
}

func writeSlot(ctx context.Context, st blob.Storage, id blob.ID, secret, passphrase string) error {
	data, err := sealSlot(secret, passphrase)
	if err != nil {
		return fmt.Errorf("sealing key slot: %w", err)
	}

	if err := st.PutBlob(ctx, id, bytesBlob(data), blob.PutOptions{}); err != nil {
		return fmt.Errorf("writing key slot %s: %w", id, classifyKopiaError(err))
	}

	return nil
}

func readBlob(ctx context.Context, st blob.Reader, id blob.ID) ([]byte, error) {
	var out outputBuffer
	if err := st.GetBlob(ctx, id, 0, -1, &out); err != nil {
		return nil, err
	}

	return out.Bytes(), nil
}

// bytesBlob adapts a byte slice to kopia's blob.Bytes.
type bytesBlob []byte

func (b bytesBlob) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(b)
	return int64(n), err
}

func (b bytesBlob) Length() int { return len(b) }

func (b bytesBlob) Reader() io.ReadSeekCloser {
	return nopSeekCloser{bytes.NewReader(b)}
}

type nopSeekCloser struct{ *bytes.Reader }

func (nopSeekCloser) Close() error { return nil }

// outputBuffer adapts bytes.Buffer to kopia's blob.OutputBuffer.
type outputBuffer struct{ bytes.Buffer }

func (o *outputBuffer) Length() int { return o.Len() }
