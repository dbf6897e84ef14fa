package html

import (
	"fmt"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// msgView is one message as the page template shows it. Every string in it is untrusted and
// left to html/template to escape; names are cleaned of bidi controls first.
//
// The common message (text from someone) touches only the first group of fields; everything
// rarer hangs off Extra, so the template looks at few fields per message: html/template finds
// fields by reflection, and at a million messages each lookup counts.
type msgView struct {
	Seq        int
	Day, DayID string
	System     bool
	Out        bool
	ShowSender bool
	Sender     string
	Color      int
	Time       string
	Plain      string           // the text, when it has no links (most messages)
	Links      []export.Segment // the text in pieces, when it has links
	Edited     bool
	Extra      *msgExtra
}

// msgExtra is what only some messages have.
type msgExtra struct {
	Forwarded bool
	Deleted   bool
	Quote     *quoteView
	Media     []mediaView
	Location  *locationView
	Poll      *archive.Poll
	Contact   *archive.ContactCard
	Call      string
	Reactions []reactionView
	Link      *linkView
	Transfer  *transferView
	History   *forwardedView // a merged forwarded history
}

// setText stores the text as plain text or, when it has links, as pieces.
func (v *msgView) setText(s string) { v.setSegments(export.Linkify(s)) }

// setSegments stores text already split into plain text and links.
func (v *msgView) setSegments(segs []export.Segment) {
	if len(segs) == 1 && segs[0].URL == "" {
		v.Plain = segs[0].Text
	} else if len(segs) > 0 {
		v.Links = segs
	}
}

func (v *msgView) extra() *msgExtra {
	if v.Extra == nil {
		v.Extra = &msgExtra{}
	}
	return v.Extra
}

type quoteView struct {
	Href   string
	Sender string
	Color  int
	Text   string
}

type mediaView struct {
	Shown   string // image, video, audio, or "" for a link
	Href    string
	Name    string
	Size    string
	Icon    string
	Missing string
}

type locationView struct {
	Label string
	Href  string
}

type reactionView struct {
	Emoji string
	Count int
	Who   string
}

var kindIcons = map[archive.Kind]string{
	archive.KindPhoto: "📷", archive.KindVideo: "🎬", archive.KindAudio: "🎵", archive.KindVoice: "🎤",
	archive.KindDocument: "📄", archive.KindMedia: "📎", archive.KindSticker: "🏷️", archive.KindGIF: "🎞️", archive.KindContact: "👤",
}

func icon(k archive.Kind) string {
	if s, ok := kindIcons[k]; ok {
		return s
	}
	return "📎"
}

// describeCall words a call record.
func describeCall(m *archive.Message) string {
	if m.Kind != archive.KindCall {
		return ""
	}
	c := &archive.Call{}
	if m.Details != nil && m.Details.Call != nil {
		c = m.Details.Call
	}
	what := "Voice call"
	if c.Video {
		what = "Video call"
	}
	if c.Missed {
		what = "Missed " + strings.ToLower(what)
	}
	if c.DurationMS > 0 {
		what += " · " + (time.Duration(c.DurationMS) * time.Millisecond).Round(time.Second).String()
	}
	return what
}

// humanSize writes a byte count briefly.
func humanSize(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.0f KB", float64(n)/1024)
	case n < 1024*1024*1024:
		return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
	}
	return fmt.Sprintf("%.1f GB", float64(n)/(1024*1024*1024))
}

// locationOf shows a shared place: its name, else its coordinates, else its link, else only
// that a place was shared; linked to its own URL when that is safe, else to its coordinates on
// a map. Coordinates the source did not give are not shown.
func locationOf(m *archive.Message) *locationView {
	if m.Details == nil || m.Details.Location == nil {
		return nil
	}
	l := m.Details.Location
	lat, lon, known := l.LatLon()
	href := export.SafeURL(l.URL)
	if href == "" && known {
		href = fmt.Sprintf("https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=16/%.6f/%.6f", lat, lon, lat, lon)
	}
	label := export.CleanName(l.Name)
	switch {
	case label != "":
	case known:
		label = fmt.Sprintf("%.5f, %.5f", lat, lon)
	case href != "":
		label = export.CleanName(href)
	default:
		label = "Location"
	}
	if l.Live {
		label = "Live location: " + label
	}
	return &locationView{Label: label, Href: href}
}

// reactionsOf groups reactions by emoji, with who reacted for the tooltip.
func reactionsOf(rs []archive.Reaction, name func(int64) string) []reactionView {
	if len(rs) == 0 {
		return nil
	}
	var out []reactionView
	idx := map[string]int{}
	for _, r := range rs {
		e := export.CleanName(r.Emoji)
		i, ok := idx[e]
		if !ok {
			i = len(out)
			idx[e] = i
			out = append(out, reactionView{Emoji: e})
		}
		out[i].Count += max(r.Count, 1)
		if out[i].Who != "" {
			out[i].Who += ", "
		}
		if r.SenderID == 0 && r.Count > 1 {
			out[i].Who += fmt.Sprintf("%d people", r.Count) // a source that gives only a count
		} else {
			out[i].Who += name(r.SenderID)
		}
	}
	return out
}

// searchText is what the search page matches for a message: its words and the names of what it
// carries.
func searchText(m *archive.Message) string {
	if len(m.Attachments) == 0 && m.Details == nil {
		return m.Text
	}
	parts := []string{m.Text}
	for _, a := range m.Attachments {
		if a.FileName != "" {
			parts = append(parts, export.CleanName(a.FileName))
		}
	}
	if d := m.Details; d != nil {
		if d.Location != nil && d.Location.Name != "" {
			parts = append(parts, d.Location.Name)
		}
		if d.Poll != nil {
			parts = append(parts, d.Poll.Question)
		}
		if d.Contact != nil {
			parts = append(parts, d.Contact.Name)
		}
		if d.Link != nil && d.Link.Title != m.Text {
			parts = append(parts, d.Link.Title)
		}
		if d.Transfer != nil && d.Transfer.Memo != "" {
			parts = append(parts, d.Transfer.Memo)
		}
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}
