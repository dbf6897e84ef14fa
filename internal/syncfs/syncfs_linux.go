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
