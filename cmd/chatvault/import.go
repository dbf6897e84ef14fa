package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	_ "github.com/chatvault/chatvault/importer/all" // every importer registers itself
	"github.com/chatvault/chatvault/internal/progress"
)

type importOptions struct {
	dateOrder string
	me        string
	title     string
	format    string
	dryRun    bool
	json      bool
}

func newImportCommand(g *globals) *cobra.Command {
	o := &importOptions{}
	c := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import chat exports into the archive",
		Long: `Import chat exports into the archive.

Each PATH is a chat export: a WhatsApp "Export chat" .txt, the .zip WhatsApp shares (with or
without media), or the folder it unpacks to. A folder that is not itself an export (Downloads,
say) is searched for exports and each is imported. Each source is imported in one step: it lands
whole or not at all.

Importing the same export twice adds nothing; a longer export of the same chat adds only the new
messages; two halves of a split chat merge without duplicates. A chat exported again after the
contact or group was renamed is recognised by its messages and goes into the conversation already
archived (--title keeps it apart).

Text exports carry local times without a zone: chatvault reads them in --tz (default: this
system's zone) and records that assumption. The order of day and month is decided from the whole
file; when the file cannot tell (every day is 12 or less), the report says so and --date-order
decides.

Examples:
  chatvault import "WhatsApp Chat with Alice.zip"
  chatvault import ~/Downloads/WhatsApp*.txt --tz Europe/Berlin
  chatvault import export-folder/ --me "Maria" --json` + exitStatusHelp,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd.Context(), g, o, args)
		},
	}
	f := c.Flags()
	f.StringVar(&o.dateOrder, "date-order", "", "order of day, month and year in the export's dates: DMY, MDY or YMD (default: decided from the file)")
	f.StringVar(&o.me, "me", "", "your own name as it appears in the export")
	f.StringVar(&o.title, "title", "", "conversation title to use instead of the one derived from the file name; also keeps the export apart from a chat it would be recognised as (one PATH only)")
	f.StringVar(&o.format, "format", "", "importer `name` to use instead of detecting it (see FORMATS above)")
	f.BoolVar(&o.dryRun, "dry-run", false, "read and report, but change nothing")
	f.BoolVar(&o.json, "json", false, "print the report as JSON")
	var formats []string
	for _, im := range importer.All() {
		formats = append(formats, fmt.Sprintf("  %-16s %s", im.Name(), im.Describe()))
	}
	c.Long += "\n\nFORMATS\n" + strings.Join(formats, "\n")
	return c
}

// importSummary is what `import --json` prints: totals first, then each source.
type importSummary struct {
	MessagesAdded    int               `json:"messages_added"`
	MessagesPresent  int               `json:"messages_present"`
	AttachmentsAdded int               `json:"attachments_added"`
	MediaAdded       int               `json:"media_added"`
	MediaMissing     int               `json:"media_missing"`
	Warnings         []archive.Warning `json:"warnings"`
	WarningsTotal    int               `json:"warnings_total"`
	Sources          []*archive.Report `json:"sources"`
	Failed           []failedSource    `json:"failed"`
	Skipped          []string          `json:"skipped"`
	DryRun           bool              `json:"dry_run,omitempty"`
}

type failedSource struct {
	Source string `json:"source"`
	Error  string `json:"error"`
}

func runImport(ctx context.Context, g *globals, o *importOptions, paths []string) error {
	if o.title != "" && len(paths) > 1 {
		return usagef("--title needs exactly one PATH")
	}
	switch strings.ToUpper(o.dateOrder) {
	case "", "DMY", "MDY", "YMD":
		o.dateOrder = strings.ToUpper(o.dateOrder)
	default:
		return usagef("--date-order must be DMY, MDY or YMD")
	}
	var forced importer.Importer
	if o.format != "" {
		var err error
		if forced, err = importer.ByName(o.format); err != nil {
			return usagef(err.Error())
		}
	}
	loc, err := g.location()
	if err != nil {
		return err
	}
	sources, skipped, err := expandSources(paths, forced)
	if err != nil {
		return err
	}
	sum := &importSummary{Warnings: []archive.Warning{}, Sources: []*archive.Report{}, Failed: []failedSource{}, Skipped: skipped, DryRun: o.dryRun}
	if len(sources) == 0 {
		return withCode(fmt.Errorf("%s: %w", strings.Join(paths, ", "), importer.ErrUnknownFormat), exitBadInput)
	}
	a, err := g.openArchive(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	for _, s := range sources {
		opts := importer.Options{TZ: loc, DateOrder: o.dateOrder, Me: o.me, Title: o.title}
		bar := progress.New(-1, filepath.Base(s.path), progress.Bytes)
		saving := false
		opts.Progress = func(done, total int64) {
			// One byte more than the source: the bar stays up after the last byte is read, while
			// the last messages are stored and indexed and the import commits, which on a big
			// history takes a while of its own.
			bar.SetTotal(total + 1)
			if done >= total && !saving {
				saving = true
				bar.Describe(filepath.Base(s.path) + ": saving")
			}
			bar.Set(done)
		}
		rep, err := importOne(ctx, a, s, opts, o.dryRun)
		bar.Finish()
		if err != nil {
			if errors.Is(err, archive.ErrBusy) || ctx.Err() != nil {
				return err
			}
			sum.Failed = append(sum.Failed, failedSource{Source: s.path, Error: oneLine(err)})
			if !o.json {
				fmt.Fprintf(g.stderr, "chatvault: %s\n", oneLine(err))
			}
			continue
		}
		sum.add(rep)
		if !o.json {
			printImportReport(g.stdout, rep, o.dryRun)
		}
	}
	if o.json {
		if err := printJSON(g.stdout, sum); err != nil {
			return err
		}
	} else if len(skipped) > 0 {
		fmt.Fprintf(g.stdout, "Skipped %d files that are not chat exports chatvault can read (--json lists them).\n", len(skipped))
	}
	if len(sum.Failed) > 0 {
		return &silentError{exitBadInput}
	}
	return nil
}

func (s *importSummary) add(r *archive.Report) {
	s.Sources = append(s.Sources, r)
	s.MessagesAdded += r.MessagesAdded
	s.MessagesPresent += r.MessagesPresent
	s.AttachmentsAdded += r.AttachmentsAdded
	s.MediaAdded += r.MediaAdded
	s.MediaMissing += r.MediaMissing
	s.Warnings = append(s.Warnings, r.Warnings...)
	s.WarningsTotal += r.WarningsTotal
}

type source struct {
	path string
	imp  importer.Importer
}

// expandSources detects each path's format; a folder no importer claims is searched for exports.
func expandSources(paths []string, forced importer.Importer) ([]source, []string, error) {
	var out []source
	skipped := []string{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, withCode(fmt.Errorf("%s: %w", p, errors.Unwrap(err)), exitBadInput)
		}
		if forced != nil {
			out = append(out, source{p, forced})
			continue
		}
		if imp, err := importer.Detect(p); err == nil {
			out = append(out, source{p, imp})
			continue
		}
		if !st.IsDir() {
			if len(paths) == 1 {
				return nil, nil, withCode(fmt.Errorf("%s: %w (formats: see `chatvault import --help`)", p, importer.ErrUnknownFormat), exitBadInput)
			}
			skipped = append(skipped, p)
			continue
		}
		found, skip := findExports(p)
		out = append(out, found...)
		skipped = append(skipped, skip...)
	}
	return out, skipped, nil
}

// findExports walks a folder (not following links, at most 4 levels deep) for exports.
func findExports(dir string) ([]source, []string) {
	var out []source
	var skipped []string
	root := filepath.Clean(dir)
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		depth := strings.Count(strings.TrimPrefix(p, root), string(filepath.Separator))
		if d.IsDir() && p != root {
			if strings.HasPrefix(d.Name(), ".") || depth > 4 {
				return filepath.SkipDir
			}
			if imp, err := importer.Detect(p); err == nil {
				out = append(out, source{p, imp})
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			if imp, err := importer.Detect(p); err == nil {
				out = append(out, source{p, imp})
			} else {
				skipped = append(skipped, p)
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, skipped
}

func importOne(ctx context.Context, a *archive.Archive, s source, opts importer.Options, dryRun bool) (*archive.Report, error) {
	if dryRun {
		return importer.DryRun(ctx, a, s.imp, s.path, opts)
	}
	return importer.Run(ctx, a, s.imp, s.path, opts)
}

func printImportReport(w io.Writer, r *archive.Report, dryRun bool) {
	verb := "Imported"
	if dryRun {
		verb = "Would import"
	}
	fmt.Fprintf(w, "%s %s (%s): %s new messages, %s already present, %s attachments",
		verb, sanitizeTerminal(r.Source), r.Importer, formatCount(int64(r.MessagesAdded)), formatCount(int64(r.MessagesPresent)),
		formatCount(int64(r.AttachmentsAdded)))
	if r.MediaMissing > 0 {
		fmt.Fprintf(w, " (%d without their media file)", r.MediaMissing)
	}
	if r.WarningsTotal > 0 {
		fmt.Fprintf(w, ", %d warnings", r.WarningsTotal)
	}
	fmt.Fprintln(w)
	if len(r.Conversations) > 0 {
		titles := make([]string, len(r.Conversations))
		for i, t := range r.Conversations {
			titles[i] = sanitizeTerminal(t)
		}
		fmt.Fprintf(w, "  conversation: %s\n", strings.Join(titles, ", "))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", sanitizeTerminal(n))
	}
	const shown = 20
	for i, wr := range r.Warnings {
		if i == shown {
			fmt.Fprintf(w, "  ... and %d more warnings (--json lists them)\n", r.WarningsTotal-shown)
			break
		}
		fmt.Fprintf(w, "  warning: %s:%d: %s\n", sanitizeTerminal(wr.File), wr.Line, sanitizeTerminal(wr.Message))
	}
}
