// Package importer is the framework every source format plugs into: an Importer says how sure it
// is that a path is its format, and reads that source into one archive Import, which Run then
// commits (or rolls back, leaving the archive as it was). One sub-package per format.
package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// Importer reads one source format.
type Importer interface {
	// Name is the importer's stable name, recorded with every message it imports ("whatsapp-txt").
	Name() string
	// Version changes whenever the importer derives fields differently, so later versions can
	// re-derive from the raw records.
	Version() string
	// Describe is one line for --help and error messages.
	Describe() string
	// Detect says how sure the importer is that path is its format: 0 not at all, 100 certain.
	// It must be cheap and must not fail loudly: unreadable means 0.
	Detect(path string) int
	// Import reads the source into im. It must not commit or roll back; Run does.
	Import(ctx context.Context, path string, im *archive.Import, opts Options) error
}

// Options are what the user tells every importer.
type Options struct {
	TZ            *time.Location // the zone local wall times are in (text exports carry none)
	DateOrder     string         // "", "DMY", "MDY" or "YMD": overrides the importer's guess
	Me            string         // the user's own name in the source
	Title         string         // overrides the conversation title derived from the source
	MaxMediaBytes int64          // a single media file larger than this is refused (0 = default)
	// Progress, when set, is told how many of the source's bytes have been read.
	Progress func(done, total int64)
}

// DefaultMaxMediaBytes bounds one media file: far above any real chat attachment (WhatsApp's
// limit is 2 GB), so only hostile archives (zip bombs) hit it.
const DefaultMaxMediaBytes = 4 << 30

var registry []Importer

// Register adds an importer. Format packages call it from init.
func Register(im Importer) { registry = append(registry, im) }

// All lists the registered importers by name.
func All() []Importer {
	out := append([]Importer(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// ErrUnknownFormat means no importer recognises a path.
var ErrUnknownFormat = errors.New("not a chat export chatvault can read")

// Detect picks the importer most sure that path is its format.
func Detect(path string) (Importer, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	var best Importer
	bestScore := 0
	for _, im := range All() {
		if s := im.Detect(path); s > bestScore {
			best, bestScore = im, s
		}
	}
	if best == nil {
		return nil, ErrUnknownFormat
	}
	return best, nil
}

// ByName finds a registered importer.
func ByName(name string) (Importer, error) {
	for _, im := range registry {
		if im.Name() == name {
			return im, nil
		}
	}
	return nil, fmt.Errorf("no importer named %q", name)
}

// Run imports one source in one transaction: it lands whole or not at all.
func Run(ctx context.Context, a *archive.Archive, imp Importer, path string, opts Options) (*archive.Report, error) {
	return run(ctx, a, imp, path, opts, false)
}

// DryRun reads a source as Run would and reports what it would add, changing nothing.
func DryRun(ctx context.Context, a *archive.Archive, imp Importer, path string, opts Options) (*archive.Report, error) {
	return run(ctx, a, imp, path, opts, true)
}

func run(ctx context.Context, a *archive.Archive, imp Importer, path string, opts Options, dryRun bool) (*archive.Report, error) {
	if opts.TZ == nil {
		opts.TZ = time.Local
	}
	if opts.MaxMediaBytes == 0 {
		opts.MaxMediaBytes = DefaultMaxMediaBytes
	}
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: imp.Name(), ImporterVersion: imp.Version(), SourcePath: path})
	if err != nil {
		return nil, err
	}
	if err := imp.Import(ctx, path, im, opts); err != nil {
		im.Rollback()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: import interrupted, nothing was changed: %w", path, ctx.Err())
		}
		return nil, err
	}
	if dryRun {
		rep := im.Report()
		return rep, im.Rollback()
	}
	return im.Commit()
}
