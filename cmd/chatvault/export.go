package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
	htmlexport "github.com/chatvault/chatvault/export/html"
	"github.com/chatvault/chatvault/export/jsonl"
	"github.com/chatvault/chatvault/export/txt"
	"github.com/chatvault/chatvault/export/vcard"
	"github.com/chatvault/chatvault/internal/progress"
)

// exportOptions are the flags the export formats share.
type exportOptions struct {
	out          string
	chats        []string
	period       periodOptions
	withoutMedia bool
	pageSize     int
	includeMe    bool
	json         bool
}

func (o *exportOptions) addSelectionFlags(c *cobra.Command) {
	f := c.Flags()
	f.StringArrayVar(&o.chats, "chat", nil, "export only this conversation (title, part of it, or ID; repeat for several)")
	o.period.addFlags(f)
}

func newExportCommand(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "export",
		Short: "Write conversations as web pages, WhatsApp text, JSON or contacts",
		Long: `Write conversations out of the archive for reading, keeping or other programs:

  html    a folder of web pages that open in any browser, offline (index, paged chats, search)
  txt     WhatsApp's own "Export chat" text, with the media, re-importable, no message cap
  json    JSON Lines, one object per message (schema: docs/export-json.md)
  vcard   the contacts (everyone in your chats) as a .vcf address book

Exports stream from the archive: memory stays small whatever the size of the history.` + exitStatusHelp,
		Args: cobra.NoArgs,
	}
	c.AddCommand(newExportHTMLCommand(g), newExportTxtCommand(g), newExportJSONCommand(g), newExportVCardCommand(g))
	return c
}

func newExportHTMLCommand(g *globals) *cobra.Command {
	o := &exportOptions{}
	c := &cobra.Command{
		Use:   "html --out FOLDER",
		Short: "Write a folder of web pages to read offline",
		Long: `Write the archive (or some conversations) as a folder of web pages: index.html lists the
conversations, each conversation is a set of pages of --page-size messages (a chat of 300,000
messages opens at once), with a month index, and search.html searches everything in the browser.
Photos, videos and voice notes are shown and played inline (WeChat's SILK voice notes are
written as WAV); documents are linked; WeChat's forwarded chat histories open on a click. Nothing is
loaded from the internet: the folder works offline and can be copied anywhere.

FOLDER must be new, empty, or an earlier HTML export (which is replaced, reusing its media
files). The new export appears when it is complete; if it fails, FOLDER is left as it was.

Message text, names and file names are shown as text: nothing in a chat can run in the pages.

Examples:
  chatvault export html --out ~/chats-html
  chatvault export html --out alice-2023 --chat Alice --since 2023-01-01 --until 2024-01-01
  chatvault export html --out light --without-media` + exitStatusHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runExportHTML(cmd.Context(), g, o) },
	}
	o.addSelectionFlags(c)
	f := c.Flags()
	f.StringVar(&o.out, "out", "", "folder to write (required)")
	f.BoolVar(&o.withoutMedia, "without-media", false, "leave media files out, like WhatsApp's \"Without media\"")
	f.IntVar(&o.pageSize, "page-size", htmlexport.DefaultPageSize, "messages per page")
	f.BoolVar(&o.json, "json", false, "print the report as JSON")
	c.MarkFlagRequired("out")
	return c
}

func newExportTxtCommand(g *globals) *cobra.Command {
	o := &exportOptions{}
	c := &cobra.Command{
		Use:   "txt --out PATH",
		Short: "Write WhatsApp-style chat text (re-importable), with the media",
		Long: `Write conversations in the shape of WhatsApp's own "Export chat" (Android, English):
"DD/MM/YYYY, HH:MM - Name: text", attachments as "NAME (file attached)" lines, left-out media as
"<Media omitted>", system notices without a name. Headers carry seconds when the messages do.
There is no message cap. Importing the export gives the same messages back.

Times are written as the source recorded them (the wall-clock time the phone showed); with --tz
(or CHATVAULT_TZ), all in that zone. Import the export with the same --tz you imported the
original with.

With one --chat, PATH says the shape:
  NAME.zip   a zip like WhatsApp's, holding the text and the media files
  NAME.txt   the text; its media files are written next to it (never over an existing file)
  FOLDER     a folder holding "WhatsApp Chat with TITLE.txt" and the media files
Without --chat, PATH is a folder with one "WhatsApp Chat with TITLE.zip" per conversation
(.txt with --without-media).

Examples:
  chatvault export txt --chat "Alice" --out alice.zip
  chatvault export txt --chat "Alice" --out alice.txt --without-media
  chatvault export txt --out ~/whatsapp-texts` + exitStatusHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runExportTxt(cmd.Context(), g, o) },
	}
	o.addSelectionFlags(c)
	f := c.Flags()
	f.StringVar(&o.out, "out", "", "file or folder to write (required)")
	f.BoolVar(&o.withoutMedia, "without-media", false, "write every attachment as <Media omitted>, like WhatsApp's \"Without media\"")
	f.BoolVar(&o.json, "json", false, "print the report as JSON")
	c.MarkFlagRequired("out")
	return c
}

func newExportJSONCommand(g *globals) *cobra.Command {
	o := &exportOptions{}
	c := &cobra.Command{
		Use:   "json --out FILE",
		Short: "Write JSON Lines, one object per message",
		Long: `Write messages as JSON Lines: one JSON object per line, each with its conversation, time
(RFC 3339 and Unix milliseconds), sender, kind, text, attachments (with their SHA-256, the name of
the file in the archive's media store), reactions and details. Every line names its schema
("chatvault.message/1"); docs/export-json.md documents it. --out - writes to standard output.

Examples:
  chatvault export json --out chats.jsonl
  chatvault export json --chat Family --out - | jq -r .text` + exitStatusHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runExportJSON(cmd.Context(), g, o) },
	}
	o.addSelectionFlags(c)
	c.Flags().StringVar(&o.out, "out", "", "file to write, - for standard output (required)")
	c.MarkFlagRequired("out")
	return c
}

func newExportVCardCommand(g *globals) *cobra.Command {
	o := &exportOptions{}
	c := &cobra.Command{
		Use:   "vcard --out FILE",
		Short: "Write the contacts as a vCard (.vcf) address book",
		Long: `Write everyone who appears in your chats as vCard 3.0 cards (name, phone number when known,
the service, how many messages), which address books and phones import. Your own entries are
left out unless --include-me. --out - writes to standard output.

Example:
  chatvault export vcard --out contacts.vcf` + exitStatusHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runExportVCard(cmd.Context(), g, o) },
	}
	f := c.Flags()
	f.StringVar(&o.out, "out", "", "file to write, - for standard output (required)")
	f.BoolVar(&o.includeMe, "include-me", false, "also write your own entries")
	c.MarkFlagRequired("out")
	return c
}

// selection resolves --chat, --since and --until.
func (o *exportOptions) selection(ctx context.Context, g *globals, a *archive.Archive) (export.Selection, error) {
	var sel export.Selection
	loc, err := g.location()
	if err != nil {
		return sel, err
	}
	if sel.Since, sel.Until, err = o.period.bounds(loc); err != nil {
		return sel, err
	}
	if len(o.chats) > 0 {
		sel.ConversationIDs = []int64{}
		for _, name := range o.chats {
			c, err := pickConversation(ctx, a, name)
			if err != nil {
				return sel, err
			}
			sel.ConversationIDs = append(sel.ConversationIDs, c.ID)
		}
	}
	return sel, nil
}

// tzGiven reports whether the user chose a zone (flag, environment or settings file).
func (g *globals) tzGiven() bool {
	if g.tzFlag != "" || os.Getenv("CHATVAULT_TZ") != "" {
		return true
	}
	c, err := g.config()
	return err == nil && c.TZ != ""
}

func runExportHTML(ctx context.Context, g *globals, o *exportOptions) error {
	loc, err := g.location()
	if err != nil {
		return err
	}
	if o.pageSize < 10 || o.pageSize > 20000 {
		return usagef("--page-size must be between 10 and 20000")
	}
	a, err := g.openExistingArchive(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	sel, err := o.selection(ctx, g, a)
	if err != nil {
		return err
	}
	// Rendering a million messages allocates a lot of short-lived memory; collecting a little less
	// often saves a fifth of the CPU for some tens of MB more. The export's memory stays bounded.
	defer debug.SetGCPercent(debug.SetGCPercent(300))
	bar := progress.New(-1, "export html", progress.Items)
	start := time.Now()
	rep, err := htmlexport.Export(ctx, a, o.out, htmlexport.Options{Selection: sel, Location: loc, WithoutMedia: o.withoutMedia,
		PageSize: o.pageSize, Progress: func(done, total int64) { bar.SetTotal(total); bar.Set(done) }})
	bar.Finish()
	if err != nil {
		return err
	}
	if o.json {
		return printJSON(g.stdout, rep)
	}
	chats := "chats"
	if rep.Conversations == 1 {
		chats = "chat"
	}
	fmt.Fprintf(g.stdout, "Exported %d %s, %s messages in %d pages, %d media files (%s), in %s.\n",
		rep.Conversations, chats, formatCount(rep.Messages), rep.Pages, rep.MediaFiles, formatBytes(rep.MediaBytes), time.Since(start).Round(100*time.Millisecond))
	fmt.Fprintf(g.stdout, "Open %s in a browser.\n", filepath.Join(rep.Dir, "index.html"))
	return nil
}

func runExportTxt(ctx context.Context, g *globals, o *exportOptions) error {
	loc, err := g.location()
	if err != nil {
		return err
	}
	a, err := g.openExistingArchive(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	sel, err := o.selection(ctx, g, a)
	if err != nil {
		return err
	}
	opts := txt.Options{Selection: sel, Fallback: loc, WithoutMedia: o.withoutMedia}
	if g.tzGiven() {
		opts.Zone = loc
	}
	var results []*txt.Result
	if len(sel.ConversationIDs) == 1 {
		conv, err := a.ConversationByID(ctx, sel.ConversationIDs[0])
		if err != nil {
			return err
		}
		res, err := txt.ExportConversation(ctx, a, conv, o.out, opts)
		if err != nil {
			return err
		}
		results = append(results, res)
	} else {
		if ext := strings.ToLower(filepath.Ext(o.out)); ext == ".txt" || ext == ".zip" {
			return usagef("several conversations go into a folder: give --out a folder, or pick one with --chat")
		}
		if results, err = txt.ExportAll(ctx, a, o.out, opts); err != nil {
			return err
		}
	}
	if o.json {
		return printJSON(g.stdout, results)
	}
	for _, r := range results {
		fmt.Fprintf(g.stdout, "%s: %s messages, %d media files (%s)", r.Path, formatCount(r.Messages), r.MediaFiles, formatBytes(r.MediaBytes))
		if r.Omitted > 0 {
			fmt.Fprintf(g.stdout, ", %d media omitted", r.Omitted)
		}
		fmt.Fprintln(g.stdout)
	}
	return nil
}

// outputFile opens --out for writing (- is standard output); commit renames the finished file
// into place, so a failed export never leaves half a file under the name asked for.
func outputFile(g *globals, out string) (io.Writer, func(error) error, error) {
	if out == "-" {
		return g.stdout, func(err error) error { return err }, nil
	}
	dir := filepath.Dir(out)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return nil, nil, err
	}
	return f, func(err error) error {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(f.Name(), out)
		}
		if err != nil {
			os.Remove(f.Name())
		}
		return err
	}, nil
}

func runExportJSON(ctx context.Context, g *globals, o *exportOptions) error {
	a, err := g.openExistingArchive(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	sel, err := o.selection(ctx, g, a)
	if err != nil {
		return err
	}
	w, commit, err := outputFile(g, o.out)
	if err != nil {
		return err
	}
	bar := progress.New(-1, "export json", progress.Items)
	n, err := jsonl.Write(ctx, a, w, jsonl.Options{Selection: sel, Progress: func(done int64) { bar.Set(done) }})
	bar.Finish()
	if err := commit(err); err != nil {
		return err
	}
	if o.out != "-" {
		fmt.Fprintf(g.stderr, "Wrote %s messages to %s.\n", formatCount(n), o.out)
	}
	return nil
}

func runExportVCard(ctx context.Context, g *globals, o *exportOptions) error {
	a, err := g.openExistingArchive(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	w, commit, err := outputFile(g, o.out)
	if err != nil {
		return err
	}
	n, err := vcard.Write(ctx, a, w, vcard.Options{IncludeMe: o.includeMe})
	if err := commit(err); err != nil {
		return err
	}
	if o.out != "-" {
		fmt.Fprintf(g.stderr, "Wrote %d contacts to %s.\n", n, o.out)
	}
	return nil
}
