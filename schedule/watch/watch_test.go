package watch_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	_ "github.com/chatvault/chatvault/importer/all"
	"github.com/chatvault/chatvault/internal/demo"
	"github.com/chatvault/chatvault/schedule/watch"
)

// realImporter imports into an archive with the real importers, and counts imports.
type realImporter struct {
	a       *archive.Archive
	mu      sync.Mutex
	imports []string
}

func (r *realImporter) Detect(path string) (string, bool) {
	im, err := importer.Detect(importer.LocalSource(path))
	if err != nil {
		return "", false
	}
	return im.Name(), true
}

func (r *realImporter) Import(ctx context.Context, path string) (watch.Outcome, error) {
	im, err := importer.Detect(importer.LocalSource(path))
	if err != nil {
		return watch.Outcome{}, err
	}
	rep, err := importer.Run(ctx, r.a, im, importer.LocalSource(path), importer.Options{TZ: time.UTC})
	if err != nil {
		return watch.Outcome{}, err
	}
	r.mu.Lock()
	r.imports = append(r.imports, filepath.Base(path))
	r.mu.Unlock()
	return watch.Outcome{Format: im.Name(), MessagesAdded: rep.MessagesAdded, MessagesPresent: rep.MessagesPresent}, nil
}

func demoZip(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := demo.WriteExport(&b, false); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A zip written slowly into the folder (a download in progress) is imported once, only after it
// is complete; an identical copy under another name is not imported again; a file that is not a
// chat export is left alone, with the reason recorded.
func TestSlowWriteImportedOnceWhenComplete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := archive.Open(ctx, filepath.Join(t.TempDir(), "archive"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	im := &realImporter{a: a}
	zip := demoZip(t)
	if err := os.WriteFile(filepath.Join(dir, "notes.pdf"), []byte("%PDF-1.4 not a chat"), 0o600); err != nil {
		t.Fatal(err)
	}

	// The writer writes the zip in 8 chunks with pauses well under the settle period; its
	// last write is known from done.
	const settle = 300 * time.Millisecond
	target := filepath.Join(dir, demo.ExportName)
	done := make(chan time.Time, 1)
	go func() {
		f, err := os.Create(target)
		if err != nil {
			t.Error(err)
			return
		}
		chunk := len(zip)/8 + 1
		var last time.Time
		for off := 0; off < len(zip); off += chunk {
			time.Sleep(settle / 3)
			f.Write(zip[off:min(off+chunk, len(zip))])
			f.Sync()
			last = time.Now()
		}
		f.Close()
		done <- last
	}()

	w := &watch.Watcher{Settle: settle}
	var l watch.Ledger
	var finished time.Time
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(settle / 4) {
		d, pending, err := w.Scan(ctx, &l, []string{dir}, im, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range d {
			if f.Name == demo.ExportName && finished.IsZero() {
				t.Fatalf("imported %s while it was still being written", f.Name)
			}
		}
		select {
		case finished = <-done:
		default:
		}
		if !finished.IsZero() && pending == 0 && l.Folders[dir].Files[demo.ExportName] != nil {
			break
		}
	}
	got := l.Folders[dir].Files[demo.ExportName]
	if got == nil || got.Result != watch.Imported || got.Messages != demo.Messages() || got.Format == "" {
		t.Fatalf("export record %+v, want imported with %d messages", got, demo.Messages())
	}
	if got.At.Sub(finished) < settle {
		t.Errorf("imported %v after the last write, before the settle period %v", got.At.Sub(finished), settle)
	}
	if pdf := l.Folders[dir].Files["notes.pdf"]; pdf == nil || pdf.Result != watch.NotExport {
		t.Errorf("non-export record %+v", pdf)
	}

	// A second copy under another name, and the partial-download name of a third, are not
	// imported; nothing already decided is decided again.
	copyName := "WhatsApp Chat with Family Trip (1).zip"
	os.WriteFile(filepath.Join(dir, copyName), zip, 0o600)
	os.WriteFile(filepath.Join(dir, "WhatsApp Chat with Family Trip (2).zip.crdownload"), zip[:100], 0o600)
	for i := 0; i < 4; i++ {
		d, _, err := w.Scan(ctx, &l, []string{dir}, im, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range d {
			if f.Name != copyName {
				t.Errorf("decided %s again", f.Name)
			}
		}
		time.Sleep(settle)
	}
	if c := l.Folders[dir].Files[copyName]; c == nil || c.Result != watch.Duplicate {
		t.Errorf("copy record %+v, want %q", c, watch.Duplicate)
	}
	if len(im.imports) != 1 {
		t.Errorf("imports %v, want exactly one", im.imports)
	}
	if len(l.Folders[dir].Files) != 3 {
		t.Errorf("records %v, want the export, its copy and the pdf", l.Folders[dir].Files)
	}
}

// tryLater is an importer whose archive is busy the first time.
type tryLater struct {
	busy bool
}

func (b *tryLater) Import(ctx context.Context, path string) (watch.Outcome, error) {
	if b.busy {
		b.busy = false
		return watch.Outcome{}, errors.Join(watch.ErrTryLater, errors.New("archive busy"))
	}
	return watch.Outcome{Format: "x", MessagesAdded: 1}, nil
}

func (b *tryLater) Detect(string) (string, bool) { return "x", true }

// A busy archive is not the file's fault: the file is tried again at the next poll. A folder that
// cannot be read (a drive not plugged in) is reported, not fatal.
func TestBusyArchiveAndMissingFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("x"), 0o600)
	im := &tryLater{busy: true}
	w := &watch.Watcher{Settle: time.Millisecond}
	var l watch.Ledger
	missing := filepath.Join(dir, "unplugged")
	var results []watch.Result
	for i := 0; i < 4; i++ {
		d, _, err := w.Scan(context.Background(), &l, []string{dir, missing}, im, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range d {
			results = append(results, f.Result)
		}
		time.Sleep(2 * time.Millisecond)
	}
	if len(results) != 1 || results[0] != watch.Imported {
		t.Errorf("results %v, want one import after the busy attempt", results)
	}
	if l.Folders[missing].Error == "" {
		t.Error("missing folder has no error")
	}
}
