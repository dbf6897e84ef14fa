package vault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/format"
	"github.com/kopia/kopia/repo/logging"
	"github.com/kopia/kopia/repo/maintenance"
	"github.com/kopia/kopia/snapshot/policy"
)

// InitOptions configure a new vault.
type InitOptions struct {
	// OpenOptions locate the cache and name this device, which becomes the
	// maintenance owner (the one device that runs garbage collection).
	OpenOptions

	// Retention is the vault's default retention; zero means DefaultRetention.
	Retention Retention

	// Splitter and Compressor default to DefaultSplitter and DefaultCompressor.
	Splitter   string
	Compressor string
}

// Init creates a vault at dest and returns its recovery key, to be shown to
// the user once: it is never stored anywhere in readable form.
//
// The destination must be empty (ErrNotEmpty otherwise, or
// ErrAlreadyInitialized if it already holds a vault). Init writes, in order:
// the two key slots, the kopia repository encrypted with a fresh random
// secret, its policies and maintenance owner, and last the descriptor that
// marks the vault complete. A failed Init removes what it wrote; one killed
// midway leaves data without a descriptor, which Open reports as
// ErrNotInitialized and Init as ErrNotEmpty (delete it and run Init again).
func Init(ctx context.Context, dest Destination, password string, opts InitOptions) (string, error) {
	if password == "" {
		return "", errors.New("init: empty password")
	}

	oo, err := opts.OpenOptions.withDefaults()
	if err != nil {
		return "", err
	}

	if opts.Retention.isZero() {
		opts.Retention = DefaultRetention
	}

	if opts.Splitter == "" {
		opts.Splitter = DefaultSplitter
	}

	if opts.Compressor == "" {
		opts.Compressor = DefaultCompressor
	}

	pol, err := globalPolicy(opts.Retention, opts.Splitter, opts.Compressor)
	if err != nil {
		return "", fmt.Errorf("init: %w", err)
	}

	logf := loggerFactory(oo.LogOutput)
	ctx = withLogger(ctx, logf)

	if err := checkEmptyFolder(dest); err != nil {
		return "", err
	}

	raw, _, err := connectStorage(ctx, dest, true)
	if err != nil {
		return "", err
	}
	defer raw.Close(ctx) //nolint:errcheck

	if err := checkEmptyStorage(ctx, dest, raw); err != nil {
		return "", err
	}

	key, err := initialize(ctx, dest, raw, password, oo, opts.Splitter, pol, logf)
	if err != nil {
		// The destination was empty when we started, so whatever is there
		// now is ours: remove it so that Init can simply be run again.
		cleanupFailedInit(context.WithoutCancel(ctx), dest, raw)

		return "", err
	}

	return key, nil
}

func initialize(ctx context.Context, dest Destination, raw blob.Storage, password string, oo OpenOptions, splitter string, pol *policy.Policy, logf logging.LoggerFactory) (string, error) {
	secret, err := newKopiaSecret()
	if err != nil {
		return "", err
	}

	recovery, err := newRecoveryKey()
	if err != nil {
		return "", err
	}

	canonical, err := ParseRecoveryKey(recovery)
	if err != nil {
		return "", err
	}

	desc, err := newDescriptor()
	if err != nil {
		return "", err
	}

	if err := writeSlot(ctx, raw, passwordSlotID, secret, password); err != nil {
		return "", err
	}

	if err := writeSlot(ctx, raw, recoverySlotID, secret, canonical); err != nil {
		return "", err
	}

	ignoreKopiaEnvironment()

	if err := repo.Initialize(ctx, raw, &repo.NewRepositoryOptions{
		BlockFormat: format.ContentFormat{
			// Version 3 (kopia's current) allows kopia's own password change
			// and epoch-based indexes; explicit so KOPIA_REPOSITORY_FORMAT_VERSION
			// in the environment cannot change what chatvault creates.
			MutableParameters: format.MutableParameters{Version: format.FormatVersion3},
		},
		ObjectFormat: format.ObjectFormat{Splitter: splitter},
	}, secret); err != nil {
		return "", wrapf(ErrUnreachable, classifyKopiaError(err), "creating vault at %s", dest)
	}

	v := &Vault{
		dest:   dest,
		desc:   desc,
		opts:   oo,
		secret: secret,
		raw:    raw,
		guard:  newGuardedStorage(raw, oo.MinFreeSpace),
		logf:   logf,
	}

	rep, err := v.connect(ctx, "repo.config", v.cachingOptions(), false)
	if err != nil {
		return "", err
	}

	err = repo.WriteSession(ctx, rep, repo.WriteSessionOptions{Purpose: "chatvault init"},
		func(ctx context.Context, w repo.RepositoryWriter) error {
			p := maintenance.DefaultParams()
			p.Owner = w.ClientOptions().UsernameAtHost()
			// Epoch-based indexes make the quick cycle redundant (kopia's CLI
			// does the same for new repositories).
			p.QuickCycle.Enabled = false

			if err := maintenance.SetParams(ctx, w, &p); err != nil {
				return fmt.Errorf("setting maintenance owner: %w", err)
			}

			return policy.SetPolicy(ctx, w, policy.GlobalPolicySourceInfo, pol)
		})
	if cerr := rep.Close(ctx); err == nil {
		err = cerr
	}

	if err != nil {
		return "", fmt.Errorf("init: %w", classifyKopiaError(err))
	}

	b, err := json.Marshal(desc)
	if err != nil {
		return "", err
	}

	if err := raw.PutBlob(ctx, descriptorBlobID, bytesBlob(b), blob.PutOptions{}); err != nil {
		return "", fmt.Errorf("writing vault descriptor: %w", classifyKopiaError(err))
	}

	if err := syncCopies(ctx, raw); err != nil {
		return "", fmt.Errorf("writing second copies: %w", err)
	}

	return recovery, nil
}

func cleanupFailedInit(ctx context.Context, dest Destination, st blob.Storage) {
	if p, ok := dest.LocalPath(); ok {
		// Also kopia's .shards file and the shard folders.
		entries, _ := os.ReadDir(p)
		for _, e := range entries {
			_ = os.RemoveAll(filepath.Join(p, e.Name()))
		}

		return
	}

	var ids []blob.ID

	_ = st.ListBlobs(ctx, "", func(bm blob.Metadata) error {
		ids = append(ids, bm.BlobID)
		return nil
	})

	// The descriptor goes first: without it nothing here claims to be a vault.
	_ = st.DeleteBlob(ctx, descriptorBlobID)

	for _, id := range ids {
		_ = st.DeleteBlob(ctx, id)
	}
}

// checkEmptyFolder refuses a local folder with anything in it: kopia's
// listing shows only its own blob files, so a folder full of photos would
// otherwise look empty.
func checkEmptyFolder(dest Destination) error {
	p, ok := dest.LocalPath()
	if !ok {
		return nil
	}

	entries, err := os.ReadDir(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}

		return wrapf(ErrUnreachable, err, "reading %s", dest)
	}

	for _, e := range entries {
		if e.Name() == string(descriptorBlobID)+".f" {
			return wrapf(ErrAlreadyInitialized, nil, "init %s", dest)
		}
	}

	if len(entries) > 0 {
		return wrapf(ErrNotEmpty, nil, "init %s", dest)
	}

	return nil
}

func checkEmptyStorage(ctx context.Context, dest Destination, st blob.Storage) error {
	var found []blob.ID

	errStop := errors.New("stop")

	err := st.ListBlobs(ctx, "", func(bm blob.Metadata) error {
		found = append(found, bm.BlobID)
		if len(found) >= 100 {
			return errStop
		}

		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return wrapf(ErrUnreachable, err, "listing %s", dest)
	}

	for _, id := range found {
		if id == descriptorBlobID {
			return wrapf(ErrAlreadyInitialized, nil, "init %s", dest)
		}
	}

	if len(found) > 0 {
		return wrapf(ErrNotEmpty, nil, "init %s", dest)
	}

	return nil
}
