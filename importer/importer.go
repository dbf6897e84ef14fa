// Package importer is the framework every source format plugs into. An Importer says how sure it
// is that a Source is its format, and reads that source into one archive Import, which Run then
// commits (or rolls back, leaving the archive as it was). A Container (an iPhone backup, an
// Android app folder) expands into sub-sources, each read by its own importer; Find walks a
// folder for every source in it. One sub-package per format.
//
// Sources are file-system views (fs.FS plus a path), not host paths, so one importer reads a
// database from a folder or from inside a decrypted phone backup alike.
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
	// Detect says how sure the importer is that src is its format: 0 not at all, 100 certain.
	// It must be cheap (read a file's first bytes, a folder's names) and must not fail loudly:
	// unreadable means 0.
	Detect(src Source) int
	// Import reads the source into im. It must not commit or roll back; Run does.
	Import(ctx context.Context, src Source, im *archive.Import, opts Options) error
}

// Ranked is implemented by importers of sources richer than a text export (archive.RankExport):
// app databases say archive.RankDatabase. Their records win over a poorer source's.
type Ranked interface {
	Rank() int
}

// Flagged is implemented by importers with options of their own. The command line offers each
// flag once (importers may share a name: --key); the values reach Import in Options.Values.
type Flagged interface {
	Flags() []Flag
}

// Flag is one importer option.
type Flag struct {
	Name  string // without dashes: "date-order"
	Usage string
	// Secret flags are asked for as the vault's password is: --NAME-file, --NAME-command,
	// CHATVAULT_NAME, or a prompt on a terminal; never as a plain flag value (it would land in
	// the shell history and the process list). Importers read them with Options.Secrets.
	Secret bool
}

// Options are what the user tells the import. Common ones are fields; an importer's own ones are
// in Values, by flag name.
type Options struct {
	TZ            *time.Location // the zone local wall times are in (text exports carry none)
	Me            string         // the user's own name or number in the source
	Title         string         // overrides the conversation title derived from the source
	MaxMediaBytes int64          // a single media file larger than this is refused (0 = default)
	// Progress, when set, is told how many of the source's bytes (or records) have been read.
	Progress func(done, total int64)
	// Values are the importers' own options (Flagged), by flag name.
	Values map[string]string
	// Secrets asks for keys and passwords (Flag.Secret). Nil: none can be had.
	Secrets Secrets
	// TempDir is a private folder inside the archive folder for decrypted bytes that cannot stay
	// in memory. Run creates it and removes it when the import ends, also on failure.
	TempDir string
	// Reread reads a container's parts again even when their files are unchanged since their
	// last import (Part.Digest).
	Reread bool
}

// Value is an importer option's value, "" when not given.
func (o Options) Value(name string) string { return o.Values[name] }

// Secrets asks the user for a secret named by a Flag (Flag.Secret).
type Secrets interface {
	// Secret returns the secret, or ErrNoSecret when the user gave none and none can be asked.
	Secret(ctx context.Context, name, prompt string) ([]byte, error)
}

// ErrNoSecret means a secret the source needs was not given and cannot be asked for.
var ErrNoSecret = errors.New("not given")

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

// AllFlags lists every importer's own flags once, by name, with the importers that read each.
func AllFlags() []Flag {
	seen := map[string]bool{}
	var out []Flag
	for _, im := range All() {
		if f, ok := im.(Flagged); ok {
			for _, fl := range f.Flags() {
				if !seen[fl.Name] {
					seen[fl.Name] = true
					out = append(out, fl)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// RankOf is an importer's source rank.
func RankOf(imp Importer) int {
	if r, ok := imp.(Ranked); ok {
		return r.Rank()
	}
	return archive.RankExport
}

// ErrUnknownFormat means no importer recognises a source.
var ErrUnknownFormat = errors.New("not a chat export chatvault can read")

// Detect picks the importer most sure that src is its format.
func Detect(src Source) (Importer, error) {
	if _, err := src.Stat(); err != nil {
		return nil, err
	}
	var best Importer
	bestScore := 0
	for _, im := range All() {
		if s := im.Detect(src); s > bestScore {
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
func Run(ctx context.Context, a *archive.Archive, imp Importer, src Source, opts Options) (*archive.Report, error) {
	return run(ctx, a, imp, src, opts, false)
}

// DryRun reads a source as Run would and reports what it would add, changing nothing.
func DryRun(ctx context.Context, a *archive.Archive, imp Importer, src Source, opts Options) (*archive.Report, error) {
	return run(ctx, a, imp, src, opts, true)
}

func run(ctx context.Context, a *archive.Archive, imp Importer, src Source, opts Options, dryRun bool) (*archive.Report, error) {
	return runDigest(ctx, a, imp, src, opts, dryRun, "")
}

// runDigest is run recording digest (a container part's Digest) as the import's source digest.
func runDigest(ctx context.Context, a *archive.Archive, imp Importer, src Source, opts Options, dryRun bool, digest string) (*archive.Report, error) {
	if opts.TZ == nil {
		opts.TZ = time.Local
	}
	if opts.MaxMediaBytes == 0 {
		opts.MaxMediaBytes = DefaultMaxMediaBytes
	}
	tmp, err := a.PrivateTemp("import-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	opts.TempDir = tmp
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: imp.Name(), ImporterVersion: imp.Version(), SourcePath: src.String(), SourceDigest: digest, Rank: RankOf(imp)})
	if err != nil {
		return nil, err
	}
	if err := imp.Import(ctx, src, im, opts); err != nil {
		im.Rollback()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: import interrupted, nothing was changed: %w", src, ctx.Err())
		}
		return nil, err
	}
	if dryRun {
		rep := im.Report()
		return rep, im.Rollback()
	}
	return im.Commit()
}
