package viewer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/dump"
	"github.com/chatvault/chatvault/export"
)

// DumpSource serves a dump (what a backup stores) file by file, without restoring it: a
// conversation's month files are its natural pages, a few recently read months are kept decoded,
// and search reads months newest first until it has enough hits. Media files are copied to a
// temporary folder when first asked for, so audio and video can be served with ranges.
type DumpSource struct {
	src      dump.Source
	name     string
	manifest *dump.Manifest
	convs    []dumpConv
	byID     map[string]int     // viewer conversation id -> index in convs
	people   map[string]*Sender // service + "\x00" + key
	months   *monthCache
	mediaDir string

	mu      sync.Mutex
	types   map[string]string // sha256 -> media type, learnt from the messages served
	list    []Conversation    // dates refined as first and last months are read
	meKnown map[string]bool   // conversation id -> some message is the user's (see me.go)
}

type dumpConv struct {
	id     string // ConversationID
	title  string // cleaned for showing
	entry  dump.ConversationEntry
	meta   dump.ConversationMeta
	dir    string // folder of meta.json
	starts []int  // index of each month's first message in the conversation
	total  int
}

// NewDumpSource reads the dump's manifest, contacts and conversation metadata. name describes
// the dump for the page header.
func NewDumpSource(ctx context.Context, src dump.Source, name string) (*DumpSource, error) {
	m, err := dump.ReadManifest(ctx, src)
	if err != nil {
		return nil, err
	}
	s := &DumpSource{src: src, name: name, manifest: m, people: map[string]*Sender{}, byID: map[string]int{}, months: newMonthCache(200_000), types: map[string]string{}}
	for _, fd := range m.Contacts {
		if err := s.readContacts(ctx, fd); err != nil {
			return nil, err
		}
	}
	for _, e := range m.Conversations {
		c := dumpConv{entry: e, dir: path.Dir(e.Meta.Path), id: ConversationID(e.Service, e.Key)}
		meta, err := dump.ReadConversationMeta(ctx, src, e.Meta.Path)
		if err != nil {
			return nil, fmt.Errorf("conversation %q: %w", e.Title, err)
		}
		c.meta = *meta
		c.title = export.CleanName(c.meta.Title)
		for _, mo := range c.meta.Months {
			c.starts = append(c.starts, c.total)
			c.total += mo.Messages
		}
		s.byID[c.id] = len(s.convs)
		s.convs = append(s.convs, c)
	}
	s.buildList()
	return s, nil
}

func (s *DumpSource) readContacts(ctx context.Context, fd dump.FileDigest) error {
	service := strings.TrimSuffix(strings.TrimPrefix(fd.Path, "contacts/"), ".jsonl")
	r, err := s.src.Open(ctx, fd.Path)
	if err != nil {
		return fmt.Errorf("contacts: %w", err)
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var c dump.ContactLine
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return fmt.Errorf("%s: %w", fd.Path, err)
		}
		s.people[service+"\x00"+c.Key] = senderOf(archive.Participant{Service: service, Key: c.Key, Name: c.Name, Phone: c.Phone})
	}
	return sc.Err()
}

func (s *DumpSource) buildList() {
	for _, c := range s.convs {
		v := Conversation{ID: c.id, Service: c.meta.Service, Title: c.title, Kind: string(c.meta.Kind), Messages: c.total}
		if n := len(c.meta.Months); n > 0 {
			// Until a month is read only the months are known: the list says so rather than
			// show a month's bound as a date.
			start, _, _ := archive.MonthRange(c.meta.Months[0].Month)
			_, end, _ := archive.MonthRange(c.meta.Months[n-1].Month)
			v.First, v.Last, v.FirstMonthOnly, v.LastMonthOnly = start, end-1, true, true
		}
		s.list = append(s.list, v)
	}
	sort.SliceStable(s.list, func(i, j int) bool { return s.list[i].Last > s.list[j].Last })
}

// Describe names the dump.
func (s *DumpSource) Describe() string { return s.name }

// Close removes the media copies.
func (s *DumpSource) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mediaDir != "" {
		os.RemoveAll(s.mediaDir)
		s.mediaDir = ""
	}
	return nil
}

// Conversations lists the dump's conversations, most recently active first (by month: the
// order does not move as exact dates become known).
func (s *DumpSource) Conversations(context.Context) ([]Conversation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Conversation(nil), s.list...), nil
}

func (s *DumpSource) conv(id string) (*dumpConv, error) {
	i, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w: conversation %q", ErrNotFound, id)
	}
	return &s.convs[i], nil
}

// learnDates records the exact first or last time of a conversation once its first or last
// month has been read (a month file is in time order).
func (s *DumpSource) learnDates(c *dumpConv, mi int, lines []dump.MessageLine) {
	if len(lines) == 0 || mi != 0 && mi != len(c.meta.Months)-1 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.list {
		v := &s.list[i]
		if v.ID != c.id {
			continue
		}
		if mi == 0 {
			v.First, v.FirstMonthOnly = lines[0].TS, false
		}
		if mi == len(c.meta.Months)-1 {
			v.Last, v.LastMonthOnly = lines[len(lines)-1].TS, false
		}
		return
	}
}

// A dump cursor is "<month index>:<line index>".
func dumpCursor(month, line int) string { return strconv.Itoa(month) + ":" + strconv.Itoa(line) }

func parseDumpCursor(c *dumpConv, s string) (int, int, error) {
	a, b, ok := strings.Cut(s, ":")
	mi, err1 := strconv.Atoi(a)
	li, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || mi < 0 || mi >= len(c.meta.Months) || li < 0 || li >= c.meta.Months[mi].Messages {
		return 0, 0, fmt.Errorf("%w: cursor %q", ErrBadQuery, s)
	}
	return mi, li, nil
}

// month returns a month's decoded lines, from the cache or the dump.
func (s *DumpSource) month(ctx context.Context, c *dumpConv, mi int) ([]dump.MessageLine, error) {
	p := c.dir + "/" + c.meta.Months[mi].Path
	if lines, ok := s.months.get(p); ok {
		return lines, nil
	}
	var lines []dump.MessageLine
	err := s.eachLine(ctx, p, func(l *dump.MessageLine) error {
		lines = append(lines, *l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.months.put(p, lines)
	s.learnDates(c, mi, lines)
	return lines, nil
}

func (s *DumpSource) eachLine(ctx context.Context, p string, fn func(*dump.MessageLine) error) error {
	r, err := s.src.Open(ctx, p)
	if err != nil {
		return err
	}
	defer r.Close()
	br := bufio.NewReaderSize(r, 256<<10)
	for n := 1; ; n++ {
		b, err := br.ReadBytes('\n')
		if len(b) > 0 {
			var l dump.MessageLine
			if err := json.Unmarshal(b, &l); err != nil {
				return fmt.Errorf("%s line %d: %w", p, n, err)
			}
			if err := fn(&l); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

type dumpPos struct{ mi, li int }

// Messages pages through the month files.
func (s *DumpSource) Messages(ctx context.Context, q MessageQuery) (*Page, error) {
	c, err := s.conv(q.Conversation)
	if err != nil {
		return nil, err
	}
	n := len(c.meta.Months)
	page := &Page{Messages: []Message{}}
	if n == 0 {
		return page, nil
	}
	if page.MeUnknown, err = s.meUnknown(ctx, q.Conversation, c); err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultPage
	}
	var from, to int // global indexes [from, to)
	global := func(mi, li int) int { return c.starts[mi] + li }
	switch {
	case q.Before != "":
		mi, li, err := parseDumpCursor(c, q.Before)
		if err != nil {
			return nil, err
		}
		to = global(mi, li)
		from = max(0, to-limit)
	case q.After != "":
		mi, li, err := parseDumpCursor(c, q.After)
		if err != nil {
			return nil, err
		}
		from = global(mi, li) + 1
		to = min(c.total, from+limit)
	case q.Around != "":
		mi, li, err := parseDumpCursor(c, q.Around)
		if err != nil {
			return nil, err
		}
		from = max(0, global(mi, li)-limit/2)
		to = min(c.total, from+limit)
	case !q.At.IsZero():
		at, err := s.firstAtOrAfter(ctx, c, q.At.UnixMilli())
		if err != nil {
			return nil, err
		}
		from = min(at, max(0, c.total-limit))
		to = min(c.total, from+limit)
	default:
		to = c.total
		from = max(0, to-limit)
	}
	page.MoreBefore, page.MoreAfter = from > 0, to < c.total
	return s.slice(ctx, c, from, to, page)
}

// firstAtOrAfter finds the global index of the first message at or after ts (c.total if none).
func (s *DumpSource) firstAtOrAfter(ctx context.Context, c *dumpConv, ts int64) (int, error) {
	for mi, mo := range c.meta.Months {
		_, end, err := archive.MonthRange(mo.Month)
		if err != nil || end <= ts {
			continue
		}
		lines, err := s.month(ctx, c, mi)
		if err != nil {
			return 0, err
		}
		for li, l := range lines {
			if l.TS >= ts {
				return c.starts[mi] + li, nil
			}
		}
	}
	return c.total, nil
}

// slice reads messages [from, to) of a conversation.
func (s *DumpSource) slice(ctx context.Context, c *dumpConv, from, to int, page *Page) (*Page, error) {
	mi := sort.Search(len(c.starts), func(i int) bool { return c.starts[i] > from }) - 1
	var lines []*dump.MessageLine
	var pos []dumpPos
	for g := from; g < to && mi < len(c.meta.Months); mi++ {
		ms, err := s.month(ctx, c, mi)
		if err != nil {
			return nil, err
		}
		for li := g - c.starts[mi]; li < len(ms) && g < to; li++ {
			lines = append(lines, &ms[li])
			pos = append(pos, dumpPos{mi, li})
			g++
		}
		if c.starts[mi]+len(ms) <= g && len(ms) < c.meta.Months[mi].Messages {
			g = c.starts[mi] + c.meta.Months[mi].Messages // a short (damaged) month: skip what is not there
		}
	}
	byUID := make(map[string]int, len(lines))
	for i, l := range lines {
		byUID[l.UID] = i
	}
	for i, l := range lines {
		v := s.viewLine(c, l, dumpCursor(pos[i].mi, pos[i].li))
		if l.ReplyTo != "" {
			if j, ok := byUID[l.ReplyTo]; ok {
				o := lines[j]
				v.Reply = &Reply{UID: o.UID, Cursor: dumpCursor(pos[j].mi, pos[j].li), Sender: s.sender(c, o.Sender), Text: export.QuoteText(o.Text)}
			} else {
				v.Reply = &Reply{UID: l.ReplyTo, Text: "an earlier message"}
			}
		}
		page.Messages = append(page.Messages, v)
	}
	return page, nil
}

func (s *DumpSource) sender(c *dumpConv, key string) *Sender {
	if key == "" {
		return nil
	}
	if p, ok := s.people[c.meta.Service+"\x00"+key]; ok {
		return p
	}
	return &Sender{Name: export.CleanName(key), Color: export.SenderColor(c.meta.Service + "/" + key)}
}

// viewLine converts a dump line, remembering the media types it names.
func (s *DumpSource) viewLine(c *dumpConv, l *dump.MessageLine, cursor string) Message {
	// Participants are named by key in the dump: give each key of this line a small id.
	keys := map[int64]string{}
	m, _ := l.Message(func(key string) (int64, error) {
		if key == "" {
			return 0, nil
		}
		n := int64(len(keys) + 1)
		keys[n] = key
		return n, nil
	}, func(string) int64 { return 0 })
	s.mu.Lock()
	for _, a := range l.Attachments {
		if a.SHA256 != "" && len(s.types) < 100_000 {
			s.types[a.SHA256] = a.MIME
		}
	}
	s.mu.Unlock()
	return viewMessage(m, cursor, func(n int64) *Sender { return s.sender(c, keys[n]) })
}

// Search scans months newest first (across the selected conversations) until it has Limit hits;
// a month is read whole, so the hits are exactly the newest ones.
func (s *DumpSource) Search(ctx context.Context, q SearchQuery) ([]Hit, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	terms := parseTerms(q.Text)
	out := []Hit{}
	if len(terms) == 0 {
		return out, nil
	}
	type monthRef struct {
		ci, mi int
		month  string
	}
	var refs []monthRef
	for ci := range s.convs {
		if q.Conversation != "" && q.Conversation != s.convs[ci].id {
			continue
		}
		for mi, mo := range s.convs[ci].meta.Months {
			refs = append(refs, monthRef{ci, mi, mo.Month})
		}
	}
	sort.SliceStable(refs, func(i, j int) bool { return refs[i].month > refs[j].month })
	for i := 0; i < len(refs); {
		month := refs[i].month
		var batch []Hit
		for ; i < len(refs) && refs[i].month == month; i++ {
			c := &s.convs[refs[i].ci]
			li := 0
			err := s.eachLine(ctx, c.dir+"/"+c.meta.Months[refs[i].mi].Path, func(l *dump.MessageLine) error {
				defer func() { li++ }()
				text := l.Text
				for _, a := range l.Attachments {
					text += " " + a.FileName
				}
				if _, ok := matchAll(text, terms); !ok {
					return ctx.Err()
				}
				batch = append(batch, Hit{Conversation: c.id, ConversationTitle: c.title,
					Message: s.viewLine(c, l, dumpCursor(refs[i].mi, li)), Ranges: highlight(l.Text, terms)})
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		sort.SliceStable(batch, func(a, b int) bool { return batch[a].Message.TS > batch[b].Message.TS })
		out = append(out, batch...)
		if len(out) >= q.Limit {
			return out[:q.Limit], nil
		}
	}
	return out, nil
}

// OpenMedia copies a media file out of the dump (once) and opens the copy.
func (s *DumpSource) OpenMedia(ctx context.Context, sha string) (*Media, error) {
	if !archive.ValidSHA256(sha) {
		return nil, fmt.Errorf("%w: media %q", ErrNotFound, sha)
	}
	s.mu.Lock()
	if s.mediaDir == "" {
		d, err := os.MkdirTemp("", "chatvault-view-media-")
		if err != nil {
			s.mu.Unlock()
			return nil, err
		}
		s.mediaDir = d
	}
	dir, typ := s.mediaDir, s.types[sha]
	s.mu.Unlock()
	p := dir + "/" + sha
	if _, err := os.Stat(p); err != nil {
		if err := s.copyMedia(ctx, sha, p); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if typ == "" {
		head := make([]byte, 512)
		n, _ := io.ReadFull(f, head)
		typ = http.DetectContentType(head[:n])
		f.Seek(0, io.SeekStart)
	}
	return &Media{ReadSeekCloser: f, Size: st.Size(), Type: typ, ModTime: st.ModTime()}, nil
}

func (s *DumpSource) copyMedia(ctx context.Context, sha, dst string) error {
	r, err := s.src.Open(ctx, "media/"+sha[:2]+"/"+sha)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: media %s is not in this backup", ErrNotFound, sha)
	}
	if err != nil {
		return err
	}
	defer r.Close()
	tmp, err := os.CreateTemp(path.Dir(dst), ".incoming-")
	if err != nil {
		return err
	}
	_, err = io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// monthCache keeps recently read months decoded, up to a total number of messages.
type monthCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order []string
	data  map[string][]dump.MessageLine
}

func newMonthCache(maxMessages int) *monthCache {
	return &monthCache{max: maxMessages, data: map[string][]dump.MessageLine{}}
}

func (c *monthCache) get(p string) ([]dump.MessageLine, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	lines, ok := c.data[p]
	if ok {
		for i, q := range c.order {
			if q == p {
				c.order = append(append(c.order[:i:i], c.order[i+1:]...), p)
				break
			}
		}
	}
	return lines, ok
}

func (c *monthCache) put(p string, lines []dump.MessageLine) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.data[p]; ok {
		return
	}
	c.data[p] = lines
	c.order = append(c.order, p)
	c.size += len(lines)
	for c.size > c.max && len(c.order) > 1 {
		old := c.order[0]
		c.order = c.order[1:]
		c.size -= len(c.data[old])
		delete(c.data, old)
	}
}
