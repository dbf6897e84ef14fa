//go:build !unix

package whatsappdb

import "time"

// cpuTime is not measured here: the figures show 0.
func cpuTime() time.Duration { return 0 }
