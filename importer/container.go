package importer

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/chatvault/chatvault/archive"
)

// Container is implemented by importers of sources that hold other sources: an iPhone backup
// (WhatsApp, WeChat, Messages databases), an Android app folder. Its Expand lists them, each with
// the importer that reads it; each is then imported in its own transaction. Import of a container
// is not called.
type Container interface {
	Importer
	Expand(ctx context.Context, src Source, opts Options) ([]Part, error)
}

// Part is one source inside a container, or a reason it was left out.
type Part struct {
	Source   Source
	Importer Importer
	// Skipped, when set, says why this part is not imported ("WeChat is not in this backup",
	// "WhatsApp database is from a newer app version"). The report lists it.
	Skipped string
	// Digest, when set, stands for every file the part reads, taken from the container's own
	// records without reading the files (an iPhone backup's manifest: paths, sizes, times). A part
	// whose importer and version already imported a source of this digest is left out unless
	// Options.Reread: reading it again would add nothing.
	Digest string
	// Unused, when set, is called instead of Import for a part left out that way.
	Unused func()
}

// RunSource imports a source: a container's parts one by one (each in its own transaction), any
// other source with Run. A part that fails stops nothing: its error is returned with the reports
// of the parts that landed, joined.
func RunSource(ctx context.Context, a *archive.Archive, imp Importer, src Source, opts Options, dryRun bool) ([]*archive.Report, []Skipped, error) {
	c, ok := imp.(Container)
	if !ok {
		rep, err := run(ctx, a, imp, src, opts, dryRun)
		if err != nil {
			return nil, nil, err
		}
		return []*archive.Report{rep}, nil, nil
	}
	tmp, err := a.PrivateTemp("expand-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	opts.TempDir = tmp
	parts, err := c.Expand(ctx, src, opts)
	if err != nil {
		return nil, nil, err
	}
	var reps []*archive.Report
	var skipped []Skipped
	var errs []error
	for _, p := range parts {
		if p.Skipped != "" {
			skipped = append(skipped, Skipped{Path: p.Source.String(), Reason: p.Skipped})
			continue
		}
		if p.Digest != "" && !opts.Reread {
			at, ok, err := a.ImportedDigest(ctx, p.Importer.Name(), p.Importer.Version(), p.Digest)
			if err != nil {
				return reps, skipped, err
			}
			if ok {
				skipped = append(skipped, Skipped{Path: p.Source.String(), Unchanged: true, Reason: fmt.Sprintf(
					"unchanged since its import of %s (the same files; --reread reads it again)", at.Local().Format("2006-01-02 15:04"))})
				if p.Unused != nil {
					p.Unused()
				}
				continue
			}
		}
		rep, err := runDigest(ctx, a, p.Importer, p.Source, opts, dryRun, p.Digest)
		if err != nil {
			if ctx.Err() != nil {
				return reps, skipped, err
			}
			errs = append(errs, err)
			continue
		}
		reps = append(reps, rep)
	}
	return reps, skipped, errors.Join(errs...)
}
