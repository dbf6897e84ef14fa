//go:build !linux

package archive

import "os"

// Elsewhere each staged media file is synced as it is written.
func syncFile(f *os.File) error { return f.Sync() }

func syncStaged(string) error { return nil }

// syncRenamed makes the renames into the store's folders durable, one folder at a time.
func syncRenamed(_ string, dirs map[string]bool) {
	for dir := range dirs {
		syncDir(dir)
	}
}
