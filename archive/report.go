package archive

import "strings"

// Report says what one import did. Nothing the importer could not understand is dropped silently:
// it is a Warning with its place in the source.
type Report struct {
	ImportID         int64     `json:"import_id"`
	Source           string    `json:"source"`
	Importer         string    `json:"importer"`
	Conversations    []string  `json:"conversations"`
	MessagesAdded    int       `json:"messages_added"`
	MessagesPresent  int       `json:"messages_present"`
	MessagesMerged   int       `json:"messages_merged,omitempty"`  // present under another source's keys, matched by content
	MessagesUpdated  int       `json:"messages_updated,omitempty"` // stored messages given a reaction, edit, deletion, vote or a richer record
	AttachmentsAdded int       `json:"attachments_added"`
	MediaAdded       int       `json:"media_added"`
	MediaBytesAdded  int64     `json:"media_bytes_added"`
	MediaMissing     int       `json:"media_missing"`
	Notes            []string  `json:"notes,omitempty"` // assumptions the importer made (time zone, date order, who "me" is)
	Warnings         []Warning `json:"warnings"`
	WarningsTotal    int       `json:"warnings_total"`

	// MeUnknown lists the conversations in which no message could be told to be the user's.
	MeUnknown []MeUnknown `json:"me_unknown,omitempty"`
}

// Warning is one record the importer could not (fully) understand.
type Warning struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Pos     string `json:"pos,omitempty"` // where, when not a line: "row 4411", "message 123", "offset 52011"`
	Message string `json:"message"`
}

// maxKeptWarnings bounds memory on hostile input; the total is still counted.
const maxKeptWarnings = 1000

func (r *Report) warn(w Warning) {
	r.WarningsTotal++
	if len(r.Warnings) < maxKeptWarnings {
		r.Warnings = append(r.Warnings, w)
	}
}

// detach copies every string of the report, so that a report kept after its import (a folder
// import keeps one per chat) holds none of an importer's buffers alive: importers hand the
// archive strings that point into their parse buffers.
func (r *Report) detach() {
	clone := func(ss []string) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = strings.Clone(s)
		}
		return out
	}
	r.Source, r.Importer = strings.Clone(r.Source), strings.Clone(r.Importer)
	r.Conversations, r.Notes = clone(r.Conversations), clone(r.Notes)
	ws := make([]Warning, len(r.Warnings))
	for i, w := range r.Warnings {
		ws[i] = Warning{File: strings.Clone(w.File), Line: w.Line, Pos: strings.Clone(w.Pos), Message: strings.Clone(w.Message)}
	}
	r.Warnings = ws
	mu := make([]MeUnknown, len(r.MeUnknown))
	for i, m := range r.MeUnknown {
		mu[i] = MeUnknown{Conversation: strings.Clone(m.Conversation), Names: clone(m.Names), Guess: m.Guess}
		if m.Guess != nil {
			mu[i].Guess = &MeGuess{Name: strings.Clone(m.Guess.Name), Why: strings.Clone(m.Guess.Why)}
		}
	}
	r.MeUnknown = mu
}
