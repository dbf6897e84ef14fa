package vault

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kopia/kopia/repo"
	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/content"
	"github.com/kopia/kopia/repo/logging"
)

// OpenOptions tune how this machine connects to a vault.
type OpenOptions struct {
	// CacheDir is the parent of per-vault cache folders; the vault uses
	// CacheDir/<vault id>/. Default: $XDG_CACHE_HOME/chatvault/vaults
	// (os.UserCacheDir). The folder is created 0700 and holds kopia's config
	// (no credentials, see storage.go) and its caches, which contain only
	// data as encrypted as at the destination.
	CacheDir string

	// Hostname and Username identify this device: they are the default
	// source of its backups and the maintenance owner recorded by Init.
	// Default: the OS host name and the current user.
	Hostname string
	Username string

	// ReadOnly refuses every write (for the viewer and restore).
	ReadOnly bool

	// CacheBytes bounds each of kopia's two on-disk caches (file data, and
	// directory listings plus indexes) under CacheDir. 0 picks the default:
	// none for a local folder, where reading the vault is as fast as reading
	// a cache, and 256 MiB each for remote stores. Negative disables them.
	CacheBytes int64

	// MinFreeSpace is kept free at destinations that report free space
	// (local folders, most SFTP servers): a write that would cut into it
	// fails with ErrNoSpace. 0 means 64 MiB; negative means no reserve.
	MinFreeSpace int64

	// KeyFile, when set, is where this machine keeps the vault's unlocked
	// key (keptkey.go): an open with the password or recovery key writes it,
	// OpenKept reads it. Empty: no key is kept.
	KeyFile string

	// LogOutput receives kopia's log lines. Nil discards them; kopia never
	// writes to stdout. No secret is ever logged.
	LogOutput io.Writer
}

const (
	defaultRemoteCache  = 256 << 20
	defaultMinFreeSpace = 64 << 20
)

func (o OpenOptions) withDefaults() (OpenOptions, error) {
	if o.CacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return o, fmt.Errorf("no cache folder (set OpenOptions.CacheDir): %w", err)
		}

		o.CacheDir = filepath.Join(base, "chatvault", "vaults")
	}

	abs, err := filepath.Abs(o.CacheDir)
	if err != nil {
		return o, err
	}

	o.CacheDir = abs

	if o.Hostname == "" {
		h, err := os.Hostname()
		if err != nil || h == "" {
			h = "localhost"
		}

		o.Hostname = h
	}

	if o.Username == "" {
		if u, err := user.Current(); err == nil && u.Username != "" {
			o.Username = u.Username
		} else {
			o.Username = "user"
		}
	}

	switch {
	case o.MinFreeSpace == 0:
		o.MinFreeSpace = defaultMinFreeSpace
	case o.MinFreeSpace < 0:
		o.MinFreeSpace = 0
	}

	return o, nil
}

// Vault is an open vault. Its methods are safe for concurrent use.
type Vault struct {
	dest   Destination
	desc   descriptor
	opts   OpenOptions
	secret string // the kopia repository password, from the key slot

	raw   blob.Storage    // owned: closed by Close
	guard *guardedStorage // what every kopia connection writes through
	rep   repo.DirectRepository
	logf  logging.LoggerFactory

	fatal     atomic.Pointer[error]
	closeOnce sync.Once
	closeErr  error

	// configFiles are the kopia config files this Vault wrote, removed by Close. Each open writes
	// its own (named for the process), so two chatvault processes on one machine (a scheduled
	// backup and a manual one) never overwrite each other's config between write and open.
	configFiles []string
}

// Open connects to the vault at dest with a password or recovery key.
//
// Errors: ErrInvalidRecoveryKey (malformed key, checked before any I/O),
// ErrUnreachable, ErrNotInitialized, ErrSlotMissing, ErrWrongPassword,
// ErrLocked.
func Open(ctx context.Context, dest Destination, secret Secret, opts OpenOptions) (*Vault, error) {
	slotID, err := secret.slot()
	if err != nil {
		return nil, err
	}

	pass, err := secret.passphrase()
	if err != nil {
		return nil, err
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

	v, err := openWithStorage(ctx, dest, raw, desc, slotID, pass, opts, logf)
	if err != nil {
		_ = raw.Close(ctx)
		return nil, err
	}

	return v, nil
}

func openWithStorage(ctx context.Context, dest Destination, raw blob.Storage, desc descriptor, slotID blob.ID, pass string, opts OpenOptions, logf logging.LoggerFactory) (*Vault, error) {
	kopiaPass, _, err := openSlotWithCopy(ctx, raw, dest, slotID, pass)
	if err != nil {
		return nil, err
	}

	v, err := openWithSecret(ctx, dest, raw, desc, kopiaPass, opts, logf, true)
	if err != nil {
		return nil, err
	}

	// Keeping the key is a convenience: a failure costs the next open its
	// key derivation, not this open.
	_ = v.keepKey(ctx)

	return v, nil
}

// openWithSecret opens the kopia repository with its secret (from a slot or a
// kept key). retryCopies puts back damaged format blobs from their copies,
// which only a secret from a slot may do: with a kept key, a failure may be
// the key's, and the password path decides.
func openWithSecret(ctx context.Context, dest Destination, raw blob.Storage, desc descriptor, kopiaPass string, opts OpenOptions, logf logging.LoggerFactory, retryCopies bool) (*Vault, error) {
	v := &Vault{
		dest:   dest,
		desc:   desc,
		opts:   opts,
		secret: kopiaPass,
		raw:    raw,
		guard:  newGuardedStorage(raw, opts.MinFreeSpace),
		logf:   logf,
	}

	rep, err := v.connect(ctx, "repo.config", v.cachingOptions(), opts.ReadOnly)
	if errors.Is(err, errFormatDamaged) && retryCopies {
		// kopia.repository or kopia.blobcfg is damaged: put the copies back
		// and try once more.
		rep, err = v.retryWithFormatCopies(ctx, err)
	}

	if err != nil {
		return nil, err
	}

	v.rep = rep

	if !opts.ReadOnly {
		// The primaries just worked: refresh any missing or stale copy.
		if err := syncCopies(ctx, raw); err != nil {
			_ = rep.Close(ctx)
			return nil, wrapf(ErrUnreachable, err, "vault at %s: keeping second copies", dest)
		}
	}

	return v, nil
}

// connectStorage opens the destination's blob storage and reads the vault
// descriptor, telling "nothing here" apart from "can't get there".
func connectStorage(ctx context.Context, dest Destination, create bool) (blob.Storage, descriptor, error) {
	if p, ok := dest.LocalPath(); ok && !create {
		if _, err := os.Stat(p); err != nil {
			return nil, descriptor{}, wrapf(ErrNotInitialized, err, "vault at %s", dest)
		}
	}

	if dest.newStorage == nil {
		return nil, descriptor{}, errors.New("empty destination: use vault.ParseDestination")
	}

	raw, err := dest.newStorage(ctx, create)
	if err != nil {
		return nil, descriptor{}, wrapf(ErrUnreachable, err, "connecting to %s", dest)
	}

	desc, err := readDescriptor(ctx, raw)
	if err == nil || create {
		return raw, desc, nil
	}

	// A missing or damaged descriptor with a good copy: put the copy back.
	if d, cerr := readDescriptorBlob(ctx, raw, descriptorCopyID); cerr == nil {
		if _, rerr := restoreFromCopy(ctx, raw, descriptorBlobID); rerr != nil {
			_ = raw.Close(ctx)
			return nil, descriptor{}, wrapf(ErrDamaged, rerr, "vault at %s: the descriptor %s is damaged", dest, descriptorBlobID)
		}

		return raw, d, nil
	}

	defer raw.Close(ctx) //nolint:errcheck

	_, kerr := raw.GetMetadata(ctx, "kopia.repository")
	if kerr == nil && errors.Is(err, ErrNotInitialized) {
		// The descriptor exists but is not one: damage, not "no vault here".
		return nil, descriptor{}, &descriptorDamageError{fmt.Sprintf("vault at %s: the descriptor %s is damaged and so is its copy %s (the kopia repository beside them is there; repair writes a new descriptor)", dest, descriptorBlobID, descriptorCopyID)}
	}

	if errors.Is(err, blob.ErrBlobNotFound) {
		if kerr == nil {
			return nil, descriptor{}, wrapf(ErrNotInitialized, nil, "%s holds a kopia repository but no chatvault key slots (an interrupted init, or a plain kopia repository)", dest)
		}

		return nil, descriptor{}, wrapf(ErrNotInitialized, nil, "vault at %s", dest)
	}

	if errors.Is(err, ErrNotInitialized) {
		return nil, descriptor{}, fmt.Errorf("vault at %s: %w", dest, err)
	}

	return nil, descriptor{}, wrapf(ErrUnreachable, err, "reading %s", dest)
}

func (v *Vault) cachingOptions() content.CachingOptions {
	size := v.opts.CacheBytes
	if size == 0 {
		if _, local := v.dest.LocalPath(); !local {
			size = defaultRemoteCache
		}
	}

	if size <= 0 {
		// No cache folder at all: kopia then reads straight from the
		// destination and keeps indexes in memory. (A cache folder with a
		// zero size crashes kopia v0.21.1, so there is no middle ground.)
		return content.CachingOptions{}
	}

	return content.CachingOptions{
		CacheDirectory:              v.cacheFolder(),
		ContentCacheSizeBytes:       size,
		ContentCacheSizeLimitBytes:  size, // hard limits: kopia otherwise keeps
		MetadataCacheSizeBytes:      size, // recent items past the soft limit
		MetadataCacheSizeLimitBytes: size,
		// Other devices write to shared vaults: don't trust a blob list for long.
		MaxListCacheDuration: 30,
	}
}

// cacheFolder is where this vault's kopia config and caches live.
func (v *Vault) cacheFolder() string { return filepath.Join(v.opts.CacheDir, v.desc.ID) }

// openMu serializes writing a config file and opening kopia with it, so two
// opens of the same vault in one process never pick up each other's handle.
var openMu sync.Mutex

// connect opens a kopia connection over the vault's guarded storage, with a
// config file in the vault's cache folder. Several connections can share
// the storage: Verify uses one without caches so it reads the destination.
func (v *Vault) connect(ctx context.Context, configName string, caching content.CachingOptions, readOnly bool) (repo.DirectRepository, error) {
	ignoreKopiaEnvironment()

	dir := v.cacheFolder()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating cache folder: %w", err)
	}

	openMu.Lock()
	defer openMu.Unlock()

	handle, unregister := registerLive(v.guard)
	defer unregister()

	cfgFile := filepath.Join(dir, fmt.Sprintf("%s-%d-%s", strings.TrimSuffix(configName, ".config"), os.Getpid(), randomSuffix())+".config")
	v.configFiles = append(v.configFiles, cfgFile)

	lc := repo.LocalConfig{
		Storage: &blob.ConnectionInfo{Type: liveStorageType, Config: &liveOptions{Handle: handle}},
		Caching: &caching,
		ClientOptions: repo.ClientOptions{
			Hostname:    v.opts.Hostname,
			Username:    v.opts.Username,
			ReadOnly:    readOnly,
			Description: "chatvault " + v.dest.String(),
			// Policy actions run shell commands; a vault never needs them.
			EnableActions: false,
		},
	}

	if err := writePrivateJSON(cfgFile, &lc); err != nil {
		return nil, fmt.Errorf("writing kopia config: %w", err)
	}

	r, err := repo.Open(ctx, cfgFile, v.secret, &repo.Options{
		OnFatalError:        v.onFatal,
		DisableInternalLog:  true,
		DoNotWaitForUpgrade: true,
	})
	if err != nil {
		if errors.Is(err, repo.ErrInvalidPassword) {
			// The slot opened, so its secret should open the repository:
			// either kopia.repository is damaged (a flipped byte in its
			// encrypted part) or the slot belongs to another repository.
			return nil, fmt.Errorf("vault at %s: key slot does not match the repository (kopia.repository damaged, or a slot from another vault): %w: %w: %w", v.dest, errFormatDamaged, ErrSlotMissing, err)
		}

		if c := classifyKopiaError(err); c != err {
			return nil, c
		}

		if d := classifyOpenDamage(v.dest, err); d != nil {
			return nil, d
		}

		return nil, wrapf(ErrUnreachable, err, "opening vault at %s", v.dest)
	}

	dr, ok := r.(repo.DirectRepository)
	if !ok {
		_ = r.Close(ctx)
		return nil, fmt.Errorf("vault at %s: unexpected kopia repository type %T", v.dest, r)
	}

	return dr, nil
}

// onFatal replaces kopia's default, which calls os.Exit(1). Kopia calls it
// when it must stop using the repository (another client started a format
// upgrade); every later operation then fails with the recorded error.
func (v *Vault) onFatal(err error) {
	e := wrapf(ErrLocked, err, "vault at %s became unusable", v.dest)
	v.fatal.CompareAndSwap(nil, &e)
}

func (v *Vault) usable() error {
	if e := v.fatal.Load(); e != nil {
		return *e
	}

	return nil
}

func (v *Vault) writable() error {
	if err := v.usable(); err != nil {
		return err
	}

	if v.opts.ReadOnly {
		return ErrReadOnly
	}

	return nil
}

// ID returns the vault's stable random identifier (from its descriptor).
func (v *Vault) ID() string { return v.desc.ID }

// Destination returns where the vault lives.
func (v *Vault) Destination() Destination { return v.dest }

// Close releases the connection. It is safe to call more than once.
func (v *Vault) Close(ctx context.Context) error {
	v.closeOnce.Do(func() {
		ctx = v.kctx(ctx)

		err := v.rep.Close(ctx)
		if cerr := v.raw.Close(ctx); err == nil {
			err = cerr
		}
		for _, f := range v.configFiles {
			os.Remove(f)
			os.Remove(f + ".mlock")
		}

		v.closeErr = err
	})

	return v.closeErr
}

func randomSuffix() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// kctx attaches kopia's logger (or none) to a context passed into kopia.
func (v *Vault) kctx(ctx context.Context) context.Context { return withLogger(ctx, v.logf) }

func loggerFactory(w io.Writer) logging.LoggerFactory {
	if w == nil {
		return nil
	}

	return logging.ToWriter(w)
}

func withLogger(ctx context.Context, f logging.LoggerFactory) context.Context {
	if f == nil {
		return ctx
	}

	return logging.WithLogger(ctx, f)
}

// writePrivateJSON writes v as JSON readable only by this user, atomically.
func writePrivateJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}

	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}

	defer os.Remove(f.Name()) //nolint:errcheck

	if err := f.Chmod(0o600); err != nil {
		f.Close() //nolint:errcheck
		return err
	}

	if _, err := f.Write(b); err != nil {
		f.Close() //nolint:errcheck
		return err
	}

	if err := f.Close(); err != nil {
		return err
	}

	return os.Rename(f.Name(), path)
}
