package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// mediaStore keeps media files once each, named by the SHA-256 of their bytes, in fan-out folders
// (media/ab/abcdef...). A photo forwarded to five chats, or imported from two sources, is stored once.
type mediaStore struct {
	root string

	mu       sync.Mutex
	stageDir *privateDir // this process's staging folder under .tmp, made on first use
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

// staged is a media file written to the store's temporary folder, not yet under its name.
type staged struct {
	sha, tmp string
	bulk     bool // staged by a MediaLoad: tmp is <staging>/bulk/<aa>/<sha>
}

// stage streams r into a temporary file, hashing it on the way. The file gets its content name
// only in publish, after its bytes are on disk, so a crash never leaves a half-written or
// unsynced file under a content name (which a later import would trust and skip).
func (m *mediaStore) stage(r io.Reader, maxBytes int64) (st staged, size int64, err error) {
	tmpDir, err := m.staging()
	if err != nil {
		return st, 0, fmt.Errorf("store media: %w", err)
	}
	f, err := os.CreateTemp(tmpDir, "incoming-*")
	if err != nil {
		return st, 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	if size, err = copyHashing(f, h, r, maxBytes); err != nil {
		return st, 0, err
	}
	if err = syncFile(f); err != nil {
		return st, 0, fmt.Errorf("store media: %w", err)
	}
	if err = f.Close(); err != nil {
		return st, 0, fmt.Errorf("store media: %w", err)
	}
	return staged{sha: hex.EncodeToString(h.Sum(nil)), tmp: f.Name()}, size, nil
}

// staging is this process's staging folder: a private folder (privatedir.go), so a process that
// dies mid-import leaves nothing the next one does not remove.
func (m *mediaStore) staging() (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stageDir == nil {
		d, err := newPrivateDir(filepath.Join(m.root, ".tmp"), "p-")
		if err != nil {
			return "", err
		}
		m.stageDir = d
	}
	return m.stageDir.path, nil
}

func (m *mediaStore) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stageDir != nil {
		m.stageDir.remove()
		m.stageDir = nil
	}
}

// exists reports whether a media file is already stored under its name.
func (m *mediaStore) exists(sha string) bool {
	_, err := os.Stat(m.path(sha))
	return err == nil
}

// publish makes staged files durable and gives them their content names. It returns the names
// it created (files already present are left as they are).
func (m *mediaStore) publish(files []staged) ([]string, error) {
	if len(files) == 0 {
		return nil, nil
	}
	stage, err := m.staging()
	if err != nil {
		return nil, fmt.Errorf("store media: %w", err)
	}
	if err := syncStaged(stage); err != nil {
		return nil, fmt.Errorf("store media: %w", err)
	}
	if err := writeJournal(stage, files); err != nil {
		return nil, fmt.Errorf("store media: %w", err)
	}
	var created []string
	dirs := map[string]bool{}
	moved := m.publishFolders(stage, files, dirs)
	for _, f := range files {
		if f.bulk && moved[f.sha[:2]] {
			created = append(created, f.sha)
			continue
		}
		final := m.path(f.sha)
		if _, err := os.Stat(final); err == nil {
			os.Remove(f.tmp)
			continue
		}
		dir := filepath.Dir(final)
		if !dirs[dir] {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return created, err
			}
			dirs[dir] = true
		}
		if err := os.Rename(f.tmp, final); err != nil {
			return created, fmt.Errorf("store media: %w", err)
		}
		created = append(created, f.sha)
	}
	syncRenamed(m.root, dirs)
	return created, nil
}

// publishFolders gives a MediaLoad's fan-out folders that the store does not have yet their
// place with one rename each (a restore into a new archive: 256 renames instead of one per
// file). Such a folder holds exactly the load's files of that prefix: a worker removes what it
// could not complete. It returns the prefixes it moved.
func (m *mediaStore) publishFolders(stage string, files []staged, dirs map[string]bool) map[string]bool {
	prefixes := map[string]bool{}
	for _, f := range files {
		if f.bulk {
			prefixes[f.sha[:2]] = true
		}
	}
	moved := map[string]bool{}
	if len(prefixes) == 0 {
		return moved
	}
	if err := os.MkdirAll(m.root, 0o700); err != nil {
		return moved // each file on its own then, which reports the error
	}
	for aa := range prefixes {
		final := filepath.Join(m.root, aa)
		if _, err := os.Lstat(final); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if os.Rename(filepath.Join(stage, "bulk", aa), final) == nil {
			moved[aa] = true
			dirs[m.root] = true
		}
	}
	return moved
}

// discard removes staged files that will not be published.
func (m *mediaStore) discard(files []staged) {
	for _, f := range files {
		os.Remove(f.tmp)
	}
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
