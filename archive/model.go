package archive

import (
	"encoding/json"
	"time"
)

// Kind says what a message is. Every importer maps its source's types onto these.
type Kind string

// Message kinds. A message with attachments has the kind of its main attachment
// (photo, video, ...); its caption is the Text.
const (
	KindText         Kind = "text"
	KindPhoto        Kind = "photo"
	KindVideo        Kind = "video"
	KindAudio        Kind = "audio"
	KindVoice        Kind = "voice" // a voice note
	KindDocument     Kind = "document"
	KindMedia        Kind = "media" // media whose kind the source does not say (Android's "<Media omitted>")
	KindSticker      Kind = "sticker"
	KindGIF          Kind = "gif"
	KindLocation     Kind = "location"
	KindLiveLocation Kind = "live_location"
	KindContact      Kind = "contact" // a shared contact card
	KindPoll         Kind = "poll"
	KindSystem       Kind = "system" // group created, member added, security notice, ...
	KindDeleted      Kind = "deleted"
	KindCall         Kind = "call"
)

// Kinds lists every message kind, for validation and documentation.
var Kinds = []Kind{KindText, KindPhoto, KindVideo, KindAudio, KindVoice, KindDocument, KindMedia, KindSticker,
	KindGIF, KindLocation, KindLiveLocation, KindContact, KindPoll, KindSystem, KindDeleted, KindCall}

// Flags are properties a message of any kind can have.
type Flags uint32

// Message flags.
const (
	FlagEdited    Flags = 1 << iota // the text shown is an edited version
	FlagForwarded                   // forwarded from another chat
	FlagViewOnce                    // sent as view-once media
	FlagStarred                     // starred / bookmarked by the user
	// FlagDeleted: deleted for everyone after it was archived. The text and files are what the
	// archive held before; Details.DeletedAt says when.
	FlagDeleted
)

// ConversationKind says whether a conversation is between two people, a group, a broadcast channel
// or the user's notes to self.
type ConversationKind string

// Conversation kinds.
const (
	ConvDirect  ConversationKind = "direct"
	ConvGroup   ConversationKind = "group"
	ConvChannel ConversationKind = "channel"
	ConvSelf    ConversationKind = "self"
)

// Conversation is a chat as an importer sees it. (Service, Key) identifies it.
type Conversation struct {
	ID      int64            `json:"-"`
	Service string           `json:"service"`
	Key     string           `json:"key"`
	Title   string           `json:"title"`
	Kind    ConversationKind `json:"kind"`
	// Idents are other names of the same chat in other sources ("export:alice" for a chat a text
	// export names Alice, a group's subject): an import naming any of them lands in the
	// conversation that has it.
	Idents []string `json:"-"`
}

// Participant is a person (or bot, or phone number) seen in a service. (Service, Key) identifies it.
type Participant struct {
	ID      int64  `json:"-"`
	Service string `json:"service"`
	Key     string `json:"key"`
	Name    string `json:"name"`
	Phone   string `json:"phone,omitempty"`
	IsMe    bool   `json:"is_me,omitempty"`
	// Idents are the participant's other identifiers (phone:+4915..., jid:..., lid:..., wxid:...,
	// tg:user123): a participant seen by any of them is this participant.
	Idents []string `json:"-"`
}

// Message is one message, with everything an importer knows about it.
type Message struct {
	ID             int64     `json:"-"`
	ConversationID int64     `json:"-"`
	UID            string    `json:"uid"`
	Time           time.Time `json:"-"`
	// OffsetKnown says whether Offset (seconds east of UTC) is known; OffsetAssumed that it came
	// from a --tz assumption rather than from the source.
	OffsetKnown   bool         `json:"-"`
	Offset        int          `json:"-"`
	OffsetAssumed bool         `json:"-"`
	SenderID      int64        `json:"-"` // 0: no sender (system messages)
	FromMe        bool         `json:"-"`
	Kind          Kind         `json:"-"`
	Text          string       `json:"-"`
	Flags         Flags        `json:"-"`
	ReplyTo       string       `json:"-"` // UID of the message this one answers, when known
	Details       *Details     `json:"-"`
	SrcPos        string       `json:"-"`
	Raw           string       `json:"-"`
	Attachments   []Attachment `json:"-"`
	Reactions     []Reaction   `json:"-"`
	ImportID      int64        `json:"-"`
	// Keys are the message's other keys besides UID: a content key when UID is a native id, the
	// native id of another source. Any of them finds the message again.
	Keys []string `json:"-"`
	// Revisions are earlier texts of an edited message, oldest first.
	Revisions []Revision `json:"-"`
	// Votes are the poll votes cast on a poll message.
	Votes []Vote `json:"-"`
	// Sources are the other imports that held this message (read back, never written directly).
	Sources []MessageSource `json:"-"`
}

// Revision is an earlier text of an edited message, current from Time until the next revision
// (or the message's current text).
type Revision struct {
	Time time.Time
	Text string
}

// Vote is one participant's choice of one poll option (an index into Details.Poll.Options).
type Vote struct {
	VoterID int64
	Option  int
	Time    time.Time
}

// MessageSource is another import that held a message: where in it, and its raw record.
type MessageSource struct {
	ImportID int64
	SrcPos   string
	Raw      string
}

// Attachment is a file a message carries. SHA256 is empty when the file is missing
// (the export left media out); the attachment is still recorded.
type Attachment struct {
	Kind     Kind     `json:"kind"`
	FileName string   `json:"file_name,omitempty"`
	MIME     string   `json:"mime,omitempty"`
	Size     int64    `json:"size,omitempty"`
	SHA256   string   `json:"sha256,omitempty"`
	Details  *Details `json:"details,omitempty"`
}

// Reaction is an emoji reaction to a message. A source that does not say who reacted gives
// SenderID 0 and a Count.
type Reaction struct {
	SenderID int64     `json:"-"`
	Emoji    string    `json:"emoji"`
	Time     time.Time `json:"-"`
	Count    int       `json:"-"` // 0 means 1
	// Sole says the source allows a person one reaction per message (WhatsApp, iMessage
	// tapbacks) and this is the sender's as of Time: it replaces the sender's other reactions on
	// the message unless a stored one is newer. With Emoji "" the sender took theirs back.
	// Without it (Telegram: several per person) reactions only add up. Never set when read back;
	// the dump's reading (EachMonthMessage) gives a reaction taken back as one with Emoji "" at
	// the time it was taken back, and a new message stores such a one as that removal.
	Sole bool `json:"-"`
}

// Details holds the kind-specific parts of a message or attachment. Only the fields
// that apply are set; it is stored as JSON.
type Details struct {
	Location      *Location    `json:"location,omitempty"`
	Contact       *ContactCard `json:"contact,omitempty"`
	Poll          *Poll        `json:"poll,omitempty"`
	Call          *Call        `json:"call,omitempty"`
	Event         *Event       `json:"event,omitempty"`
	Quote         *Quote       `json:"quote,omitempty"`
	ForwardedFrom string       `json:"forwarded_from,omitempty"`
	EditedAt      int64        `json:"edited_at,omitempty"`  // Unix ms
	DeletedAt     int64        `json:"deleted_at,omitempty"` // Unix ms, with FlagDeleted
	DurationMS    int64        `json:"duration_ms,omitempty"`
	Pages         int          `json:"pages,omitempty"`
	Width         int          `json:"width,omitempty"`
	Height        int          `json:"height,omitempty"`
	Missing       string       `json:"missing,omitempty"` // why an attachment's file is absent: "omitted", "not found"
	// Via is the transport a message went by when one service has several (Messages: "iMessage",
	// "SMS", "MMS", "RCS").
	Via string `json:"via,omitempty"`
	// Link is a shared web page, article, mini program, Channels post or file card (WeChat app
	// messages).
	Link *Link `json:"link,omitempty"`
	// Transfer is a money transfer or red packet (WeChat Pay).
	Transfer *Transfer `json:"transfer,omitempty"`
	// Forwarded is a merged forwarded chat history, kept as the nested conversation it is.
	Forwarded *ForwardedHistory `json:"forwarded,omitempty"`
	// Entities mark runs of Text (links, mentions, bold, code, spoilers, custom emoji) so a
	// viewer can show them; Text stays the plain text.
	Entities []Entity `json:"entities,omitempty"`
}

// Link is a card pointing somewhere else: a web page or article, a mini program, a Channels post.
type Link struct {
	Type        string `json:"type,omitempty"` // "link", "article", "mini_program", "channels", "music", "file", ...
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
	Source      string `json:"source,omitempty"` // the app, account or site it came from
}

// Transfer is money sent in a chat: a transfer or a red packet.
type Transfer struct {
	Type     string `json:"type"`             // "transfer" or "red_packet"
	Amount   string `json:"amount,omitempty"` // as the source writes it, currency included ("￥88.00")
	Memo     string `json:"memo,omitempty"`
	State    string `json:"state,omitempty"` // "sent", "accepted", "returned", "pending", ...
	Payer    string `json:"payer,omitempty"` // the source's user ids
	Receiver string `json:"receiver,omitempty"`
	ID       string `json:"id,omitempty"` // the transfer's own id, linking its sent and accepted messages
}

// ForwardedHistory is a chat history forwarded as one message ("merged messages"): its title and
// the messages it holds, each possibly a history again.
type ForwardedHistory struct {
	Title string          `json:"title,omitempty"`
	Items []ForwardedItem `json:"items,omitempty"`
}

// ForwardedItem is one message inside a ForwardedHistory, as the history describes it (its
// files are rarely in the source; Missing says so).
type ForwardedItem struct {
	Sender  string   `json:"sender,omitempty"` // the name the history shows
	Time    int64    `json:"time,omitempty"`   // Unix ms, 0 when unknown
	Kind    Kind     `json:"kind"`
	Text    string   `json:"text,omitempty"`
	Details *Details `json:"details,omitempty"` // location, link, nested history, ...
}

// Entity is a formatted or linked run of a message's Text. Offset and Length count Unicode code
// points (runes) of Text, so they survive any re-encoding of the text.
type Entity struct {
	// Type as the source names it; Telegram's: mention, hashtag, bot_command, link, email,
	// bold, italic, code, pre, text_link, mention_name, phone, cashtag, underline,
	// strikethrough, blockquote, bank_card, spoiler, custom_emoji.
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	Href   string `json:"href,omitempty"`    // text_link: the link target
	UserID string `json:"user_id,omitempty"` // mention_name: the user's id
	// Extra is the rest the source gives: a pre block's language, a custom emoji's document id.
	Extra string `json:"extra,omitempty"`
}

// Location is a shared place. Lat and Lon are both set or both nil: nil when the source does not
// give coordinates (a text export's link to a named place, a live location's notice). Set them
// with Coords.
type Location struct {
	Lat  *float64 `json:"lat,omitempty"`
	Lon  *float64 `json:"lon,omitempty"`
	Name string   `json:"name,omitempty"`
	URL  string   `json:"url,omitempty"`
	Live bool     `json:"live,omitempty"`
}

// ContactCard is a shared contact.
type ContactCard struct {
	Name   string   `json:"name,omitempty"`
	Phones []string `json:"phones,omitempty"`
	VCard  string   `json:"vcard,omitempty"`
}

// Poll is a poll and its results where known.
type Poll struct {
	Question string       `json:"question"`
	Options  []PollOption `json:"options,omitempty"`
	Multiple bool         `json:"multiple,omitempty"`
}

// PollOption is one answer of a poll.
type PollOption struct {
	Text  string `json:"text"`
	Votes int    `json:"votes,omitempty"`
}

// Call is a voice or video call record.
type Call struct {
	Video      bool  `json:"video,omitempty"`
	Missed     bool  `json:"missed,omitempty"`
	DurationMS int64 `json:"duration_ms,omitempty"`
}

// Event describes a system message: a stable type ("group_created", "member_added",
// "e2e_notice", ...) and who it names, as written in the source.
type Event struct {
	Type    string   `json:"type"`
	Actor   string   `json:"actor,omitempty"`
	Targets []string `json:"targets,omitempty"`
}

// Quote is the quoted text of a reply whose original message is not in the archive.
type Quote struct {
	Author string `json:"author,omitempty"`
	Text   string `json:"text,omitempty"`
}

// IsEmpty reports whether d says nothing (nil, or every field empty).
func (d *Details) IsEmpty() bool { return d.empty() }

func (d *Details) empty() bool {
	if d == nil {
		return true
	}
	// Every field is omitempty: nothing to say marshals to "{}".
	b, err := json.Marshal(d)
	return err == nil && string(b) == "{}"
}
