package export

import "github.com/chatvault/chatvault/archive"

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
