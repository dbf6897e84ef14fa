package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// mediaStore keeps media files once each, named by the SHA-256 of their bytes, in fan-out folders
// (media/ab/abcdef...). A photo forwarded to five chats, or imported from two sources, is stored once.
type mediaStore struct {
	root string
}

func newMediaStore(root string) *mediaStore { return &mediaStore{root: root} }

// ErrMediaTooLarge is returned when a media file is larger than the caller allows.
var ErrMediaTooLarge = errors.New("media file larger than allowed")

// ValidSHA256 reports whether s is a lower-case hex SHA-256, the only names the store uses.
// Everything that turns a name from outside into a path checks it first.
func ValidSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func (m *mediaStore) path(sha string) string {
	return filepath.Join(m.root, sha[:2], sha)
}

// put streams r into the store. It writes to a temporary file, syncs it and renames it into
// place, so a crash never leaves a half-written file under a content name. created says whether
// this call added the file (false: it was already there).
func (m *mediaStore) put(r io.Reader, maxBytes int64) (sha string, size int64, created bool, err error) {
	tmpDir := filepath.Join(m.root, ".tmp")
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return "", 0, false, err
	}
	f, err := os.CreateTemp(tmpDir, "incoming-*")
	if err != nil {
		return "", 0, false, err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h := sha256.New()
	src := r
	if maxBytes > 0 {
		src = io.LimitReader(r, maxBytes+1)
	}
	size, err = io.Copy(io.MultiWriter(f, h), src)
	if err != nil {
		return "", 0, false, fmt.Errorf("store media: %w", err)
	}
	if maxBytes > 0 && size > maxBytes {
		return "", 0, false, fmt.Errorf("%w (%d bytes at most)", ErrMediaTooLarge, maxBytes)
	}
	if err = f.Sync(); err != nil {
		return "", 0, false, fmt.Errorf("store media: %w", err)
	}
	if err = f.Close(); err != nil {
		return "", 0, false, fmt.Errorf("store media: %w", err)
	}
	sha = hex.EncodeToString(h.Sum(nil))
	final := m.path(sha)
	if _, statErr := os.Stat(final); statErr == nil {
		os.Remove(tmp)
		return sha, size, false, nil
	}
	if err = os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return "", 0, false, err
	}
	if err = os.Rename(tmp, final); err != nil {
		return "", 0, false, fmt.Errorf("store media: %w", err)
	}
	syncDir(filepath.Dir(final))
	return sha, size, true, nil
}

// syncDir makes a rename durable. Errors are ignored: some filesystems cannot sync directories.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func (m *mediaStore) open(sha string) (*os.File, error) {
	if !ValidSHA256(sha) {
		return nil, fmt.Errorf("invalid media name %q", sha)
	}
	return os.Open(m.path(sha))
}

func (m *mediaStore) remove(sha string) error {
	if !ValidSHA256(sha) {
		return fmt.Errorf("invalid media name %q", sha)
	}
	return os.Remove(m.path(sha))
}

// OpenMedia opens a stored media file by its SHA-256.
func (a *Archive) OpenMedia(sha string) (*os.File, error) { return a.media.open(sha) }

// MediaPath is where a stored media file lives (for serving it without copying).
func (a *Archive) MediaPath(sha string) (string, error) {
	if !ValidSHA256(sha) {
		return "", fmt.Errorf("invalid media name %q", sha)
	}
	return a.media.path(sha), nil
}
