package html

import (
	"net/url"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// What WeChat's app messages carry, as the page shows them: a card for a shared page, a
// transfer or red packet, and a merged forwarded history that opens (html <details>), with the
// histories inside it. Every string is untrusted and escaped by the template.

type linkView struct {
	Title, Description, Source string
	Href                       string // http or https only, "" otherwise
}

type transferView struct {
	Red    bool
	Amount string
	Label  string
	Memo   string
}

type forwardedView struct {
	Title   string
	Count   int
	Items   []forwardedItemView
	TooDeep bool // nested deeper than export.MaxForwardDepth: shown by its title only
}

type forwardedItemView struct {
	Sender    string
	Time      string
	Text      []export.Segment
	Kind      string // what it was, when it has no text ("📷 photo")
	Link      *linkView
	Location  *locationView
	Transfer  *transferView
	Forwarded *forwardedView
}

func linkOf(l *archive.Link) *linkView {
	if l == nil {
		return nil
	}
	v := &linkView{Title: l.Title, Description: l.Description, Source: export.CleanName(l.Source), Href: export.WebURL(l.URL)}
	if v.Source == "" && v.Href != "" {
		if u, err := url.Parse(v.Href); err == nil {
			v.Source = u.Host
		}
	}
	if v.Title == "" {
		v.Title = "Link"
		if v.Href != "" {
			v.Title = v.Href
		}
	}
	return v
}

func transferOf(t *archive.Transfer, fromMe bool) *transferView {
	if t == nil {
		return nil
	}
	return &transferView{Red: t.Type == "red_packet", Amount: t.Amount, Label: export.TransferLabel(t, fromMe), Memo: t.Memo}
}

// forwardedOf shows a history already cut by export.ShownDetails; depth counts from 1.
func forwardedOf(h *archive.ForwardedHistory, depth int, loc *time.Location) *forwardedView {
	if h == nil {
		return nil
	}
	v := &forwardedView{Title: h.Title, Count: len(h.Items)}
	if v.Title == "" {
		v.Title = "Chat history"
	}
	if depth > export.MaxForwardDepth {
		v.TooDeep = true
		return v
	}
	for _, it := range h.Items {
		iv := forwardedItemView{Sender: export.CleanName(it.Sender)}
		if it.Time != 0 {
			iv.Time = time.UnixMilli(it.Time).In(loc).Format("2006-01-02 15:04")
		}
		if it.Text != "" {
			iv.Text = export.Linkify(it.Text)
		}
		if d := it.Details; d != nil {
			iv.Link, iv.Transfer = linkOf(d.Link), transferOf(d.Transfer, false)
			iv.Location = locationOf(&archive.Message{Details: d})
			iv.Forwarded = forwardedOf(d.Forwarded, depth+1, loc)
		}
		if iv.Text == nil && iv.Link == nil && iv.Location == nil && iv.Transfer == nil && iv.Forwarded == nil {
			iv.Kind = icon(it.Kind) + " " + string(it.Kind)
		}
		v.Items = append(v.Items, iv)
	}
	return v
}
