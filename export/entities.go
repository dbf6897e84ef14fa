package export

import (
	"sort"

	"github.com/chatvault/chatvault/archive"
)

// LinkifyEntities splits text as Linkify does, and also makes the runs that a source marked as
// links with a hidden target (Telegram's text_link: "site" pointing at https://…) into links.
// Only http, https and mailto targets become links; entities out of range, overlapping an
// earlier one, or with another target stay plain text (a source's entities are untrusted).
func LinkifyEntities(text string, ents []archive.Entity) []Segment {
	type span struct {
		start, end int
		url        string
	} // byte offsets
	var spans []span
	var runeStarts []int // byte offset of each rune, computed once when needed
	for _, e := range ents {
		if e.Type != "text_link" || e.Length <= 0 || e.Offset < 0 {
			continue
		}
		u := SafeURL(e.Href)
		if u == "" {
			continue
		}
		if runeStarts == nil {
			runeStarts = make([]int, 0, len(text)+1)
			for i := range text {
				runeStarts = append(runeStarts, i)
			}
			runeStarts = append(runeStarts, len(text))
		}
		if e.Offset+e.Length >= len(runeStarts) || e.Offset+e.Length < e.Offset {
			continue
		}
		spans = append(spans, span{runeStarts[e.Offset], runeStarts[e.Offset+e.Length], u})
	}
	if len(spans) == 0 {
		return Linkify(text)
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out []Segment
	at := 0
	for _, s := range spans {
		if s.start < at {
			continue // overlaps the previous one
		}
		out = appendSegments(out, Linkify(text[at:s.start]))
		out = append(out, Segment{Text: text[s.start:s.end], URL: s.url})
		at = s.end
	}
	return appendSegments(out, Linkify(text[at:]))
}

func appendSegments(out, segs []Segment) []Segment {
	for _, s := range segs {
		if s.URL == "" {
			out = appendText(out, s.Text)
		} else {
			out = append(out, s)
		}
	}
	return out
}
