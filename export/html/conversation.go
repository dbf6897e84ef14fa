package html

import (
	"bufio"
	"fmt"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// convWriter writes one conversation: its pages, its search data and its month index. It holds
// one page of messages, one piece of search data and a bounded window of recent messages (for
// replies), never the whole conversation.
type convWriter struct {
	e           *exporter
	conv        archive.Conversation
	title       string
	dir         string
	count       int
	first, last time.Time // the chat's (the selected part's) first and last message
	pages       int
	group       bool
	page        int // the page being filled, from 1
	seq         int
	msgs        []msgView
	lastDay     string
	prevSender  int64
	// The page being filled: its first message's number and the first and last message's times.
	pageSeq             int
	pageFirst, pageLast time.Time

	months []monthEntry
	search []searchEntry
	pieces int
	recent *recentMessages
	media  *mediaCopier
}

type monthEntry struct {
	key    string // 2006-01
	Label  string
	Page   int
	Anchor string
	Count  int
}

// newConvWriter starts a conversation's pages. Senders are named as in a group when it is one,
// and when no message is known to be the user's (or a two-person chat would be one column of
// unnamed bubbles).
func newConvWriter(e *exporter, c archive.ConversationSummary, span archive.Span) *convWriter {
	count := span.Messages
	pages := (count + e.opts.PageSize - 1) / e.opts.PageSize
	return &convWriter{e: e, conv: c.Conversation, title: export.CleanName(c.Title), dir: fmt.Sprintf("c/%d", c.ID), count: count, first: span.First, last: span.Last,
		pages: pages, group: c.Kind == archive.ConvGroup || c.Kind == archive.ConvChannel || !c.MeKnown, page: 1,
		msgs: make([]msgView, 0, e.opts.PageSize), recent: newRecent(20000), media: e.mediaCopier()}
}

func (w *convWriter) write() error {
	e := w.e
	pending := int64(0)
	err := e.a.EachMessage(e.ctx, e.opts.Selection.Query(w.conv.ID), func(m *archive.Message) error {
		if err := w.add(m); err != nil {
			return err
		}
		if pending++; pending == 500 {
			e.progress(pending)
			pending = 0
		}
		return nil
	})
	if err != nil {
		return err
	}
	e.progress(pending)
	if len(w.msgs) > 0 {
		if err := w.flushPage(); err != nil {
			return err
		}
	}
	if len(w.search) > 0 {
		if err := w.flushSearch(); err != nil {
			return err
		}
	}
	return w.writeMonths()
}

func (w *convWriter) add(m *archive.Message) error {
	if len(w.msgs) == w.e.opts.PageSize {
		if err := w.flushPage(); err != nil {
			return err
		}
	}
	w.seq++
	if len(w.msgs) == 0 {
		w.pageSeq, w.pageFirst = w.seq, m.Time
	}
	w.pageLast = m.Time
	v, err := w.view(m)
	if err != nil {
		return err
	}
	w.msgs = append(w.msgs, v)
	w.search = append(w.search, searchEntry{w.seq, w.page, w.senderName(m), m.Time.UnixMilli(), searchText(m)})
	if len(w.search) == searchPiece {
		if err := w.flushSearch(); err != nil {
			return err
		}
	}
	return nil
}

func (w *convWriter) senderName(m *archive.Message) string {
	if m.SenderID == 0 {
		return ""
	}
	return w.e.name(m.SenderID)
}

// view turns a message into what the template shows.
func (w *convWriter) view(m *archive.Message) (msgView, error) {
	e := w.e
	t := m.Time.In(e.opts.Location)
	v := msgView{Seq: w.seq, Out: m.FromMe, Time: t.Format("15:04"), Edited: m.Flags&archive.FlagEdited != 0}
	day := t.Format("2006-01-02")
	if day != w.lastDay || len(w.msgs) == 0 {
		v.Day, v.DayID = t.Format("Monday, 2 January 2006"), "d"+day
		w.lastDay = day
		w.prevSender = -1
	}
	month := day[:7]
	if n := len(w.months); n == 0 || w.months[n-1].key != month {
		w.months = append(w.months, monthEntry{key: month, Label: t.Format("January"), Page: w.page, Anchor: "d" + day})
	}
	w.months[len(w.months)-1].Count++

	p := w.e.people[m.SenderID]
	v.Sender, v.Color = p.name, p.color
	if m.Kind == archive.KindSystem || m.SenderID == 0 && !m.FromMe {
		v.System = true
		v.setText(systemText(m))
		w.prevSender = -1
		w.remember(m, v)
		return v, nil
	}
	v.ShowSender = w.group && !m.FromMe && m.SenderID != w.prevSender
	w.prevSender = m.SenderID
	if d := export.ShownDetails(m.Details); d != nil && (d.Link != nil || d.Transfer != nil || d.Forwarded != nil) {
		x := v.extra()
		x.Link, x.Transfer, x.History = linkOf(d.Link), transferOf(d.Transfer, m.FromMe), forwardedOf(d.Forwarded, 1, e.opts.Location)
	}
	if m.Text != "" && !export.CardTitle(m) {
		if m.Details != nil && len(m.Details.Entities) > 0 {
			v.setSegments(export.LinkifyEntities(m.Text, m.Details.Entities))
		} else {
			v.setText(m.Text)
		}
	}
	if m.Flags&archive.FlagForwarded != 0 {
		v.extra().Forwarded = true
	}
	if m.Kind == archive.KindDeleted {
		v.extra().Deleted = true
	}
	if c := describeCall(m); c != "" {
		v.extra().Call = c
	}
	if l := locationOf(m); l != nil {
		v.extra().Location = l
	}
	if q := w.quote(m); q != nil {
		v.extra().Quote = q
	}
	if d := m.Details; d != nil && (d.Poll != nil || d.Contact != nil) {
		v.extra().Poll, v.extra().Contact = d.Poll, d.Contact
	}
	for _, a := range m.Attachments {
		mv, err := w.media.view(a)
		if err != nil {
			return v, err
		}
		v.extra().Media = append(v.extra().Media, mv)
	}
	if len(m.Reactions) > 0 {
		v.extra().Reactions = reactionsOf(m.Reactions, e.name)
	}
	w.remember(m, v)
	return v, nil
}

// systemText is what a system message says: its text, or its event in words.
func systemText(m *archive.Message) string {
	if m.Text != "" {
		return m.Text
	}
	if m.Details != nil && m.Details.Event != nil {
		return m.Details.Event.Type
	}
	return string(m.Kind)
}

func (w *convWriter) remember(m *archive.Message, v msgView) {
	if m.UID == "" {
		return
	}
	text := m.Text
	if text == "" && len(m.Attachments) > 0 {
		text = icon(m.Attachments[0].Kind) + " " + export.CleanName(m.Attachments[0].FileName)
	}
	w.recent.put(m.UID, recentMessage{page: w.page, seq: w.seq, sender: v.Sender, color: v.Color, text: export.QuoteText(text)})
}

// quote shows what a reply answers: the message it names (linked when it is one of the recent
// ones, whose page is known) or the quote the source kept.
func (w *convWriter) quote(m *archive.Message) *quoteView {
	if m.ReplyTo != "" {
		if r, ok := w.recent.get(m.ReplyTo); ok {
			href := fmt.Sprintf("p%d.html#m%d", r.page, r.seq)
			return &quoteView{Href: href, Sender: r.sender, Color: r.color, Text: r.text}
		}
		if orig, err := w.e.a.MessageByUID(w.e.ctx, w.conv.ID, m.ReplyTo); err == nil {
			p := w.e.people[orig.SenderID]
			return &quoteView{Sender: p.name, Color: p.color, Text: export.QuoteText(orig.Text)}
		}
	}
	if m.Details != nil && m.Details.Quote != nil {
		q := m.Details.Quote
		return &quoteView{Sender: export.CleanName(q.Author), Color: export.SenderColor(q.Author), Text: export.QuoteText(q.Text)}
	}
	return nil
}

type pageData struct {
	headData
	ConvID     int64
	ConvTitle  string
	Range      string // the chat's count and dates
	PageRange  string // this page's, when there is more than one
	Page       int
	Pages      int
	Prev, Next int
	Messages   []msgView
}

func (w *convWriter) flushPage() error {
	data := pageData{headData: headData{Title: fmt.Sprintf("%s · page %d of %d", w.title, w.page, w.pages), Root: "../../", Scripts: []string{"page.js"}},
		ConvID: w.conv.ID, ConvTitle: w.title, Range: w.rangeText(), PageRange: w.pageRangeText(), Page: w.page, Pages: w.pages, Prev: w.page - 1, Next: w.page + 1,
		Messages: w.msgs}
	rel := fmt.Sprintf("%s/p%d.html", w.dir, w.page)
	w.msgs = make([]msgView, 0, w.e.opts.PageSize) // the queued page keeps its own
	w.page++
	return w.e.pool.do(func() error {
		return w.e.writeFile(rel, func(b *bufio.Writer) error { return templates.ExecuteTemplate(b, "page", data) })
	})
}

// rangeText says how many messages the chat has and from when to when.
func (w *convWriter) rangeText() string {
	return fmt.Sprintf("%s %s, %s", groupDigits(int64(w.count)), plural(w.count, "message", "messages"), w.dates(w.first, w.last))
}

// pageRangeText says which of them this page holds: numbers and dates ("" for a one-page chat).
func (w *convWriter) pageRangeText() string {
	if w.pages < 2 {
		return ""
	}
	first, last := w.pageSeq, w.pageSeq+len(w.msgs)-1
	return fmt.Sprintf("This page: messages %s–%s, %s", groupDigits(int64(first)), groupDigits(int64(last)), w.dates(w.pageFirst, w.pageLast))
}

func (w *convWriter) dates(from, to time.Time) string {
	loc := w.e.opts.Location
	a, b := from.In(loc).Format("2 Jan 2006"), to.In(loc).Format("2 Jan 2006")
	if a == b {
		return a
	}
	return a + " – " + b
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// flushSearch writes a piece of search data: a script that hands its entries to the search page.
func (w *convWriter) flushSearch() error {
	w.pieces++
	entries, piece, conv := w.search, w.pieces, w.conv.ID
	w.search = make([]searchEntry, 0, searchPiece)
	return w.e.pool.do(func() error {
		return w.e.writeFile(fmt.Sprintf("c/%d/s%d.js", conv, piece), func(bw *bufio.Writer) error {
			_, err := bw.Write(appendSearchScript(nil, conv, piece, entries))
			return err
		})
	})
}

type yearEntry struct {
	Year   string
	Months []monthEntry
}

func (w *convWriter) writeMonths() error {
	var years []yearEntry
	for _, m := range w.months {
		y := m.key[:4]
		if n := len(years); n == 0 || years[n-1].Year != y {
			years = append(years, yearEntry{Year: y})
		}
		years[len(years)-1].Months = append(years[len(years)-1].Months, m)
	}
	data := struct {
		headData
		ConvID    int64
		ConvTitle string
		Range     string
		Pages     int
		Years     []yearEntry
	}{headData{Title: w.title, Root: "../../"}, w.conv.ID, w.title, w.rangeText(), w.pages, years}
	return w.e.writeFile(w.dir+"/index.html", func(b *bufio.Writer) error { return templates.ExecuteTemplate(b, "months", data) })
}

func (w *convWriter) entry() convEntry {
	return convEntry{ID: w.conv.ID, Title: w.title, Dir: w.dir, Pieces: w.pieces, Count: groupDigits(int64(w.count)) + " " + plural(w.count, "message", "messages"),
		Range: w.rangeText(), Pages: w.pages}
}
