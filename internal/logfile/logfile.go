// Package logfile is chatvault's log of unattended work ($XDG_STATE_HOME/chatvault/chatvault.log):
// one line per event, rotated by size so it never grows without bound.
//
// Several processes may log at once (a timer's run, the daemon, a manual run), so the file is
// opened for appending on every write instead of held open: a write always lands in the current
// file, even right after another process rotated it. Events are rare (a few per run), so the
// extra open costs nothing that matters.
//
// What goes in: times, vault names, file paths of exports, sizes, snapshot ids, errors. What
// never goes in: message text, people's names, passwords. Callers keep to that; this package
// only writes lines.
package logfile

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
)

// Defaults: 5 MiB per file, the current one and two older ones.
const (
	DefaultMaxBytes = 5 << 20
	DefaultKeep     = 3
)

// Writer appends to a log file and rotates it: name, name.1, ..., name.(Keep-1).
type Writer struct {
	Path     string
	MaxBytes int64 // rotate before a write would take the file past this
	Keep     int   // files kept, the current one included

	mu sync.Mutex
}

// New returns a writer with the default limits.
func New(path string) *Writer {
	return &Writer{Path: path, MaxBytes: DefaultMaxBytes, Keep: DefaultKeep}
}

// Write appends p (one or more whole lines).
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(w.Path), 0o700); err != nil {
		return 0, err
	}
	if st, err := os.Stat(w.Path); err == nil && w.MaxBytes > 0 && st.Size() > 0 && st.Size()+int64(len(p)) > w.MaxBytes {
		w.rotate()
	}
	f, err := os.OpenFile(w.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := f.Write(p)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// rotate shifts name.(k-1) to name.k, dropping the oldest. Errors are ignored: a log that cannot
// rotate still takes lines, and the next write tries again.
func (w *Writer) rotate() {
	keep := max(w.Keep, 1)
	os.Remove(w.old(keep - 1))
	for i := keep - 1; i >= 1; i-- {
		src := w.Path
		if i > 1 {
			src = w.old(i - 1)
		}
		os.Rename(src, w.old(i))
	}
	if keep == 1 {
		os.Remove(w.Path)
	}
}

func (w *Writer) old(i int) string {
	if i == 0 {
		return w.Path
	}
	return fmt.Sprintf("%s.%d", w.Path, i)
}

// Logger is a structured logger writing text lines (time=... level=... msg=... key=value) to w
// (a Writer, or several through io.MultiWriter: the daemon also logs to stderr).
func Logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
