package syncfs

import (
	"os"

	"golang.org/x/sys/unix"
)

// Dir flushes the filesystem that holds dir (syncfs(2)) and waits until its data is on disk.
func Dir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

// StartWriteback asks the kernel to start writing f's dirty pages to disk now, without waiting
// (sync_file_range with SYNC_FILE_RANGE_WRITE). The disk then writes while the program goes on,
// and the flush that later makes the file durable waits for less. A hint: errors are ignored.
func StartWriteback(f *os.File) {
	unix.SyncFileRange(int(f.Fd()), 0, 0, unix.SYNC_FILE_RANGE_WRITE) //nolint:errcheck // a hint
}

// StartWritebackPath is StartWriteback for a file known by its path.
func StartWritebackPath(path string) {
	if f, err := os.Open(path); err == nil {
		StartWriteback(f)
		f.Close()
	}
}
