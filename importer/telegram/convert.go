package telegram

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/telegram/tgjson"
)

// converter maps the reader's items onto the archive. It holds one chat's state at a time, never
// its messages.
type converter struct {
	ctx   context.Context
	im    *archive.Import
	opts  importer.Options
	loc   location
	where string

	people  map[string]int64         // participant key -> id
	keys    map[tgjson.PeerID]string // participant key of each sender id seen
	knownMe map[string]bool          // participant keys earlier imports marked as the user
	meKey   string                   // the exporting user's key, when the export says
	meID    int64

	chat     *tgjson.Chat
	convID   int64
	chatMe   string         // the user's key inferred from this chat (a personal chat's other side)
	members  map[int64]bool // participants recorded as members of the open chat
	occ      map[string]int // content keys of messages without ids, counted
	chats    int
	noID     int            // chats without an id
	unknown  map[string]int // record types and service actions not modelled
	missing  int            // attachments whose file is not in the export
	badPaths int            // media paths refused (outside the folder) or unreadable
	assumed  int            // messages whose time came from a wall time read in --tz
}

func newConverter(ctx context.Context, im *archive.Import, opts importer.Options, loc location, where string) *converter {
	return &converter{ctx: ctx, im: im, opts: opts, loc: loc, where: where, people: map[string]int64{},
		keys: map[tgjson.PeerID]string{}, unknown: map[string]int{}}
}

func (c *converter) loadMe() error {
	km, err := c.im.KnownMe(Service)
	c.knownMe = km
	return err
}

func (c *converter) item(it tgjson.Item) error {
	switch it.Kind {
	case tgjson.KindHeader:
		return c.header(it.Export)
	case tgjson.KindChatStart:
		return c.startChat(it.Chat)
	case tgjson.KindMessage:
		return c.message(it.Message)
	case tgjson.KindChatEnd:
		c.chat, c.convID, c.members, c.occ = nil, 0, nil, nil
	}
	return nil
}

// header records the account's owner and address book.
func (c *converter) header(e *tgjson.Export) error {
	if pi := e.PersonalInformation; pi != nil && pi.UserID != 0 {
		c.meKey = userKey(pi.UserID)
		p := archive.Participant{Service: Service, Key: c.meKey, Name: fullName(pi.FirstName, pi.LastName), IsMe: true}
		addPhone(&p, pi.PhoneNumber)
		if pi.Username != "" {
			p.Idents = append(p.Idents, "tg:@"+strings.TrimPrefix(pi.Username, "@"))
		}
		id, err := c.im.Participant(p)
		if err != nil {
			return err
		}
		c.people[c.meKey], c.meID = id, id
		c.im.SetOption("me", c.meKey)
	}
	for _, ct := range e.Contacts {
		if ct.UserID == 0 {
			continue // a deleted entry: only dates remain
		}
		p := archive.Participant{Service: Service, Key: userKey(ct.UserID), Name: fullName(ct.FirstName, ct.LastName)}
		addPhone(&p, ct.PhoneNumber)
		id, err := c.im.Participant(p)
		if err != nil {
			return err
		}
		c.people[p.Key] = id
	}
	for _, err := range e.Invalid {
		c.im.WarnAt(c.where, offsetPos(err), "account entry not understood: %v", err)
	}
	return nil
}

// startChat creates the chat's conversation.
func (c *converter) startChat(ch *tgjson.Chat) error {
	c.chat, c.chats = ch, c.chats+1
	c.members, c.occ, c.chatMe = map[int64]bool{}, map[string]int{}, ""
	conv := archive.Conversation{Service: Service, Title: ch.Name, Kind: convKind(ch.Type)}
	switch {
	case ch.HasID:
		conv.Key = "tg:" + strconv.FormatInt(ch.ID, 10)
	default:
		// Hand-made or trimmed files: no id, so the chat is known by its name.
		c.noID++
		name := ch.Name
		if name == "" {
			name = c.opts.Title
		}
		conv.Key = "tg:name:" + strings.ToLower(strings.TrimSpace(name))
	}
	if c.opts.Title != "" {
		conv.Title = c.opts.Title
	}
	if conv.Title == "" {
		conv.Title = defaultTitle(ch.Type)
	}
	if ch.Type == "saved_messages" && ch.HasID && c.meKey == "" {
		c.chatMe = userKey(ch.ID) // Saved Messages is the chat with oneself
	}
	id, err := c.im.Conversation(conv)
	if err != nil {
		return err
	}
	c.convID = id
	return nil
}

func convKind(t string) archive.ConversationKind {
	switch t {
	case "saved_messages":
		return archive.ConvSelf
	case "private_group", "private_supergroup", "public_supergroup", "replies":
		return archive.ConvGroup
	case "private_channel", "public_channel":
		return archive.ConvChannel
	}
	return archive.ConvDirect
}

func defaultTitle(t string) string {
	switch t {
	case "saved_messages":
		return "Saved Messages"
	case "replies":
		return "Replies"
	case "verification_codes":
		return "Verification Codes"
	}
	return "Telegram chat"
}

func (c *converter) finish() error {
	c.im.SetOption("tz", importer.ZoneName(c.opts.TZ))
	if c.assumed > 0 {
		c.im.Note(fmt.Sprintf("%d messages have only a local wall time (exports before 2022): read as %s (--tz)", c.assumed, importer.ZoneName(c.opts.TZ)))
	}
	if c.noID > 0 {
		c.im.Note(fmt.Sprintf("%d chats have no id: they are known by their name, and their messages without ids by time, sender and text", c.noID))
	}
	if c.missing > 0 {
		c.im.Note(fmt.Sprintf("%d attachments are not in the export (not included by the export settings, too large, or absent): kept as missing media", c.missing))
	}
	if len(c.unknown) > 0 {
		var names []string
		for k, n := range c.unknown {
			names = append(names, fmt.Sprintf("%s (%d)", k, n))
		}
		sort.Strings(names)
		c.im.Note("kept as system messages with their raw record, not otherwise understood: " + strings.Join(names, ", "))
	}
	if c.chats == 0 {
		c.im.Note("the export holds no chats")
	}
	return nil
}

func fullName(first, last string) string {
	return strings.TrimSpace(strings.TrimSpace(first) + " " + strings.TrimSpace(last))
}

func userKey(id int64) string { return "tg:user" + strconv.FormatInt(id, 10) }

// addPhone gives a participant the phone number Telegram shows ("+49 151 234", "49151234").
func addPhone(p *archive.Participant, phone string) {
	var digits strings.Builder
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	if digits.Len() < 3 {
		return
	}
	p.Phone = "+" + digits.String()
	p.Idents = append(p.Idents, "phone:"+p.Phone)
}

func offsetPos(err error) string {
	if te, ok := err.(*tgjson.Error); ok {
		return "offset " + strconv.FormatInt(te.Offset, 10)
	}
	return "account section"
}
