// Package whatsapp imports WhatsApp's own "Export chat" output: the .txt, the .zip WhatsApp
// shares (with or without media) and the folder it unpacks to, from iOS and Android in every
// locale. The text parsing lives in wachat; this package maps its records onto the archive.
package whatsapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
)

// Service is the archive's service name for WhatsApp.
const Service = "whatsapp"

// exportKeyPrefix starts the key of a conversation known from text exports, which carry no chat
// id: the rest is the normalised title (or --title).
const exportKeyPrefix = "export:"

// ExportKey is the conversation key a text export titled title (the contact's or group's name,
// as in "WhatsApp Chat with NAME") lands under. Importers of WhatsApp's databases give it as an
// Ident of the chat, so an export and the database of one chat are one conversation.
func ExportKey(title string) string {
	return exportKeyPrefix + strings.ToLower(normalizeText(title))
}

// Name and Version identify this importer in every message's provenance. Bump Version when the
// mapping from records to messages changes.
const (
	Name    = "whatsapp-txt"
	Version = "1"
)

type txtImporter struct{}

func init() { importer.Register(txtImporter{}) }

func (txtImporter) Name() string    { return Name }
func (txtImporter) Version() string { return Version }
func (txtImporter) Describe() string {
	return `WhatsApp "Export chat": .txt, .zip (with or without media) or the unpacked folder`
}

// Flags are this importer's own options.
func (txtImporter) Flags() []importer.Flag {
	return []importer.Flag{
		{Name: "date-order", Usage: "order of day, month and year in a WhatsApp export's dates: DMY, MDY or YMD (default: decided from the file)"},
		{Name: "year", Usage: "the year a WhatsApp export was made in, for exports whose headers omit the year (Android, 2013-2014)"},
	}
}

// Detect looks at the start of the chat text for WhatsApp message headers.
func (txtImporter) Detect(src importer.Source) int {
	e, err := openExport(src)
	if err != nil {
		if errors.Is(err, errZipDamaged) || errors.Is(err, errZipTooLarge) || errors.Is(err, errZipUnsafe) {
			// Not readable, but a zip given where exports are: Import says what is wrong with it
			// rather than "not a chat export".
			return 5
		}
		return 0
	}
	defer e.Close()
	r, err := e.openChat()
	if err != nil {
		return 0
	}
	defer r.Close()
	layout, err := wachat.Scan(io.LimitReader(r, 64<<10), wachat.Options{})
	if err != nil || layout.Headers == 0 {
		return 0
	}
	return 90
}

func (txtImporter) Import(ctx context.Context, src importer.Source, im *archive.Import, opts importer.Options) error {
	p := src.String()
	e, err := openExport(src)
	if err != nil {
		var se *importer.SourceError
		if errors.As(err, &se) {
			return err
		}
		return importer.Bad(p, "%v", err)
	}
	defer e.Close()
	where := e.where()

	wopts := wachat.Options{}
	if v := opts.Value("date-order"); v != "" {
		if wopts.DateOrder, err = wachat.ParseDateOrder(v); err != nil {
			return err
		}
	}
	if v := opts.Value("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2009 || y > 2100 {
			return importer.Bad(p, "--year %q is not a year", v)
		}
		wopts.DefaultYear = y
	}
	// Pass 1: the whole file decides the date order and shape.
	layout, err := scanChat(e, wopts)
	if err != nil {
		return importer.Bad(where, "%v", err)
	}
	noteLayout(im, layout, wopts, opts)

	title := opts.Title
	if title == "" {
		title = titleFromFileName(e.chatName)
	}
	if title == "" {
		title = titleFromFileName(e.path)
	}
	if title == "" {
		title = "WhatsApp chat"
	}
	conv := archive.Conversation{Service: Service, Key: ExportKey(title), Title: title, Kind: archive.ConvDirect}
	if opts.Title == "" {
		same, ok, err := sameChat(im, conv, e, layout, wopts)
		if err != nil {
			return importer.Bad(where, "%v", err)
		}
		if ok {
			conv.Key, conv.Title = same.Key, same.Title
		}
	}
	convID, err := im.Conversation(conv)
	if err != nil {
		return err
	}
	knownMe, err := im.KnownMe(Service)
	if err != nil {
		return err
	}
	c := &converter{im: im, opts: opts, e: e, where: where, convID: convID, keys: keyCounter{},
		people: map[string]int64{}, knownMe: knownMe, meKey: ""}
	if opts.Me != "" {
		c.meKey, _ = participantKey(opts.Me)
	}

	// Pass 2: parse and store.
	r, err := e.openChat()
	if err != nil {
		return importer.Bad(where, "%v", err)
	}
	defer r.Close()
	digest := sha256.New()
	counted := &countingReader{r: io.TeeReader(r, digest), total: e.chatSize, progress: opts.Progress}
	wopts.OnUnparsed = func(line int, text string) {
		im.Warn(where, line, "not a message and not part of one: %q", clip(text, 80))
	}
	ahead := &lookahead{c: c}
	err = wachat.Parse(counted, layout, wopts, func(rec *wachat.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return ahead.push(rec)
	})
	if err == nil {
		err = ahead.drain()
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return importer.Bad(where, "%v", err)
	}
	im.SetSourceDigest(hexSum(digest))
	return c.finish(conv)
}

func scanChat(e *export, opts wachat.Options) (wachat.Layout, error) {
	r, err := e.openChat()
	if err != nil {
		return wachat.Layout{}, err
	}
	defer r.Close()
	// A file on disk is scanned as two halves at once (ScanFile); a zip entry streams.
	if f, ok := r.(interface {
		io.ReaderAt
		Stat() (fs.FileInfo, error)
	}); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			return wachat.ScanFile(f, st.Size(), opts)
		}
	}
	return wachat.Scan(r, opts)
}

func noteLayout(im *archive.Import, layout wachat.Layout, wopts wachat.Options, opts importer.Options) {
	zone := importer.ZoneName(opts.TZ)
	im.SetOption("tz", zone)
	im.Note(fmt.Sprintf("times are local wall-clock times, read as %s (--tz)", zone))
	im.SetOption("date_order", layout.DateOrder.String())
	switch {
	case wopts.DateOrder != 0:
		im.Note(fmt.Sprintf("date order %s as --date-order says", layout.DateOrder))
	case layout.Ambiguous:
		var cands []string
		for _, c := range layout.Candidates {
			cands = append(cands, c.String())
		}
		im.Note(fmt.Sprintf("date order is ambiguous (every date fits %s): read as %s; pass --date-order to choose", strings.Join(cands, " and "), layout.DateOrder))
	}
	switch layout.LookAlike {
	case wachat.LookAlikeSignal:
		im.Note("the headers ([date, time] without seconds, year first) are not WhatsApp's, whose iPhone export always writes seconds: this looks like Signal's history exported as text (signal-export); it was read as a WhatsApp export and is filed under WhatsApp")
	case wachat.LookAlikeCopied:
		im.Note("the headers ([date, time] without seconds) are not WhatsApp's export's, which always writes seconds: this looks like messages copied out of the app, or another program's text; it was read as a WhatsApp export")
	}
	if layout.OtherShapes > 0 {
		lines := fmt.Sprintf("%d lines have", layout.OtherShapes)
		if layout.OtherShapes == 1 {
			lines = "1 line has"
		}
		im.Note(fmt.Sprintf("%s a message header of another shape than the file's %q (two exports joined in one file?): kept as text of the message before it, and named in a warning", lines, layout.Family))
	}
	if opts.Me != "" {
		im.SetOption("me", opts.Me)
	}
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b < 0x80 || b >= 0xC0 }

// countingReader reports how much of the chat text has been read.
type countingReader struct {
	r        io.Reader
	n, total int64
	progress func(done, total int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil {
		c.progress(c.n, c.total)
	}
	return n, err
}
