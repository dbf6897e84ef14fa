package tgjson

import "encoding/json"

// Export is what a whole-account export says about the account, outside the chats. Sections the
// user did not select are absent (zero).
type Export struct {
	About               string        // Telegram's description of the export
	PersonalInformation *PersonalInfo // "personal_information"
	ProfilePictures     []ProfilePicture
	Contacts            []Contact // "contacts.list"
	ContactsAbout       string
	FrequentContacts    []FrequentContact // "frequent_contacts.list"
	FrequentAbout       string
	ChatsAbout          string // "chats.about"
	LeftChatsAbout      string // "left_chats.about"
	// Skipped names the top-level sections read past without being modelled ("sessions",
	// "web_sessions", "stories", "other_data", or keys newer versions add), in file order.
	Skipped []string
	// Invalid lists account entries (a contact, a profile picture) whose fields had an
	// unexpected shape; they are left out of the lists above. Each is an *Error with its offset.
	Invalid []error
}

// PersonalInfo is the exporting user.
type PersonalInfo struct {
	UserID      int64  `json:"user_id"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	PhoneNumber string `json:"phone_number"`
	Username    string `json:"username"` // with its "@"
	Bio         string `json:"bio"`
}

// ProfilePicture is one of the user's profile photos.
type ProfilePicture struct {
	Date     string  `json:"date"`
	DateUnix Unix    `json:"date_unixtime"`
	Photo    FileRef `json:"photo"`
}

// Contact is one entry of the address book Telegram keeps. Deleted entries carry only dates.
type Contact struct {
	UserID      int64  `json:"user_id"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	PhoneNumber string `json:"phone_number"`
	Date        string `json:"date"`
	DateUnix    Unix   `json:"date_unixtime"`
}

// FrequentContact is one of Telegram's "top peers".
type FrequentContact struct {
	ID       int64   `json:"id"`
	Category string  `json:"category"` // people, inline_bots, calls
	Type     string  `json:"type"`     // user, private_group, public_channel, ...
	Name     string  `json:"name"`
	Rating   float64 `json:"rating"`
}

// Chat is one conversation. A single-chat export holds one; a whole-account export lists them
// under "chats" and "left_chats".
type Chat struct {
	Name string // absent for saved_messages, replies, verification_codes; a user's first name
	// Type: personal_chat, bot_chat, private_group, private_supergroup, public_supergroup,
	// private_channel, public_channel, saved_messages, replies, verification_codes.
	Type  string
	ID    int64 // bare peer id (no -100 prefix)
	HasID bool
	// List is "chats" or "left_chats" in a whole-account export, "" in a single-chat export.
	List string
	// Index is the chat's 1-based position in its list (0 in a single-chat export).
	Index  int
	Offset int64 // byte offset of the chat object in the file
}

// Message is one element of a chat's "messages". Fields absent from the record are zero; Raw
// keeps the whole record so fields this type does not model are not lost.
type Message struct {
	ID         int64  `json:"id"`   // unique in its chat; 0 when absent
	Type       string `json:"type"` // message, service, unsupported
	Date       string `json:"date"` // local wall time of the exporting computer, no zone
	DateUnix   Unix   `json:"date_unixtime"`
	Edited     string `json:"edited"`
	EditedUnix Unix   `json:"edited_unixtime"`

	From   OptName `json:"from"`
	FromID PeerID  `json:"from_id"`
	Author string  `json:"author"` // channel post signature

	// Service messages.
	Actor           OptName  `json:"actor"`
	ActorID         PeerID   `json:"actor_id"`
	Action          string   `json:"action"`
	Members         []string `json:"members"`
	Inviter         OptName  `json:"inviter"`
	MessageID       int64    `json:"message_id"` // pinned message, wallpaper message
	GameMessageID   int64    `json:"game_message_id"`
	Score           int64    `json:"score"`
	Amount          int64    `json:"amount"`
	Currency        string   `json:"currency"`
	InvoiceMsgID    int64    `json:"invoice_message_id"`
	Recurring       string   `json:"recurring"`
	DiscardReason   string   `json:"discard_reason"` // phone_call: busy, disconnect, hangup, missed
	Duration        int64    `json:"duration"`       // group_call
	ScheduleDate    Unix     `json:"schedule_date"`
	To              OptName  `json:"to"`
	ToID            PeerID   `json:"to_id"`
	Distance        int64    `json:"distance"`
	Period          int64    `json:"period"`
	Emoticon        string   `json:"emoticon"`
	NewTitle        string   `json:"new_title"`
	NewIconEmojiID  Flex     `json:"new_icon_emoji_id"`
	InformationText string   `json:"information_text"`
	ReasonDomain    string   `json:"reason_domain"`
	ReasonAppID     Flex     `json:"reason_app_id"`
	ReasonAppName   string   `json:"reason_app_name"`
	Values          []string `json:"values"`
	ButtonID        Flex     `json:"button_id"`
	PeerID          Flex     `json:"peer_id"`
	Boosts          int64    `json:"boosts"`
	Cost            string   `json:"cost"`
	Months          int64    `json:"months"`
	GiftID          Flex     `json:"gift_id"`
	Stars           int64    `json:"stars"`

	Text         Text   `json:"text"`          // a string, or strings and entities
	TextEntities []Part `json:"text_entities"` // newer exports: always objects

	ReplyToMessageID int64   `json:"reply_to_message_id"`
	ReplyToPeerID    PeerID  `json:"reply_to_peer_id"`
	ForwardedFrom    OptName `json:"forwarded_from"` // present with "" (null) for a hidden or deleted sender
	ForwardedFromID  PeerID  `json:"forwarded_from_id"`
	SavedFrom        OptName `json:"saved_from"`
	ViaBot           string  `json:"via_bot"` // "@botname"

	Photo             FileRef `json:"photo"`
	PhotoFileSize     int64   `json:"photo_file_size"`
	File              FileRef `json:"file"`
	FileName          string  `json:"file_name"`
	FileSize          int64   `json:"file_size"`
	Thumbnail         FileRef `json:"thumbnail"`
	ThumbnailFileSize int64   `json:"thumbnail_file_size"`
	// MediaType: sticker, animation, voice_message, video_message, video_file, audio_file;
	// empty for plain documents.
	MediaType                 string `json:"media_type"`
	MimeType                  string `json:"mime_type"`
	DurationSeconds           int64  `json:"duration_seconds"` // media, and phone_call
	Width                     int64  `json:"width"`
	Height                    int64  `json:"height"`
	StickerEmoji              string `json:"sticker_emoji"`
	Performer                 string `json:"performer"`
	Title                     string `json:"title"` // audio title, or the group title of create_group etc.
	MediaSpoiler              bool   `json:"media_spoiler"`
	SelfDestructPeriodSeconds int64  `json:"self_destruct_period_seconds"`

	ContactInformation   *ContactInfo `json:"contact_information"`
	ContactVCard         FileRef      `json:"contact_vcard"`
	ContactVCardFileSize int64        `json:"contact_vcard_file_size"`

	LocationInformation       *Location `json:"location_information"`
	LiveLocationPeriodSeconds int64     `json:"live_location_period_seconds"`
	PlaceName                 string    `json:"place_name"`
	Address                   string    `json:"address"`

	Poll               *Poll           `json:"poll"`
	GameTitle          string          `json:"game_title"`
	GameDescription    string          `json:"game_description"`
	GameLink           string          `json:"game_link"`
	InvoiceInformation *Invoice        `json:"invoice_information"`
	GiveawayInfo       json.RawMessage `json:"giveaway_information"`
	GiveawayResults    json.RawMessage `json:"giveaway_results"`
	PaidStarsAmount    int64           `json:"paid_stars_amount"`

	InlineBotButtons [][]Button `json:"inline_bot_buttons"`
	Reactions        []Reaction `json:"reactions"`

	// Raw is the record as read without the whitespace between its tokens (control characters
	// already escaped), bounded by Options.MaxMessageBytes.
	Raw []byte `json:"-"`
	// Offset is the byte offset of the record's "{" in the file.
	Offset int64 `json:"-"`
	// Invalid is set when a field had a shape this type does not expect (a string where a number
	// belongs, ...). The other fields are filled as far as they could be and Raw is whole.
	Invalid error `json:"-"`
}

// ContactInfo is a shared contact.
type ContactInfo struct {
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	PhoneNumber string `json:"phone_number"`
}

// Location is a point on the map.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Poll is a poll or quiz with its counts as the exporter saw them.
type Poll struct {
	Question    Text         `json:"question"`
	Closed      bool         `json:"closed"`
	TotalVoters int64        `json:"total_voters"`
	Answers     []PollAnswer `json:"answers"`
}

// PollAnswer is one option of a poll.
type PollAnswer struct {
	Text   Text  `json:"text"`
	Voters int64 `json:"voters"`
	Chosen bool  `json:"chosen"` // the exporting user chose it
}

// Invoice is a payment request.
type Invoice struct {
	Title            string `json:"title"`
	Description      string `json:"description"`
	Amount           int64  `json:"amount"`
	Currency         string `json:"currency"`
	ReceiptMessageID int64  `json:"receipt_message_id"`
}

// Button is one inline keyboard button under a bot's message.
type Button struct {
	Type        string `json:"type"`
	Text        string `json:"text"`
	Data        string `json:"data"`
	DataBase64  string `json:"dataBase64"`
	ForwardText string `json:"forward_text"`
	ButtonID    Flex   `json:"button_id"`
}

// Reaction is one reaction with its count and the few most recent reactors.
type Reaction struct {
	Type       string    `json:"type"` // emoji, custom_emoji, paid, empty
	Count      int64     `json:"count"`
	Emoji      string    `json:"emoji"`
	DocumentID Flex      `json:"document_id"`
	Recent     []Reactor `json:"recent"`
}

// Reactor is one recent reaction's sender.
type Reactor struct {
	From   OptName `json:"from"`
	FromID PeerID  `json:"from_id"`
	Date   string  `json:"date"`
}
