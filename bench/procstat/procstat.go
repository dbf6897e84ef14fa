// Package procstat reads what the import benchmarks report of their own process: CPU time and
// peak resident memory, with the peak restartable after the test data is generated.
package procstat

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// PeakRSS is the process's peak resident set size (Linux's VmHWM), "?" where it is not known.
func PeakRSS() string {
	data, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			kb, _ := strconv.Atoi(strings.Fields(l)[1])
			return fmt.Sprintf("%.0f MB", float64(kb)/1024)
		}
	}
	return "?"
}

// ResetPeakRSS starts the peak over, so that a figure taken later is the importer's and not the
// generator's: the heap is given back first, and Linux restarts VmHWM at the current RSS when "5"
// is written to clear_refs. It returns why it could not.
func ResetPeakRSS() error {
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}
