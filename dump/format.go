package dump

import (
	"github.com/chatvault/chatvault/archive"
)

// Format names the dump; Version is the newest layout this code writes and reads. A dump with a
// higher version is refused: an older chatvault cannot know what it would lose.
const (
	Format  = "chatvault-dump"
	Version = 2
)

// Manifest is manifest.json.
type Manifest struct {
	Format        string              `json:"format"`
	Version       int                 `json:"version"`
	ArchiveID     string              `json:"archive_id"`
	Selection     *Selection          `json:"selection,omitempty"`
	Counts        Counts              `json:"counts"`
	Imports       FileDigest          `json:"imports"`
	Contacts      []FileDigest        `json:"contacts"`
	Conversations []ConversationEntry `json:"conversations"`
}

// Selection records what a partial backup left out.
type Selection struct {
	Conversations []string `json:"conversations,omitempty"` // service/key of the included ones
	NoVideos      bool     `json:"no_videos,omitempty"`
	MaxMediaSize  int64    `json:"max_media_size,omitempty"`
}

// Counts are the totals of what the dump holds.
type Counts struct {
	Conversations int   `json:"conversations"`
	Messages      int   `json:"messages"`
	Participants  int   `json:"participants"`
	Attachments   int   `json:"attachments"`
	MediaFiles    int   `json:"media_files"`
	MediaBytes    int64 `json:"media_bytes"`
}

// FileDigest identifies a file of the dump by its content.
type FileDigest struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Lines  int    `json:"lines,omitempty"`
}

// ConversationEntry is a conversation as the manifest lists it.
type ConversationEntry struct {
	Service  string     `json:"service"`
	Key      string     `json:"key"`
	Title    string     `json:"title"`
	Messages int        `json:"messages"`
	Meta     FileDigest `json:"meta"`
}

// ConversationMeta is a conversation's meta.json.
type ConversationMeta struct {
	Service string                   `json:"service"`
	Key     string                   `json:"key"`
	Title   string                   `json:"title"`
	Kind    archive.ConversationKind `json:"kind"`
	Members []string                 `json:"members"` // participant keys, sorted
	Months  []MonthEntry             `json:"months"`
}

// MonthEntry is one month file of a conversation.
type MonthEntry struct {
	Month    string `json:"month"` // YYYY-MM (UTC)
	Path     string `json:"path"`  // relative to the conversation folder
	Messages int    `json:"messages"`
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
}

// ContactLine is one line of contacts/<service>.jsonl.
type ContactLine struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Phone string `json:"phone,omitempty"`
	IsMe  bool   `json:"is_me,omitempty"`
}

// MessageLine is one line of a month file.
type MessageLine struct {
	UID           string               `json:"uid"`
	TS            int64                `json:"ts"`               // Unix ms, UTC
	Offset        *int                 `json:"offset,omitempty"` // seconds east of UTC at the source, when known
	OffsetAssumed bool                 `json:"offset_assumed,omitempty"`
	Sender        string               `json:"sender,omitempty"` // participant key in contacts/<service>.jsonl
	FromMe        bool                 `json:"from_me,omitempty"`
	Kind          archive.Kind         `json:"kind"`
	Text          string               `json:"text,omitempty"`
	Flags         []string             `json:"flags,omitempty"`
	ReplyTo       string               `json:"reply_to,omitempty"`
	Details       *archive.Details     `json:"details,omitempty"`
	Attachments   []archive.Attachment `json:"attachments,omitempty"`
	Reactions     []ReactionLine       `json:"reactions,omitempty"`
	Import        string               `json:"import"` // key of the import in imports.jsonl
	// Version 2: identity and updates.
	Keys      []string       `json:"keys,omitempty"`      // other keys the message is known by
	Revisions []RevisionLine `json:"revisions,omitempty"` // earlier texts of an edited message, oldest first
	Votes     []VoteLine     `json:"votes,omitempty"`     // poll votes
	Sources   []SourceLine   `json:"sources,omitempty"`   // other imports that held the message
	Src       string         `json:"src,omitempty"`
	Raw       string         `json:"raw,omitempty"`
}

// ReactionLine is a reaction inside a MessageLine.
type ReactionLine struct {
	Sender string `json:"sender"` // "" when the source gives only a count
	Emoji  string `json:"emoji"`
	TS     int64  `json:"ts,omitempty"`
	Count  int    `json:"count,omitempty"` // for a reaction without a sender: how many reacted
}

// RevisionLine is an earlier text of an edited message, current from TS.
type RevisionLine struct {
	TS   int64  `json:"ts,omitempty"`
	Text string `json:"text"`
}

// VoteLine is a participant's choice of one poll option.
type VoteLine struct {
	Voter  string `json:"voter"`
	Option int    `json:"option"`
	TS     int64  `json:"ts,omitempty"`
}

// SourceLine is another import that held a message: where in it, and its raw record.
type SourceLine struct {
	Import string `json:"import"`
	Src    string `json:"src,omitempty"`
	Raw    string `json:"raw,omitempty"`
}

func flagsToNames(f archive.Flags) []string { return f.Names() }
