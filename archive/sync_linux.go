package archive

import (
	"os"

	"github.com/chatvault/chatvault/internal/syncfs"
)

// On Linux one syncfs call makes every staged media file durable at once: thousands of small
// photos cost one flush instead of one fsync each. Each file written only asks the kernel to
// start writing it out (sync_file_range, which does not wait): the disk then writes while the
// next files are read and hashed, and the syncfs before the commit waits for the last of them
// instead of for all of them.
func syncFile(f *os.File) error {
	syncfs.StartWriteback(f)
	return nil
}

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
