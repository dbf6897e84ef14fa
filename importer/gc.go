package importer

import (
	"os"
	"runtime/debug"
)

// An import allocates much and keeps little (a message lives until the writer has written it),
// so with the default GOGC=100 the collector runs every few megabytes. Measured on 300,000
// Telegram messages: GOGC=400 took 17% less CPU. The memory limit keeps the heap under
// ImportMemoryLimit all the same: the collector works harder as it nears it rather than let the
// heap grow, and SQLite's page caches (16 MiB per connection), its buffers and the binary's own
// pages (some 40 MB) come on top. An iPhone backup with a million WeChat messages and 50,000
// photos peaked at 256-258 MB with 128 MiB here and at 224-225 MB with 96 MiB, as fast; a
// million Telegram messages took the same time either way.
const (
	importGCPercent   = 400
	ImportMemoryLimit = 96 << 20
)

// TuneGC sets the garbage collector for imports and returns a function that restores the
// previous settings. GOGC or GOMEMLIMIT in the environment is left as the user set it; a lower
// memory limit already in force is kept.
func TuneGC() (restore func()) {
	pct, lim := -2, int64(-1)
	if os.Getenv("GOGC") == "" {
		pct = debug.SetGCPercent(importGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		lim = debug.SetMemoryLimit(-1) // reads the limit
		debug.SetMemoryLimit(min(lim, ImportMemoryLimit))
	}
	return func() {
		if pct != -2 {
			debug.SetGCPercent(pct)
		}
		if lim >= 0 {
			debug.SetMemoryLimit(lim)
		}
	}
}
