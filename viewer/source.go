package viewer

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// Source is what the viewer shows: the live archive, or a backup snapshot read without restoring
// it. Implementations must be safe for concurrent use (the browser asks several things at once).
type Source interface {
	// Describe says what is being shown, for the page header ("archive ~/…", "snapshot 3f2a…").
	Describe() string
	// Conversations lists every conversation, most recently active first.
	Conversations(ctx context.Context) ([]Conversation, error)
	// Messages returns one page of a conversation, oldest first.
	Messages(ctx context.Context, q MessageQuery) (*Page, error)
	// Search finds messages containing every term of q.Text, newest first.
	Search(ctx context.Context, q SearchQuery) ([]Hit, error)
	// OpenMedia opens a media file by its SHA-256.
	OpenMedia(ctx context.Context, sha string) (*Media, error)
	Close() error
}

// Conversation is one entry of the conversation list.
type Conversation struct {
	ID       string `json:"id"`
	Service  string `json:"service"`
	Title    string `json:"title"`
	Kind     string `json:"kind"`
	Messages int    `json:"messages"`
	First    int64  `json:"first,omitempty"` // Unix ms
	Last     int64  `json:"last,omitempty"`
	// FirstMonthOnly and LastMonthOnly say that only the month of First or Last is known: a
	// snapshot lists its months, and a message's time is known once its month is read.
	FirstMonthOnly bool `json:"first_month_only,omitempty"`
	LastMonthOnly  bool `json:"last_month_only,omitempty"`
}

// MessageQuery selects a page. At most one of Before, After, Around and At is set; none means the
// latest messages (a chat opens at the bottom).
type MessageQuery struct {
	Conversation string
	Before       string    // the messages just before this cursor
	After        string    // the messages just after this cursor
	Around       string    // a page with this cursor's message in the middle (a search hit)
	At           time.Time // the page starting at the first message at or after this instant
	Limit        int
}

// Page is a run of consecutive messages and whether there are more on either side.
type Page struct {
	Messages   []Message `json:"messages"`
	MoreBefore bool      `json:"more_before"`
	MoreAfter  bool      `json:"more_after"`
	// MeUnknown: no message of the conversation is the user's, so every sender is named.
	MeUnknown bool `json:"me_unknown,omitempty"`
}

// Message is a message as the front end renders it. Text and names are untrusted; the front end
// only ever sets them as text.
type Message struct {
	Cursor      string           `json:"cursor"` // opaque place in the conversation, for paging
	UID         string           `json:"uid"`
	TS          int64            `json:"ts"`               // Unix ms
	Offset      *int             `json:"offset,omitempty"` // seconds east of UTC the source recorded
	Sender      *Sender          `json:"sender,omitempty"`
	FromMe      bool             `json:"from_me,omitempty"`
	Kind        archive.Kind     `json:"kind"`
	Text        string           `json:"text"`
	Edited      bool             `json:"edited,omitempty"`
	Forwarded   bool             `json:"forwarded,omitempty"`
	Reply       *Reply           `json:"reply,omitempty"`
	Details     *archive.Details `json:"details,omitempty"`
	Attachments []Attachment     `json:"attachments,omitempty"`
	Reactions   []Reaction       `json:"reactions,omitempty"`
}

// Sender is who wrote a message; Color indexes the sender palette (stable per person).
type Sender struct {
	Name  string `json:"name"`
	Color int    `json:"color"`
}

// Reply is the message a reply answers, when it is known.
type Reply struct {
	UID    string  `json:"uid"`
	Cursor string  `json:"cursor,omitempty"`
	Sender *Sender `json:"sender,omitempty"`
	Text   string  `json:"text"`
}

// Attachment is a file a message carries. Shown says how the front end shows it: "image",
// "video", "audio", or "" (a download link).
type Attachment struct {
	Kind    archive.Kind `json:"kind"`
	Name    string       `json:"name,omitempty"`
	Type    string       `json:"type,omitempty"`
	Size    int64        `json:"size,omitempty"`
	SHA256  string       `json:"sha256,omitempty"`
	Shown   string       `json:"shown,omitempty"`
	Missing string       `json:"missing,omitempty"`
}

// Reaction is one emoji with everyone who reacted with it.
type Reaction struct {
	Emoji string   `json:"emoji"`
	Who   []string `json:"who"`
	// Count is how many reacted: more than Who names when the source gives only a count for
	// some (Telegram names only the recent reactors).
	Count int `json:"count"`
}

// SearchQuery is a full-text search.
type SearchQuery struct {
	Text         string
	Conversation string // "" = everywhere
	Limit        int
}

// Hit is a message that matched. Ranges are the highlighted parts of Message.Text, in UTF-16 code
// units (JavaScript string indexes).
type Hit struct {
	Conversation      string   `json:"conversation"`
	ConversationTitle string   `json:"conversation_title"`
	Message           Message  `json:"message"`
	Ranges            [][2]int `json:"ranges"`
}

// Media is an opened media file.
type Media struct {
	io.ReadSeekCloser
	Size    int64
	Type    string // the stored media type, "" when unknown
	ModTime time.Time
}

// ErrNotFound means the conversation, cursor or media file does not exist.
var ErrNotFound = errors.New("not found")

// ErrBadQuery means the request cannot be answered as asked (a malformed cursor, say).
var ErrBadQuery = errors.New("bad query")
