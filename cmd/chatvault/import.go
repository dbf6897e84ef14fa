package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	_ "github.com/chatvault/chatvault/importer/all" // every importer registers itself
	"github.com/chatvault/chatvault/internal/progress"
)

type importOptions struct {
	own    importerFlags
	me     string
	title  string
	format string
	dryRun bool
	json   bool
	reread bool
}

func newImportCommand(g *globals) *cobra.Command {
	o := &importOptions{}
	c := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import chat exports, app databases and iPhone backups into the archive",
		Long: `Import chat exports, app databases and iPhone backups into the archive.

Each PATH is one of the FORMATS below, found by its content: a WhatsApp "Export chat" (.txt, the
.zip WhatsApp shares, or the folder it unpacks to), WhatsApp's own databases (Android's
msgstore.db or its .crypt12/14/15 backup, iPhone's ChatStorage.sqlite), a Telegram Desktop
export (result.json), WeChat's databases (iPhone, Android, Windows and Mac), Messages' sms.db or
chat.db, or an iPhone backup folder. A folder that is none of these (Downloads, say) is searched
for them and each is imported. Each source is imported in one step: it lands whole or not at
all. Keys and passwords are asked for when needed, or read from the --...-file and
--...-command flags or the environment.

An iPhone backup folder brings WhatsApp, WeChat and Messages in one go; each app whose files are
unchanged since its last import (the backup's manifest says so) is skipped without being read.

Importing the same export twice adds nothing; a longer export of the same chat adds only the new
messages; two halves of a split chat merge without duplicates. A chat exported again after the
contact or group was renamed is recognised by its messages and goes into the conversation already
archived (--title keeps it apart).

Text exports carry local times without a zone: chatvault reads them in --tz (default: this
system's zone) and records that assumption. The order of day and month is decided from the whole
file; when the file cannot tell (every day is 12 or less), the report says so and --date-order
decides.

With --json the report is JSON; a failure, of any kind, is then also a JSON object on stdout
with an "error" member (kind, message, path, exit_status; see the user guide), besides the line
on stderr.

Examples:
  chatvault import "WhatsApp Chat with Alice.zip"
  chatvault import ~/Downloads/WhatsApp*.txt --tz Europe/Berlin
  chatvault import export-folder/ --me "Maria" --json
  chatvault import ~/Library/Application\ Support/MobileSync/Backup/00008110-000A1B2C3D4E5F60
  chatvault import msgstore.db.crypt15 --whatsapp-key-file key.txt
  chatvault import ~/Downloads/Telegram\ Desktop/DataExport_2026-12-01` + exitStatusHelp,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd.Context(), g, o, args)
		},
	}
	f := c.Flags()
	o.own.addFlags(f)
	f.StringVar(&o.me, "me", "", "your own name as it appears in the export (or later: chatvault me NAME)")
	f.StringVar(&o.title, "title", "", "conversation title to use instead of the one derived from the file name; also keeps the export apart from a chat it would be recognised as (one PATH only)")
	f.StringVar(&o.format, "format", "", "importer `name` to use instead of detecting it (see FORMATS above)")
	f.BoolVar(&o.dryRun, "dry-run", false, "read and report, but change nothing")
	f.BoolVar(&o.reread, "reread", false, "read an iPhone backup's apps again even when their files are unchanged since their last import")
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
	MessagesAdded    int                `json:"messages_added"`
	MessagesPresent  int                `json:"messages_present"`
	AttachmentsAdded int                `json:"attachments_added"`
	MediaAdded       int                `json:"media_added"`
	MediaMissing     int                `json:"media_missing"`
	Warnings         []archive.Warning  `json:"warnings"`
	WarningsTotal    int                `json:"warnings_total"`
	Sources          []*archive.Report  `json:"sources"`
	Failed           []failedSource     `json:"failed"`
	Skipped          []importer.Skipped `json:"skipped"`
	// Unchanged are an iPhone backup's apps left out because their files are as at their last
	// import: not read, nothing missing, not an error.
	Unchanged []importer.Skipped `json:"unchanged,omitempty"`
	DryRun    bool               `json:"dry_run,omitempty"`
	// Error is set when the exit status is not 0: the same object a failure before any import
	// prints alone (see failure).
	Error *failure `json:"error,omitempty"`
}

type failedSource struct {
	Source string `json:"source"`
	Error  string `json:"error"`
}

func runImport(ctx context.Context, g *globals, o *importOptions, paths []string) error {
	if o.title != "" && len(paths) > 1 {
		return usagef("--title needs exactly one PATH")
	}
	values := o.own.Values()
	switch v := strings.ToUpper(values["date-order"]); v {
	case "", "DMY", "MDY", "YMD":
		if v != "" {
			values["date-order"] = v
		}
	default:
		return usagef("--date-order must be DMY, MDY or YMD")
	}
	var forced importer.Importer
	if o.format != "" {
		var err error
		if forced, err = importer.ByName(o.format); err != nil {
			var names []string
			for _, im := range importer.All() {
				names = append(names, im.Name())
			}
			return unknownValue("--format", o.format, names)
		}
	}
	loc, err := g.location()
	if err != nil {
		return err
	}
	sources, skipped, err := expandSources(ctx, paths, forced)
	if err != nil {
		return err
	}
	sum := &importSummary{Warnings: []archive.Warning{}, Sources: []*archive.Report{}, Failed: []failedSource{}, Skipped: skipped, DryRun: o.dryRun}
	if len(sources) == 0 {
		if len(skipped) == 0 {
			if len(paths) == 1 {
				return &importer.SourceError{Path: paths[0], Err: importer.ErrUnknownFormat}
			}
			return withCode(fmt.Errorf("%s: %w", strings.Join(paths, ", "), importer.ErrUnknownFormat), exitBadInput)
		}
		return nothingToImport(g, o, sum, paths)
	}
	a, err := g.openArchive(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	defer importer.TuneGC()()
	for _, s := range sources {
		opts := importer.Options{TZ: loc, Me: o.me, Title: o.title, Values: values, Secrets: &o.own, Reread: o.reread}
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
		reps, skip, err := importer.RunSource(ctx, a, s.imp, s.src, opts, o.dryRun)
		bar.Finish()
		for _, k := range skip {
			if k.Unchanged {
				sum.Unchanged = append(sum.Unchanged, k)
			} else {
				skipped = append(skipped, k)
			}
		}
		for _, rep := range reps {
			sum.add(rep)
			if !o.json {
				printImportReport(g.stdout, rep, o.dryRun)
			}
		}
		if err != nil {
			if errors.Is(err, archive.ErrBusy) || ctx.Err() != nil {
				return err
			}
			sum.Failed = append(sum.Failed, failedSource{Source: s.path, Error: oneLine(err)})
			fmt.Fprintf(g.stderr, "chatvault: %s\n", oneLine(err))
		}
	}
	sum.Skipped = skipped
	sum.Error = sum.failure(len(sources))
	if o.json {
		if sum.Error != nil && sum.Error.Kind == exitKind(exitSkipped) {
			// Failed sources were named on stderr as they failed; a skip is said there too, so that
			// every non-zero status of --json has its line.
			fmt.Fprintf(g.stderr, "chatvault: %s\n", sum.Error.Message)
		}
		if err := printJSON(g.stdout, sum); err != nil {
			return err
		}
	} else {
		for _, k := range sum.Unchanged {
			fmt.Fprintf(g.stdout, "%s: %s\n", sanitizeTerminal(k.Path), k.Reason)
		}
		printSkipped(g.stdout, skipped)
	}
	if sum.Error != nil {
		return &silentError{sum.Error.ExitStatus}
	}
	return nil
}

// failure is the summary's error object: failed sources (exit status 3) before skipped files (4).
func (s *importSummary) failure(sources int) *failure {
	switch {
	case len(s.Failed) == 1:
		return &failure{Kind: exitKind(exitBadInput), Message: s.Failed[0].Error, Path: s.Failed[0].Source, ExitStatus: exitBadInput}
	case len(s.Failed) > 1:
		return &failure{Kind: exitKind(exitBadInput), ExitStatus: exitBadInput,
			Message: fmt.Sprintf("%d of %d sources could not be imported (each is in \"failed\")", len(s.Failed), sources)}
	case len(s.Skipped) > 0:
		f := &failure{Kind: exitKind(exitSkipped), ExitStatus: exitSkipped,
			Message: fmt.Sprintf("%s skipped (each is in \"skipped\", with why)", countOf(len(s.Skipped), "file"))}
		if len(s.Skipped) == 1 {
			f.Path = s.Skipped[0].Path
		}
		return f
	}
	return nil
}

// nothingToImport fails an import that found no source, naming each file it looked at and why
// it was skipped (a folder of unreadable files is not one unknown format).
func nothingToImport(g *globals, o *importOptions, sum *importSummary, paths []string) error {
	err := fmt.Errorf("%s: %w", strings.Join(paths, ", "), importer.ErrUnknownFormat)
	if n := len(sum.Skipped); n > 0 {
		err = fmt.Errorf("%s: no chat export chatvault can read; %d %s skipped (listed)", strings.Join(paths, ", "), n, plural(n, "file", "files"))
		if o.json {
			sum.Failed = append(sum.Failed, failedSource{Source: strings.Join(paths, ", "), Error: oneLine(err)})
			sum.Error = sum.failure(0)
			if perr := printJSON(g.stdout, sum); perr != nil {
				return perr
			}
		} else {
			printSkipped(g.stdout, sum.Skipped)
		}
	}
	return withCode(err, exitBadInput)
}

// printSkipped names every skipped file with why.
func printSkipped(w io.Writer, skipped []importer.Skipped) {
	if len(skipped) == 0 {
		return
	}
	fmt.Fprintf(w, "Skipped %d %s:\n", len(skipped), plural(len(skipped), "file", "files"))
	for _, s := range skipped {
		fmt.Fprintf(w, "  %s: %s\n", sanitizeTerminal(s.Path), s.Reason)
	}
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
	src  importer.Source
	imp  importer.Importer
}

// expandSources detects each path's format; a folder no importer claims is searched for sources.
// A path given by name that no importer reads is named as skipped, as is every file of a folder.
func expandSources(ctx context.Context, paths []string, forced importer.Importer) ([]source, []importer.Skipped, error) {
	var out []source
	skipped := []importer.Skipped{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, &importer.SourceError{Path: p, Err: errors.Unwrap(err)}
		}
		src := importer.LocalSource(p)
		if forced != nil {
			out = append(out, source{p, src, forced})
			continue
		}
		if imp, err := importer.Detect(src); err == nil {
			out = append(out, source{p, src, imp})
			continue
		}
		if !st.IsDir() {
			if len(paths) == 1 {
				return nil, nil, &importer.SourceError{Path: p, Err: fmt.Errorf("%w (formats: see `chatvault import --help`)", importer.ErrUnknownFormat)}
			}
			skipped = append(skipped, importer.Skipped{Path: p, Reason: importer.ErrUnknownFormat.Error()})
			continue
		}
		found, skip, err := importer.Find(ctx, src)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range found {
			out = append(out, source{f.Source.String(), f.Source, f.Importer})
		}
		skipped = append(skipped, skip...)
	}
	return out, skipped, nil
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
	if n := len(r.Conversations); n == 1 {
		fmt.Fprintf(w, "  conversation: %s\n", sanitizeTerminal(r.Conversations[0]))
	} else if n > 1 {
		// A whole account has hundreds of chats: name the first few, count the rest.
		const shown = 12
		titles := make([]string, 0, shown+1)
		for _, t := range r.Conversations[:min(n, shown)] {
			titles = append(titles, sanitizeTerminal(t))
		}
		if n > shown {
			titles = append(titles, fmt.Sprintf("and %d more (--json lists them all)", n-shown))
		}
		fmt.Fprintf(w, "  conversations (%d): %s\n", n, strings.Join(titles, ", "))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", sanitizeTerminal(n))
	}
	for _, u := range r.MeUnknown {
		names := make([]string, len(u.Names))
		for i, n := range u.Names {
			names[i] = sanitizeTerminal(n)
		}
		fmt.Fprintf(w, "  you: unknown in %s, so every message shows its author's name; names seen: %s\n",
			sanitizeTerminal(u.Conversation), strings.Join(names, ", "))
		printMeGuess(w, u.Conversation, u.Guess)
		if u.Guess == nil {
			fmt.Fprintln(w, "  (or import again with --me NAME)")
		}
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

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
