package schedule

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// ErrBusy means another run holds the run lock.
var ErrBusy = errors.New("another chatvault run is in progress")

// Lock is the run lock: one scheduled pass at a time across the timer, the daemon and manual
// runs. It is an advisory lock on a file (flock on Unix, LockFileEx on Windows, through
// gofrs/flock, which the vault already uses), so the kernel drops it when a run dies: no stale
// lock survives a crash or a power cut. Beside it, a small owner file says who holds it, for the
// message the next run prints.
type Lock struct {
	fl    *flock.Flock
	owner string
}

// AcquireLock takes the lock without waiting; when another run holds it, the error wraps ErrBusy
// and says who (process, kind of run, since when).
func AcquireLock(path, who string, now time.Time) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	fl := flock.New(path)
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("run lock %s: %w", path, err)
	}
	owner := path + ".owner"
	if !ok {
		held := "another process"
		if b, err := os.ReadFile(owner); err == nil && len(b) > 0 {
			held = strings.TrimSpace(string(b))
		}
		return nil, fmt.Errorf("%w (%s): skipping this run", ErrBusy, held)
	}
	info := fmt.Sprintf("pid %d, %s run, since %s", os.Getpid(), who, now.Format("2006-01-02 15:04:05"))
	if err := os.WriteFile(owner, []byte(info+"\n"), 0o600); err != nil {
		fl.Unlock()
		return nil, err
	}
	return &Lock{fl: fl, owner: owner}, nil
}

// Release gives the lock up.
func (l *Lock) Release() error {
	os.Remove(l.owner)
	return l.fl.Unlock()
}
