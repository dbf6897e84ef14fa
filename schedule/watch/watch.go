package watch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Importer recognises and imports chat exports; the command line implements it with the
// importer package.
type Importer interface {
	// Detect says whether path is a chat export it can read, and in which format.
	Detect(path string) (format string, ok bool)
	// Import brings path into the archive. Returning an error wrapping ErrTryLater (the archive
	// is busy) leaves the file to the next poll instead of recording a failure.
	Import(ctx context.Context, path string) (Outcome, error)
}

// Outcome is what one import added.
type Outcome struct {
	Format          string
	MessagesAdded   int
	MessagesPresent int
}

// ErrTryLater marks a failure that is not the file's fault.
var ErrTryLater = errors.New("try again later")

// DefaultSettle is how long a file must stay the same before it counts as complete.
const DefaultSettle = 10 * time.Second

// Watcher decides about files in watched folders. It remembers between polls what each new file
// looked like, which is how it knows a file stopped growing.
type Watcher struct {
	// Settle is how long size and modification time must stay unchanged (DefaultSettle if 0).
	Settle time.Duration
	seen   map[string]observation
}

type observation struct {
	fp    fingerprint
	since time.Time
}

// Scan polls the folders once: files that settled are decided (imported, recognised as already
// imported, or left alone) and recorded in l. It returns what it decided this time and how many
// files are still being written or waiting for the archive.
func (w *Watcher) Scan(ctx context.Context, l *Ledger, folders []string, im Importer, now func() time.Time) ([]File, int, error) {
	if w.seen == nil {
		w.seen = map[string]observation{}
	}
	var decided []File
	pending := 0
	for _, dir := range folders {
		d, p, err := w.scanFolder(ctx, l, dir, im, now)
		decided = append(decided, d...)
		pending += p
		if err != nil {
			return decided, pending, err
		}
	}
	return decided, pending, nil
}

func (w *Watcher) scanFolder(ctx context.Context, l *Ledger, dir string, im Importer, now func() time.Time) ([]File, int, error) {
	fo := l.folder(dir)
	fo.LastScan = now()
	entries, err := os.ReadDir(dir)
	if err != nil {
		// A drive that is not plugged in: keep what we knew, say why nothing was looked at.
		fo.Error = oneLine(err)
		return nil, 0, nil
	}
	fo.Error = ""
	names := make(map[string]bool, len(entries))
	for _, e := range entries {
		names[e.Name()] = true
	}
	var decided []File
	pending := 0
	present := map[string]bool{}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return decided, pending, err
		}
		name := e.Name()
		if ignored(name) {
			continue
		}
		path := filepath.Join(dir, name)
		info, err := os.Stat(path)
		if err != nil || !(info.IsDir() || info.Mode().IsRegular()) {
			continue
		}
		present[name] = true
		if rec := fo.Files[name]; rec != nil && rec.unchanged(info) {
			delete(w.seen, path)
			continue
		}
		// An empty file or one with a download running beside it is not ready, and may stay
		// so for hours: it does not hold up a run (its completion is a change seen later).
		if (!info.IsDir() && info.Size() == 0) || hasPartialSibling(name, names) {
			delete(w.seen, path)
			continue
		}
		fp, err := look(path, info)
		if err != nil {
			pending++
			continue
		}
		t := now()
		o, ok := w.seen[path]
		if !ok || o.fp != fp {
			w.seen[path] = observation{fp, t}
			pending++
			continue
		}
		if t.Sub(o.since) < w.settle() || !readable(path, info.IsDir()) {
			pending++
			continue
		}
		f, err := w.decide(ctx, l, path, info, fp, im, now)
		if err != nil {
			if ctx.Err() != nil {
				return decided, pending, ctx.Err()
			}
			pending++ // ErrTryLater: the file stays observed and is tried at the next poll
			continue
		}
		delete(w.seen, path)
		fo.Files[name] = f
		if f.Result == Imported {
			fo.LastImport, fo.LastImported = f.At, name
		}
		decided = append(decided, *f)
	}
	// Forget files that are gone, so the record holds only what the folder holds. Imported
	// content stays in l.Imported.
	for name := range fo.Files {
		if !present[name] {
			delete(fo.Files, name)
		}
	}
	prefix := dir + string(filepath.Separator)
	for p := range w.seen {
		if strings.HasPrefix(p, prefix) && !present[p[len(prefix):]] {
			delete(w.seen, p)
		}
	}
	return decided, pending, nil
}

// decide looks at a settled file: what it is, whether its content was imported before, and if
// not, imports it.
func (w *Watcher) decide(ctx context.Context, l *Ledger, path string, info os.FileInfo, fp fingerprint, im Importer, now func() time.Time) (*File, error) {
	f := &File{Name: filepath.Base(path), Path: path, Size: fp.size, ModTime: info.ModTime()}
	defer func() { f.At = now() }()
	format, ok := im.Detect(path)
	if !ok {
		f.Result = NotExport
		return f, nil
	}
	f.Format = format
	d, err := digest(path, info.IsDir())
	if err != nil {
		f.Result, f.Reason = Failed, "reading it: "+oneLine(err)
		return f, nil
	}
	f.Digest = d
	if o, ok := l.Imported[d]; ok {
		f.Result = Duplicate
		f.Reason = "same content as " + o.Path + ", imported " + o.At.Format("2006-01-02 15:04")
		return f, nil
	}
	out, err := im.Import(ctx, path)
	if err != nil {
		if errors.Is(err, ErrTryLater) || ctx.Err() != nil {
			return nil, err
		}
		f.Result, f.Reason = Failed, oneLine(err)
		return f, nil
	}
	f.Result, f.Messages = Imported, out.MessagesAdded
	if out.Format != "" {
		f.Format = out.Format
	}
	l.remember(d, Origin{Path: path, At: now()})
	return f, nil
}

func (w *Watcher) settle() time.Duration {
	if w.Settle <= 0 {
		return DefaultSettle
	}
	return w.Settle
}

// oneLine keeps a reason to one line for status tables and the log.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
