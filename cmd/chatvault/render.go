package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// printMessage writes one message for a terminal: time, sender, text, and what it carries.
func printMessage(w io.Writer, m *archive.Message, people map[int64]archive.Participant, loc *time.Location, indent string) {
	when := m.Time.In(loc).Format("2006-01-02 15:04")
	body := describeMessage(m, loc)
	sender := people[m.SenderID].Name
	if m.Kind == archive.KindSystem || sender == "" {
		fmt.Fprintf(w, "%s%s  * %s\n", indent, when, sanitizeTerminal(indentLines(body, indent+"                    ")))
	} else {
		fmt.Fprintf(w, "%s%s  %s: %s\n", indent, when, sanitizeTerminal(sender), sanitizeTerminal(indentLines(body, indent+"                    ")))
	}
	if len(m.Reactions) > 0 {
		var rs []string
		for _, r := range m.Reactions {
			rs = append(rs, r.Emoji+" "+people[r.SenderID].Name)
		}
		fmt.Fprintf(w, "%s                    reactions: %s\n", indent, sanitizeTerminal(strings.Join(rs, ", ")))
	}
}

func describeMessage(m *archive.Message, loc *time.Location) string {
	var parts []string
	for _, a := range m.Attachments {
		switch {
		case a.SHA256 == "" && a.FileName == "":
			parts = append(parts, fmt.Sprintf("[%s omitted]", a.Kind))
		case a.SHA256 == "":
			parts = append(parts, fmt.Sprintf("[%s %s, file missing]", a.Kind, a.FileName))
		default:
			parts = append(parts, fmt.Sprintf("[%s %s]", a.Kind, a.FileName))
		}
	}
	if d := m.Details; d != nil && d.Location != nil {
		parts = append(parts, locationText(d.Location))
	}
	parts = append(parts, describeDetails(m)...)
	switch m.Kind {
	case archive.KindDeleted:
		if m.Text == "" {
			parts = append(parts, "(message deleted)")
		}
	}
	text := m.Text
	if export.CardTitle(m) {
		text = "" // the card or history above says it
	}
	if m.Flags&archive.FlagEdited != 0 {
		text += " (edited)"
	}
	if text != "" {
		parts = append(parts, text)
	}
	s := strings.Join(parts, " ")
	if d := m.Details; d != nil && d.Forwarded != nil { // its messages on lines of their own
		s = strings.TrimSpace(s + "\n" + export.ForwardedText(d.Forwarded, loc))
	}
	return s
}

func indentLines(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

// describeDetails words what a message's details say when its text does not: a system event
// (Telegram's service messages carry no text), a call, a poll, a shared contact.
func describeDetails(m *archive.Message) []string {
	d := m.Details
	if d == nil {
		return nil
	}
	var parts []string
	if d.Call != nil {
		c := "[call"
		if d.Call.Missed {
			c = "[missed call"
		}
		if d.Call.DurationMS > 0 {
			c += fmt.Sprintf(" %ds", d.Call.DurationMS/1000)
		}
		parts = append(parts, c+"]")
	}
	if d.Event != nil && m.Text == "" && d.Call == nil {
		e := strings.TrimSpace(d.Event.Actor + " " + strings.ReplaceAll(d.Event.Type, "_", " "))
		if len(d.Event.Targets) > 0 {
			e += ": " + strings.Join(d.Event.Targets, ", ")
		}
		parts = append(parts, e)
	}
	if d.Poll != nil {
		var opts []string
		for _, o := range d.Poll.Options {
			opts = append(opts, fmt.Sprintf("%s (%d)", o.Text, o.Votes))
		}
		parts = append(parts, "[poll: "+strings.Join(opts, ", ")+"]")
	}
	if d.Contact != nil {
		parts = append(parts, strings.TrimSpace("[contact "+d.Contact.Name+" "+strings.Join(d.Contact.Phones, " "))+"]")
	}
	if d.Quote != nil {
		parts = append(parts, "[reply to "+d.Quote.Author+": "+export.QuoteText(d.Quote.Text)+"]")
	}
	if d.Link != nil {
		parts = append(parts, export.LinkText(d.Link))
	}
	if d.Transfer != nil {
		parts = append(parts, export.TransferText(d.Transfer, m.FromMe))
	}
	return parts
}

// locationText shows a shared place with what the source gave: coordinates, name, link.
func locationText(l *archive.Location) string {
	s := "[location"
	if l.Live {
		s = "[live location"
	}
	if lat, lon, ok := l.LatLon(); ok {
		s += fmt.Sprintf(" %.6f,%.6f", lat, lon)
	}
	if l.Name != "" {
		s += " " + l.Name
	}
	if l.URL != "" {
		s += " " + l.URL
	}
	return s + "]"
}
