package archive

import (
	"os"

	"github.com/chatvault/chatvault/internal/syncfs"
)

// On Linux one syncfs call makes every staged media file durable at once: thousands of small
// photos cost one flush instead of one fsync each.
func syncFile(*os.File) error { return nil }

func syncStaged(dir string) error { return syncfs.Dir(dir) }

// syncRenamed makes the renames into the store's folders durable: one more syncfs, where one
// fsync per fan-out folder cost up to 256 flushes in series. If syncfs fails it falls back to
// the folders one by one.
func syncRenamed(root string, dirs map[string]bool) {
	if syncfs.Dir(root) == nil {
		return
	}
	for dir := range dirs {
		syncDir(dir)
	}
}
