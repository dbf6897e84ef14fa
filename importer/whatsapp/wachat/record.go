package wachat

import "fmt"

// Record is one message of the export. Parse reuses Record values: the
// *Record passed to the callback is valid only during the call, so copy
// the struct (or the fields) you keep. The strings are ordinary immutable
// Go strings and may be kept; Raw, Author and Text usually share the block
// of input (about 300 KiB) the message was read from, so a kept string
// keeps that block alive: strings.Clone what you keep of many messages if
// you do not keep the messages themselves.
type Record struct {
	// Line and EndLine are the 1-based first and last line of the message
	// in the file. Trailing blank lines belong to the message before them.
	Line, EndLine int

	// Time is the wall-clock time exactly as the header wrote it (no zone),
	// converted to the Gregorian calendar, at the header's Precision.
	Time      Wall
	Precision Precision

	// Author is the sender as written in the header, with invisible marks
	// removed and no-break spaces turned into plain spaces. It is "" for
	// system messages.
	Author string

	// HeaderName is set on system messages that iOS (and a few Android
	// versions) write with a name in the author position: the group's name
	// in a group, the other person in a one-to-one chat, or the actor of the
	// event ("Josh: ‎Josh created this group"). It is not a sender.
	HeaderName string

	// Text is the message body, lines joined with "\n", invisible
	// formatting marks removed, trailing blank lines dropped, and the
	// attachment, placeholder, deleted and edited markers removed when they
	// are recognised (what is left is the caption, if any).
	Text string

	// Raw is the original lines of the message exactly as in the file,
	// joined with "\n" (line breaks normalised; invalid UTF-8 replaced by
	// U+FFFD; nothing else changed).
	Raw string

	Kind       Kind
	Attachment *Attachment // when the message names a media file or a media placeholder
	Location   *Location   // when a location share is recognised

	// Event classifies system messages (KindSystem, KindCall): one of the
	// Event* constants, EventUnknown when the wording is not recognised.
	Event string

	// Edited is set when the message carries "<This message was edited>"
	// or a localised form (removed from Text).
	Edited bool

	// Problems lists non-fatal oddities of this record (a broken attachment
	// tag, invalid UTF-8, a continuation line that looked like a header of
	// another date order...). The caller reports them as warnings.
	Problems []string
}

// Wall is a local wall-clock time without a zone.
type Wall struct{ Year, Month, Day, Hour, Minute, Second int }

func (w Wall) String() string {
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", w.Year, w.Month, w.Day, w.Hour, w.Minute, w.Second)
}

// Before reports whether w is earlier than v.
func (w Wall) Before(v Wall) bool { return w.key() < v.key() }

func (w Wall) key() int64 {
	return ((((int64(w.Year)*13+int64(w.Month))*32+int64(w.Day))*24+int64(w.Hour))*60+int64(w.Minute))*60 + int64(w.Second)
}

// Precision is how much of the time the header carried.
type Precision uint8

const (
	Minute Precision = iota + 1 // the header had hours and minutes (Android)
	Second                      // the header had seconds too (iOS)
)

func (p Precision) String() string {
	switch p {
	case Minute:
		return "minute"
	case Second:
		return "second"
	}
	return "unknown"
}

// Kind is what a record is.
type Kind uint8

const (
	KindText         Kind = iota + 1 // ordinary text
	KindSystem                       // a notice written by WhatsApp: group changes, encryption notice, ...
	KindDeleted                      // "This message was deleted", "You deleted this message", localised
	KindAttachment                   // names a media file that the export includes (Record.Attachment)
	KindMediaOmitted                 // a placeholder for media the export left out (Record.Attachment.Omitted)
	KindLocation                     // a location share (Record.Location)
	KindLiveLocation                 // "live location shared" (Record.Location.Live)
	KindViewOnce                     // "null" body: Android writes it for view-once media
	KindEmpty                        // the author and nothing else (older view-once media, content the export cannot express)
	KindPoll                         // "POLL:" followed by the question and "OPTION: ..." lines
	KindCall                         // "Missed voice call" and similar; Event says which
)

var kindNames = [...]string{"", "text", "system", "deleted", "attachment", "media_omitted", "location", "live_location", "view_once", "empty", "poll", "call"}

func (k Kind) String() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Attachment is a media file named by a message, or a placeholder for one.
type Attachment struct {
	FileName string // "" when the placeholder names no file ("<Media omitted>", "image omitted")
	Omitted  bool   // the export says the media was left out
	Kind     string // "photo", "video", "audio", "voice", "document", "sticker", "gif", "contact", "" unknown
	Pages    int    // a document line's page count ("• 2 pages"), 0 when not given
}

// Location is a shared location. Lat/Lon are set when the URL carries them
// (maps.google.com/?q=lat,lon); a named place (Foursquare) has Name and URL.
type Location struct {
	Lat, Lon  float64
	HasLatLon bool
	URL       string
	Name      string
	Live      bool
}

// Event values for system messages. They are stable strings: the archive
// stores them.
const (
	EventE2ENotice          = "e2e_notice"            // "Messages and calls are end-to-end encrypted..."
	EventBusinessNotice     = "business_notice"       // "This business uses a secure service from Meta..."
	EventGroupCreated       = "group_created"         // "Alice created group "X"", "You created this group"
	EventMemberAdded        = "member_added"          // "Alice added Bob", "Bob was added", "Alice added you"
	EventJoinedViaLink      = "joined_via_link"       // "Bob joined using this group's invite link"
	EventMemberJoined       = "member_joined"         // "Bob joined" (2013)
	EventMemberLeft         = "member_left"           // "Bob left"
	EventMemberRemoved      = "member_removed"        // "Alice removed Bob"
	EventSubjectChanged     = "subject_changed"       // "Alice changed the subject to "X""
	EventIconChanged        = "icon_changed"          // "Alice changed this group's icon"
	EventIconDeleted        = "icon_deleted"          // "Alice deleted this group's icon"
	EventDescriptionChanged = "description_changed"   // "Alice changed the group description"
	EventSecurityCode       = "security_code_changed" // "Your security code with Elon changed"
	EventDisappearingOn     = "disappearing_on"       // "Alice turned on disappearing messages", timer updates
	EventDisappearingOff    = "disappearing_off"      // "Alice turned off disappearing messages"
	EventSettingsChanged    = "settings_changed"      // "changed this group's settings to allow ..."
	EventAdminChanged       = "admin_changed"         // "You're now an admin"
	EventNumberChanged      = "number_changed"        // "Bob changed their phone number to a new number"
	EventMissedCall         = "missed_call"           // "Missed voice call", "Missed video call" (Kind Call)
	EventUnknown            = "unknown"               // a system message whose wording is not recognised
)
