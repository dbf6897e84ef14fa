//go:build unix && !linux

package syncfs

import (
	"os"

	"golang.org/x/sys/unix"
)

// Dir flushes every filesystem (sync(2)): these systems have no per-filesystem call.
func Dir(string) error {
	unix.Sync()
	return nil
}

// StartWriteback does nothing here: these systems have no call that starts a file's write-out
// without waiting for it.
func StartWriteback(*os.File) {}

// StartWritebackPath does nothing here either.
func StartWritebackPath(string) {}
