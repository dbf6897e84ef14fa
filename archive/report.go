package archive

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
