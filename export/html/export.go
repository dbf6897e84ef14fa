package html

import (
	"bufio"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// Format and Version are recorded in the export's marker file.
const (
	Format  = "html"
	Version = 1
)

// DefaultPageSize is how many messages a page holds: small enough that a page opens at once on
// a phone, large enough that a year of a busy chat is a handful of pages.
const DefaultPageSize = 1000

// searchPiece is how many messages one search data file holds (about 0.5 MB of text).
const searchPiece = 5000

// Options say what to export and how.
type Options struct {
	export.Selection
	Location     *time.Location // times are shown in this zone; nil: the system's
	WithoutMedia bool           // like WhatsApp's "Without media": no files copied, placeholders shown
	PageSize     int            // messages per page; 0: DefaultPageSize
	// Progress, when set, is told how many messages have been written of how many.
	Progress func(done, total int64)
}

// Report says what an export wrote.
type Report struct {
	Dir           string `json:"dir"`
	Conversations int    `json:"conversations"`
	Messages      int64  `json:"messages"`
	Pages         int    `json:"pages"`
	MediaFiles    int    `json:"media_files"`
	MediaBytes    int64  `json:"media_bytes"`
	MediaMissing  int    `json:"media_missing"`
	// VoiceNotConverted counts voice notes that did not convert to WAV (damaged, too long):
	// offered as their original file instead.
	VoiceNotConverted int `json:"voice_not_converted,omitempty"`
}

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

var templates = template.Must(template.New("").ParseFS(templateFiles, "templates/*.html"))

// Export writes the selected conversations as a folder of web pages at out. out must not exist,
// be empty, or hold a previous HTML export (which is replaced, reusing its media files); the
// new export appears whole when it is done, and nothing changes when it fails.
func Export(ctx context.Context, a *archive.Archive, out string, opts Options) (*Report, error) {
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	dir, err := export.BeginDir(out, Format, Version)
	if err != nil {
		return nil, err
	}
	dir.SetArchive(a.ID())
	e := &exporter{ctx: ctx, a: a, opts: opts, root: dir.Path(), previous: dir.Previous(),
		rep: &Report{Dir: dir.Final()}}
	if err := e.run(); err != nil {
		dir.Abort()
		return nil, err
	}
	if err := dir.Commit(); err != nil {
		return nil, err
	}
	return e.rep, nil
}

type exporter struct {
	ctx      context.Context
	a        *archive.Archive
	opts     Options
	root     string
	previous string
	rep      *Report
	pool     *pool
	people   map[int64]person
	done     int64
	total    int64
}

// person is a participant as pages show them.
type person struct {
	name  string
	color int
}

// convEntry is a conversation on the index and search pages.
type convEntry struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	Dir    string `json:"dir"`
	Pieces int    `json:"pieces"`
	Count  string `json:"-"`
	Range  string `json:"-"`
	Pages  int    `json:"-"`
}

func (e *exporter) run() error {
	ctx := e.ctx
	ps, err := e.a.ParticipantMap(ctx)
	if err != nil {
		return err
	}
	e.people = make(map[int64]person, len(ps))
	for id, p := range ps {
		name := export.CleanName(p.Name)
		if name == "" {
			name = export.CleanName(p.Key)
		}
		e.people[id] = person{name: name, color: export.SenderColor(p.Service + "/" + p.Key)}
	}
	convs, err := e.opts.Selection.Conversations(ctx, e.a.View)
	if err != nil {
		return err
	}
	spans := make([]archive.Span, len(convs))
	for i, c := range convs {
		if spans[i], err = e.opts.Selection.Span(ctx, e.a, c.ID); err != nil {
			return err
		}
		e.total += int64(spans[i].Messages)
	}
	if err := e.writeAssets(); err != nil {
		return err
	}
	entries, err := e.writeConversations(convs, spans)
	if err != nil {
		return err
	}
	if err := e.writeIndex(entries); err != nil {
		return err
	}
	return e.writeSearch(entries)
}

func (e *exporter) writeConversations(convs []archive.ConversationSummary, spans []archive.Span) ([]convEntry, error) {
	e.pool = newPool()
	var entries []convEntry
	for i, c := range convs {
		if spans[i].Messages == 0 {
			continue
		}
		w := newConvWriter(e, c, spans[i])
		if err := w.write(); err != nil {
			e.pool.wait()
			return nil, fmt.Errorf("conversation %q: %w", c.Title, err)
		}
		entries = append(entries, w.entry())
		e.rep.Conversations++
		e.rep.Pages += w.pages
	}
	return entries, e.pool.wait()
}

func (e *exporter) progress(n int64) {
	e.done += n
	e.rep.Messages += n
	if e.opts.Progress != nil {
		e.opts.Progress(e.done, e.total)
	}
}

func (e *exporter) name(id int64) string {
	if p, ok := e.people[id]; ok {
		return p.name
	}
	return "unknown"
}

func (e *exporter) writeAssets() error {
	return fs.WalkDir(assetFiles, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assetFiles.ReadFile(p)
		if err != nil {
			return err
		}
		return e.writeFile(p, func(w *bufio.Writer) error { _, err := w.Write(b); return err })
	})
}

// writeFile creates a file under the export root (rel is slash-separated and ours, never from a chat).
func (e *exporter) writeFile(rel string, fill func(w *bufio.Writer) error) error {
	p := filepath.Join(e.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 256<<10)
	if err := fill(w); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", rel, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return f.Close()
}

type headData struct {
	Title   string
	Root    string
	Scripts []string
}

func (e *exporter) writeIndex(entries []convEntry) error {
	data := struct {
		headData
		Summary       string
		Conversations []convEntry
	}{headData: headData{Title: "Chats", Root: ""}, Conversations: entries,
		Summary: fmt.Sprintf("%d chats, %s messages, exported %s", len(entries), groupDigits(e.rep.Messages), time.Now().In(e.opts.Location).Format("2 January 2006"))}
	return e.writeFile("index.html", func(w *bufio.Writer) error { return templates.ExecuteTemplate(w, "index", data) })
}

func (e *exporter) writeSearch(entries []convEntry) error {
	data := struct{ headData }{headData{Title: "Search", Root: "", Scripts: []string{"search.js"}}}
	if err := e.writeFile("search.html", func(w *bufio.Writer) error { return templates.ExecuteTemplate(w, "search", data) }); err != nil {
		return err
	}
	if entries == nil {
		entries = []convEntry{}
	}
	b, err := json.Marshal(entries) // escapes <, > and & so the data cannot close a script
	if err != nil {
		return err
	}
	return e.writeFile("assets/search-data.js", func(w *bufio.Writer) error {
		_, err := fmt.Fprintf(w, "cvConversations(%s);\n", b)
		return err
	})
}

// groupDigits writes 1234567 as 1,234,567.
func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
