// Package progress shows long work (imports, backups, restores, exports) as a bar with a rate and
// an ETA on stderr when stderr is a terminal, and stays silent otherwise, so scripts and logs
// get clean output.
package progress

import (
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Unit says how amounts are shown.
type Unit int

// Units.
const (
	Bytes Unit = iota
	Items
)

// Bar is a progress bar; the zero value and a nil *Bar do nothing.
type Bar struct {
	mu  sync.Mutex
	bar *progressbar.ProgressBar
}

// Enabled reports whether stderr is a terminal (and CHATVAULT_PROGRESS is not "0").
func Enabled() bool {
	if os.Getenv("CHATVAULT_PROGRESS") == "0" {
		return false
	}
	return term.IsTerminal(int(os.Stderr.Fd()))
}

// New starts a bar for total units (-1 when unknown). It returns a silent bar when stderr is not a terminal.
func New(total int64, description string, unit Unit) *Bar {
	if !Enabled() {
		return &Bar{}
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100_000_000), // 100 ms: redraw cost stays negligible
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowElapsedTimeOnFinish(),
	}
	if unit == Bytes {
		opts = append(opts, progressbar.OptionShowBytes(true))
	} else {
		opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString("msg"))
	}
	return &Bar{bar: progressbar.NewOptions64(total, opts...)}
}

// Set moves the bar to n.
func (b *Bar) Set(n int64) {
	if b == nil || b.bar == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bar.Set64(n)
}

// SetTotal changes the total once it is known.
func (b *Bar) SetTotal(total int64) {
	if b == nil || b.bar == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bar.ChangeMax64(total)
}

// Describe changes the label.
func (b *Bar) Describe(s string) {
	if b == nil || b.bar == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bar.Describe(s)
}

// Finish clears the bar.
func (b *Bar) Finish() {
	if b == nil || b.bar == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bar.Finish()
}
