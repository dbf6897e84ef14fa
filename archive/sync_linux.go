package archive

import (
	"os"

	"github.com/chatvault/chatvault/internal/syncfs"
)

// On Linux one syncfs call makes every staged media file durable at once: thousands of small
// photos cost one flush instead of one fsync each.
func syncFile(*os.File) error { return nil }

func syncStaged(dir string) error { return syncfs.Dir(dir) }
