// Package importertest is the conformance suite every importer passes, as one suite runs over
// every storage backend in a backup tool: importing twice adds nothing; bad input leaves the
// archive unchanged; an interrupted import leaves nothing; every record not understood is a
// warning with its position; Detect scores 0 on every other format's samples; a dump and load
// round trip is lossless; a source read through its container gives the same archive as read
// directly.
package importertest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/dump"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// Case describes one importer's part of the suite.
type Case struct {
	Importer importer.Importer
	// Sources import successfully, each with at least one message.
	Sources []importer.Source
	// Bad sources must fail with an error and change nothing.
	Bad []importer.Source
	// Options for every import (TZ defaults to UTC).
	Options importer.Options
	// OwnSamples are the folders of the shared fixtures (relative to it: "whatsapp-txt") that
	// hold this importer's format; Detect must score 0 on every other sample.
	OwnSamples []string
	// Container, when set, is a source holding Sources[0] (with the importer that expands it):
	// importing it must give the same archive as importing Sources[0] directly.
	Container *Found
}

// Found is a source and the importer that reads it.
type Found struct {
	Source   importer.Source
	Importer importer.Importer
}

// Run runs the whole suite as subtests.
func Run(t *testing.T, c Case) {
	if c.Options.TZ == nil {
		c.Options.TZ = time.UTC
	}
	if len(c.Sources) == 0 {
		t.Fatal("importertest: a case needs at least one source")
	}
	t.Run("ImportTwiceAddsNothing", func(t *testing.T) { importTwice(t, c) })
	t.Run("BadInputChangesNothing", func(t *testing.T) { badInput(t, c) })
	t.Run("InterruptLeavesNothing", func(t *testing.T) { interrupt(t, c) })
	t.Run("WarningsHavePositions", func(t *testing.T) { warningsHavePositions(t, c) })
	t.Run("DetectZeroOnOtherFormats", func(t *testing.T) { detectOthers(t, c) })
	t.Run("DumpRoundTripIsLossless", func(t *testing.T) { roundTrip(t, c) })
	if c.Container != nil {
		t.Run("ContainerGivesSameArchive", func(t *testing.T) { container(t, c) })
	}
}

func runOne(t *testing.T, a *archive.Archive, imp importer.Importer, src importer.Source, opts importer.Options) *archive.Report {
	t.Helper()
	rep, err := importer.Run(context.Background(), a, imp, src, opts)
	if err != nil {
		t.Fatalf("import %s: %v", src, err)
	}
	return rep
}

func importTwice(t *testing.T, c Case) {
	a := archivetest.Open(t)
	for _, src := range c.Sources {
		if rep := runOne(t, a, c.Importer, src, c.Options); rep.MessagesAdded == 0 {
			t.Errorf("%s: first import added no message", src)
		}
	}
	before := Fingerprint(t, a)
	for _, src := range c.Sources {
		rep := runOne(t, a, c.Importer, src, c.Options)
		if rep.MessagesAdded != 0 || rep.MediaAdded != 0 || rep.MessagesUpdated != 0 {
			t.Errorf("%s imported again: %d messages, %d media files added, %d updated; want none", src, rep.MessagesAdded, rep.MediaAdded, rep.MessagesUpdated)
		}
	}
	if after := Fingerprint(t, a); !bytes.Equal(before, after) {
		t.Errorf("importing again changed the archive:\n%s", diff(before, after))
	}
}

func badInput(t *testing.T, c Case) {
	a := archivetest.Open(t)
	runOne(t, a, c.Importer, c.Sources[0], c.Options)
	before, media := Fingerprint(t, a), mediaFiles(t, a)
	for _, src := range c.Bad {
		_, err := importer.Run(context.Background(), a, c.Importer, src, c.Options)
		if err == nil {
			t.Errorf("%s: bad input imported without an error", src)
			continue
		}
		if bytes.ContainsRune([]byte(err.Error()), '\n') {
			t.Errorf("%s: the error is not one line: %q", src, err)
		}
		if after := Fingerprint(t, a); !bytes.Equal(before, after) {
			t.Errorf("%s: a failed import changed the archive:\n%s", src, diff(before, after))
		}
		if m := mediaFiles(t, a); m != media {
			t.Errorf("%s: a failed import changed the media store (%d files, was %d)", src, m, media)
		}
	}
}

// interrupt cancels each import as soon as it reports progress: it must then fail and change
// nothing (a source small enough to finish before it looks at the context may land whole).
func interrupt(t *testing.T, c Case) {
	for _, src := range c.Sources {
		a := archivetest.Open(t)
		before, media := Fingerprint(t, a), mediaFiles(t, a)
		ctx, cancel := context.WithCancel(context.Background())
		opts := c.Options
		opts.Progress = func(done, total int64) {
			if done > 0 {
				cancel()
			}
		}
		_, err := importer.Run(ctx, a, c.Importer, src, opts)
		cancel()
		if err == nil {
			continue
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: interrupted import failed with %v, want context.Canceled", src, err)
		}
		if after := Fingerprint(t, a); !bytes.Equal(before, after) {
			t.Errorf("%s: an interrupted import changed the archive:\n%s", src, diff(before, after))
		}
		if m := mediaFiles(t, a); m != media {
			t.Errorf("%s: an interrupted import left media files", src)
		}
		if left := privateLeft(t, a); len(left) > 0 {
			t.Errorf("%s: an interrupted import left temporary files: %v", src, left)
		}
	}
}

func warningsHavePositions(t *testing.T, c Case) {
	a := archivetest.Open(t)
	for _, src := range c.Sources {
		rep := runOne(t, a, c.Importer, src, c.Options)
		if rep.WarningsTotal < len(rep.Warnings) {
			t.Errorf("%s: %d warnings kept but only %d counted", src, len(rep.Warnings), rep.WarningsTotal)
		}
		for _, w := range rep.Warnings {
			if w.File == "" || (w.Line <= 0 && w.Pos == "") || w.Message == "" {
				t.Errorf("%s: warning without a file, a position or a message: %+v", src, w)
			}
		}
	}
}

func detectOthers(t *testing.T, c Case) {
	for _, s := range OtherSamples(t, c.OwnSamples) {
		if score := c.Importer.Detect(s); score != 0 {
			t.Errorf("Detect scores %d on %s, another format's sample", score, s)
		}
	}
}

func roundTrip(t *testing.T, c Case) {
	ctx := context.Background()
	a := archivetest.Open(t)
	for _, src := range c.Sources {
		runOne(t, a, c.Importer, src, c.Options)
	}
	dir1 := filepath.Join(t.TempDir(), "one")
	writeDump(t, a, dir1)
	b := archivetest.Open(t)
	rep, err := dump.Load(ctx, dump.Folder(dir1), b, dump.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 {
		t.Fatalf("load: %v", rep.Problems)
	}
	if fa, fb := Fingerprint(t, a), Fingerprint(t, b); !bytes.Equal(fa, fb) {
		t.Errorf("restored archive differs:\n%s", diff(fa, fb))
	}
	dir2 := filepath.Join(t.TempDir(), "two")
	writeDump(t, b, dir2)
	one, two := folderFiles(t, dir1), folderFiles(t, dir2)
	for p, data := range one {
		if !bytes.Equal(data, two[p]) {
			t.Errorf("%s differs after a dump and load", p)
		}
	}
	if len(one) != len(two) {
		t.Errorf("%d dump files before, %d after", len(one), len(two))
	}
}

func container(t *testing.T, c Case) {
	ctx := context.Background()
	direct := archivetest.Open(t)
	runOne(t, direct, c.Importer, c.Sources[0], c.Options)
	via := archivetest.Open(t)
	if _, _, err := importer.RunSource(ctx, via, c.Container.Importer, c.Container.Source, c.Options, false); err != nil {
		t.Fatalf("import %s: %v", c.Container.Source, err)
	}
	if fd, fv := Fingerprint(t, direct), Fingerprint(t, via); !bytes.Equal(fd, fv) {
		t.Errorf("through its container the source gives another archive:\n%s", diff(fd, fv))
	}
}

func writeDump(t *testing.T, a *archive.Archive, dir string) {
	t.Helper()
	ctx := context.Background()
	d, err := dump.Build(ctx, a, dump.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := dump.WriteFolder(ctx, d.Root(), dir); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func folderFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
