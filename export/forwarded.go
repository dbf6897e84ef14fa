package export

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// Limits on a merged forwarded history as exports and the viewer show it: histories nest (a
// history forwarded inside another), and a hostile one could nest without end.
const (
	MaxForwardDepth = 5    // histories shown inside one another; deeper ones by their title only
	MaxForwardItems = 2000 // messages shown of one message's histories, all levels together
)

// ShownDetails returns a message's details as exports and the viewer show them: card links only
// to web pages (see WebURL), forwarded histories cut to the limits above (a history deeper than
// MaxForwardDepth keeps its title and loses its items). d itself is not changed.
func ShownDetails(d *archive.Details) *archive.Details {
	budget := MaxForwardItems
	return shownDetails(d, 0, &budget)
}

func shownDetails(d *archive.Details, depth int, budget *int) *archive.Details {
	if d == nil || d.Link == nil && d.Forwarded == nil {
		return d
	}
	c := *d
	if d.Link != nil {
		l := *d.Link
		l.URL = WebURL(l.URL)
		c.Link = &l
	}
	if h := d.Forwarded; h != nil {
		out := &archive.ForwardedHistory{Title: h.Title}
		if depth < MaxForwardDepth {
			for _, it := range h.Items {
				if *budget == 0 {
					break
				}
				*budget--
				it.Details = shownDetails(it.Details, depth+1, budget)
				out.Items = append(out.Items, it)
			}
		}
		c.Forwarded = out
	}
	return &c
}

// CardTitle says whether a message's text is only the title its card or forwarded history
// already shows (WeChat's app messages keep their title as the text, for search), so a format
// need not show it twice.
func CardTitle(m *archive.Message) bool {
	d := m.Details
	return d != nil && m.Text != "" && (d.Link != nil && d.Link.Title == m.Text || d.Forwarded != nil && d.Forwarded.Title == m.Text)
}

// ForwardedText writes a forwarded history as indented lines of text: its title and count,
// then each message as "sender (time): text", histories inside indented further, cut as
// ShownDetails cuts them. Names and texts are as the source wrote them (a terminal still needs
// them sanitized).
func ForwardedText(h *archive.ForwardedHistory, loc *time.Location) string {
	d := ShownDetails(&archive.Details{Forwarded: h})
	var b strings.Builder
	writeForwarded(&b, d.Forwarded, "", 1, loc)
	return strings.TrimSuffix(b.String(), "\n")
}

func writeForwarded(b *strings.Builder, h *archive.ForwardedHistory, indent string, depth int, loc *time.Location) {
	title := h.Title
	if title == "" {
		title = "chat history"
	}
	n := "messages"
	if len(h.Items) == 1 {
		n = "message"
	}
	fmt.Fprintf(b, "%s[chat history: %s, %d %s]\n", indent, title, len(h.Items), n)
	if depth > MaxForwardDepth {
		fmt.Fprintf(b, "%s  (nested too deep to show)\n", indent)
		return
	}
	for _, it := range h.Items {
		who := it.Sender
		if it.Time != 0 {
			who += " (" + time.UnixMilli(it.Time).In(loc).Format("2006-01-02 15:04") + ")"
		}
		text := it.Text
		if text == "" {
			text = "[" + string(it.Kind) + "]"
		}
		if d := it.Details; d != nil && d.Link != nil {
			text += " " + LinkText(d.Link)
		}
		fmt.Fprintf(b, "%s  %s: %s\n", indent, who, strings.ReplaceAll(text, "\n", "\n"+indent+"    "))
		if d := it.Details; d != nil && d.Forwarded != nil {
			writeForwarded(b, d.Forwarded, indent+"    ", depth+1, loc)
		}
	}
}

// LinkText writes a card in one line: "[link TITLE — SOURCE URL]", the URL only when it is a
// web address.
func LinkText(l *archive.Link) string {
	s := "[" + cmp.Or(l.Type, "link")
	if l.Title != "" {
		s += " " + l.Title
	}
	if l.Source != "" {
		s += " — " + l.Source
	}
	if u := WebURL(l.URL); u != "" {
		s += " " + u
	}
	return s + "]"
}

// TransferText writes a transfer or red packet in one line for the archive's owner.
func TransferText(t *archive.Transfer, fromMe bool) string {
	s := "[" + strings.ToLower(TransferLabel(t, fromMe))
	if t.Amount != "" {
		s += " " + t.Amount
	}
	if t.Memo != "" {
		s += ": " + t.Memo
	}
	return s + "]"
}
