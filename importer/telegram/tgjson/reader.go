package tgjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"
)

// Options bound what one file may make the Reader hold. Zero fields take the defaults.
type Options struct {
	// MaxMessageBytes bounds one message, and any other single JSON value (a string in a
	// skipped section): 16 MiB by default. Real messages are a few KiB.
	MaxMessageBytes int
	// MaxDepth bounds nesting (objects and arrays inside each other): 64 by default. Telegram
	// writes at most about 8 levels.
	MaxDepth int
	// MaxBufferedBytes bounds the messages held back when a chat's "messages" come before its
	// "type" and "id" (Telegram Desktop writes them first; hand-made files may not): 64 MiB by
	// default.
	MaxBufferedBytes int64
	// ReuseMessages delivers every message in the same Message, Raw included, valid only until
	// the next call to Next, instead of a new one each time: for a caller that is done with a
	// message before it asks for the next, that saves allocating (and collecting) about 2 KB a
	// message. Messages held back for a chat whose type and id come after them get their own.
	ReuseMessages bool
}

const (
	defaultMaxMessage  = 16 << 20
	defaultMaxDepth    = 64
	defaultMaxBuffered = 64 << 20
)

// Kind says what an Item is.
type Kind int

const (
	// KindHeader carries the account sections read so far (Item.Export, a copy). A
	// whole-account export delivers it before its first chat (or at the end when it has none),
	// and once more before the end, complete, when more account information followed the first
	// chat. Single-chat exports have none.
	KindHeader Kind = iota + 1
	// KindChatStart opens a chat (Item.Chat); its messages follow, then KindChatEnd.
	KindChatStart
	// KindMessage is one message (Item.Message) of the open chat (Item.Chat).
	KindMessage
	// KindChatEnd closes the chat. Item.Chat is the same value as at KindChatStart, updated
	// with any name/type/id that came after the messages.
	KindChatEnd
)

func (k Kind) String() string {
	switch k {
	case KindHeader:
		return "header"
	case KindChatStart:
		return "chat start"
	case KindMessage:
		return "message"
	case KindChatEnd:
		return "chat end"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Item is one step of the walk through an export.
type Item struct {
	Kind    Kind
	Export  *Export  // KindHeader
	Chat    *Chat    // KindChatStart, KindMessage, KindChatEnd
	Message *Message // KindMessage
}

type state int

const (
	stStart    state = iota // before the top-level "{"
	stTop                   // in the top-level object
	stSection               // in "chats" or "left_chats"
	stList                  // in a section's "list"
	stChat                  // in a chat object of a list
	stMessages              // in a chat's "messages"
	stEnd                   // after the top-level object
)

// Reader walks one result.json. Use Next until it returns io.EOF.
type Reader struct {
	f    *filter
	dec  *jsontext.Decoder
	opts Options

	st      state
	single  bool   // the top-level object is the chat
	section string // "chats" or "left_chats" while in one
	count   map[string]int

	exp        Export
	account    bool // an account section was seen
	headerSent bool
	headerNew  bool // account sections read since the header was delivered

	cur      *Chat
	started  bool // ChatStart delivered for cur
	hasType  bool
	holding  bool // messages held until cur's type and id are known
	held     []Item
	heldSize int64
	lastID   int64 // last message id read in cur

	queue []Item
	err   error
	sc    scan    // the message decoder's scratch space
	spare Message // the message delivered each time with ReuseMessages
}

// NewReader reads an export from r. It reads ahead; r need not be buffered.
func NewReader(r io.Reader, opts Options) *Reader {
	if opts.MaxMessageBytes <= 0 {
		opts.MaxMessageBytes = defaultMaxMessage
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = defaultMaxDepth
	}
	if opts.MaxBufferedBytes <= 0 {
		opts.MaxBufferedBytes = defaultMaxBuffered
	}
	// The slack lets the decoder read a block past the end of a maximal value.
	f := newFilter(r, int64(opts.MaxMessageBytes)+64<<10)
	f.maxDepth = opts.MaxDepth
	// Names may repeat and strings may hold invalid UTF-8, as encoding/json allows: the
	// message decoder reads such records the way it would.
	dec := jsontext.NewDecoder(f, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	return &Reader{f: f, dec: dec, opts: opts, count: map[string]int{}}
}

// Offset is how many bytes of the file the Reader has consumed, for progress reports.
func (r *Reader) Offset() int64 { return r.f.origin(r.dec.InputOffset()) }

// Export is the account information read so far.
func (r *Reader) Export() *Export { return &r.exp }

// Next returns the next item, io.EOF after the last one, or an *Error. After an error every
// call returns the same error.
func (r *Reader) Next() (Item, error) {
	for {
		if r.err != nil {
			return Item{}, r.err
		}
		if len(r.queue) > 0 {
			it := r.queue[0]
			r.queue[0] = Item{}
			r.queue = r.queue[1:]
			return it, nil
		}
		if r.st == stEnd {
			r.err = io.EOF
			continue
		}
		if err := r.step(); err != nil {
			r.err = err
		}
	}
}

// step reads one token or value and queues what it completes.
func (r *Reader) step() error {
	if r.st == stMessages {
		if r.dec.PeekKind() != ']' {
			return r.readMessage()
		}
	}
	r.mark()
	if r.st == stStart {
		if k := r.dec.PeekKind(); k != '{' && k != 0 {
			ws := len(r.dec.UnreadBuffer()) - len(bytes.TrimLeft(r.dec.UnreadBuffer(), " \t\r\n"))
			return r.failAt(r.f.origin(r.dec.InputOffset()+int64(ws)), fmt.Errorf("not a Telegram export: the file starts with %s, not a JSON object", describe(k)))
		}
	}
	tok, err := r.dec.ReadToken()
	if err != nil {
		if err == io.EOF {
			if r.st == stStart {
				return r.fail(errors.New("empty file: not a Telegram export"))
			}
			return r.fail(errors.New("the file ends in the middle of the export (truncated?)"))
		}
		return r.fail(err)
	}
	k := tok.Kind()
	switch r.st {
	case stStart:
		r.st = stTop
	case stTop:
		if k == '}' {
			return r.endTop()
		}
		return r.topKey(tok.String())
	case stSection:
		if k == '}' {
			r.st = stTop
			return nil
		}
		return r.sectionKey(tok.String())
	case stList:
		switch k {
		case ']':
			r.st = stSection
		case '{':
			r.sendHeader()
			r.count[r.section]++
			r.openChat(&Chat{List: r.section, Index: r.count[r.section], Offset: r.f.origin(r.dec.InputOffset() - 1)})
			r.st = stChat
		default:
			return r.fail(fmt.Errorf("%q lists %s where a chat object belongs", r.section, describe(k)))
		}
	case stChat:
		if k == '}' {
			r.closeChat()
			r.st = stList
			return nil
		}
		return r.chatKey(tok.String())
	case stMessages:
		if k != ']' { // PeekKind said so, so this can only be the end
			return r.fail(fmt.Errorf("unexpected %s in messages", describe(k)))
		}
		if r.single {
			r.st = stTop
		} else {
			r.st = stChat
		}
	}
	return nil
}

func (r *Reader) topKey(key string) error {
	switch key {
	case "chats", "left_chats":
		r.account = true
		if err := r.expect('{', key); err != nil {
			return err
		}
		r.section = key
		r.st = stSection
		return nil
	case "name", "type", "id", "messages":
		if r.cur == nil {
			r.single = true
			r.openChat(&Chat{})
		}
		return r.chatKey(key)
	}
	if r.single && r.cur != nil {
		// Single-chat exports have no account sections; an unknown key is read past.
		r.exp.Skipped = append(r.exp.Skipped, key)
		return r.skip()
	}
	r.account = true
	if r.headerSent {
		r.headerNew = true
	}
	switch key {
	case "about":
		return r.decodeValue(&r.exp.About)
	case "personal_information":
		var p PersonalInfo
		if ok, err := r.decodeEntry(&p); !ok {
			return err
		}
		r.exp.PersonalInformation = &p
		return nil
	case "profile_pictures":
		return r.readArray(key, func() error {
			var p ProfilePicture
			if ok, err := r.decodeEntry(&p); !ok {
				return err
			}
			r.exp.ProfilePictures = append(r.exp.ProfilePictures, p)
			return nil
		})
	case "contacts":
		return r.readListSection(key, &r.exp.ContactsAbout, func() error {
			var c Contact
			if ok, err := r.decodeEntry(&c); !ok {
				return err
			}
			r.exp.Contacts = append(r.exp.Contacts, c)
			return nil
		})
	case "frequent_contacts":
		return r.readListSection(key, &r.exp.FrequentAbout, func() error {
			var c FrequentContact
			if ok, err := r.decodeEntry(&c); !ok {
				return err
			}
			r.exp.FrequentContacts = append(r.exp.FrequentContacts, c)
			return nil
		})
	}
	r.exp.Skipped = append(r.exp.Skipped, key)
	return r.skip()
}

func (r *Reader) sectionKey(key string) error {
	switch key {
	case "about":
		r.headerNew = r.headerNew || r.headerSent
		if r.section == "left_chats" {
			return r.decodeValue(&r.exp.LeftChatsAbout)
		}
		return r.decodeValue(&r.exp.ChatsAbout)
	case "list":
		if err := r.expect('[', r.section+".list"); err != nil {
			return err
		}
		r.st = stList
		return nil
	}
	return r.skip()
}

func (r *Reader) chatKey(key string) error {
	c := r.cur
	switch key {
	case "name":
		var s *string
		if err := r.decodeValue(&s); err != nil {
			return err
		}
		if s != nil {
			c.Name = *s
		}
	case "type":
		var s *string
		if err := r.decodeValue(&s); err != nil {
			return err
		}
		if s != nil {
			c.Type = *s
		}
		r.hasType = true
	case "id":
		var v Flex
		if err := r.decodeValue(&v); err != nil {
			return err
		}
		id, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			return r.fail(fmt.Errorf("chat id %q is not a whole number", v))
		}
		c.ID, c.HasID = id, true
	case "messages":
		if err := r.expect('[', "messages"); err != nil {
			return err
		}
		if !r.started && !r.holding {
			if r.hasType && c.HasID {
				r.startChat()
			} else {
				r.holding = true
			}
		}
		r.st = stMessages
	default:
		return r.skip()
	}
	return nil
}

func (r *Reader) openChat(c *Chat) {
	r.cur, r.started, r.hasType, r.holding, r.lastID = c, false, false, false, 0
}

func (r *Reader) startChat() {
	r.started = true
	r.queue = append(r.queue, Item{Kind: KindChatStart, Chat: r.cur})
}

func (r *Reader) closeChat() {
	if !r.started {
		r.startChat()
		r.queue = append(r.queue, r.held...)
		r.held, r.heldSize, r.holding = nil, 0, false
	}
	r.queue = append(r.queue, Item{Kind: KindChatEnd, Chat: r.cur})
	r.cur = nil
}

func (r *Reader) sendHeader() {
	if !r.headerSent {
		r.queueHeader()
	}
}

// queueHeader delivers a copy of the account sections read so far, so later sections do not
// change what an earlier item showed.
func (r *Reader) queueHeader() {
	r.headerSent, r.headerNew = true, false
	exp := r.exp
	r.queue = append(r.queue, Item{Kind: KindHeader, Export: &exp})
}

func (r *Reader) endTop() error {
	if r.cur != nil {
		r.closeChat()
	}
	if r.account && (!r.headerSent || r.headerNew) {
		r.queueHeader()
	}
	r.mark()
	tok, err := r.dec.ReadToken()
	if err != io.EOF {
		if err != nil {
			return r.fail(err)
		}
		return r.fail(fmt.Errorf("%s after the end of the export", describe(tok.Kind())))
	}
	r.st = stEnd
	return nil
}

func (r *Reader) readMessage() error {
	r.mark()
	v, err := r.dec.ReadValue()
	if err != nil {
		return r.fail(err)
	}
	end := r.dec.InputOffset()
	start := r.f.origin(end - int64(len(v)))
	if v[0] != '{' {
		return r.failAt(start, fmt.Errorf("a message is %s, not an object", kindName(v[0])))
	}
	// Raw is a copy: the decoder's buffer is reused by the next read. The filter has left out the
	// whitespace between tokens unless it follows a number or literal; only then is there any
	// left to take out.
	var m *Message
	var raw []byte
	if r.opts.ReuseMessages && !r.holding {
		m, raw = &r.spare, r.spare.Raw[:0]
	} else {
		m, raw = new(Message), make([]byte, 0, len(v))
	}
	if r.f.spaceWithin(end-int64(len(v)), end) {
		raw = appendCompact(raw, v)
	} else {
		raw = append(raw, v...)
	}
	*m = Message{Raw: raw, Offset: start}
	m.Invalid = r.sc.message(raw, m)
	r.lastID = m.ID
	it := Item{Kind: KindMessage, Chat: r.cur, Message: m}
	if !r.holding {
		r.queue = append(r.queue, it)
		return nil
	}
	r.held = append(r.held, it)
	r.heldSize += int64(len(m.Raw))
	if r.heldSize > r.opts.MaxBufferedBytes {
		return r.failAt(start, fmt.Errorf("more than %d MiB of messages come before the chat's type and id; this reader needs them first, as Telegram Desktop writes them", r.opts.MaxBufferedBytes>>20))
	}
	return nil
}

// rawValue reads the next value as raw bytes (a copy), bounded in size and depth, with its
// offset.
func (r *Reader) rawValue() ([]byte, int64, error) {
	r.mark()
	v, err := r.dec.ReadValue()
	if err != nil {
		return nil, 0, r.fail(err)
	}
	return bytes.Clone(v), r.f.origin(r.dec.InputOffset() - int64(len(v))), nil
}

// decodeValue reads the next value into v; a value of the wrong shape is an error.
func (r *Reader) decodeValue(v any) error {
	raw, start, err := r.rawValue()
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return r.failAt(start, err)
	}
	return nil
}

// decodeEntry reads one account-section entry. An entry of the wrong shape is noted in
// Export.Invalid and read past (ok false, err nil); only a broken file stops the walk.
func (r *Reader) decodeEntry(v any) (ok bool, err error) {
	raw, start, err := r.rawValue()
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		r.exp.Invalid = append(r.exp.Invalid, &Error{Offset: start, Err: err})
		return false, nil
	}
	return true, nil
}

// readArray calls each for every element of the array that comes next.
func (r *Reader) readArray(what string, each func() error) error {
	if err := r.expect('[', what); err != nil {
		return err
	}
	for r.dec.PeekKind() != ']' {
		if err := each(); err != nil {
			return err
		}
	}
	return r.expect(']', what)
}

// readListSection reads {"about": ..., "list": [...]}, the shape of contacts and frequent
// contacts.
func (r *Reader) readListSection(what string, about *string, each func() error) error {
	if err := r.expect('{', what); err != nil {
		return err
	}
	for {
		r.mark()
		tok, err := r.dec.ReadToken()
		if err != nil {
			return r.fail(err)
		}
		if tok.Kind() == '}' {
			return nil
		}
		switch tok.String() {
		case "about":
			err = r.decodeValue(about)
		case "list":
			err = r.readArray(what+".list", each)
		default:
			err = r.skip()
		}
		if err != nil {
			return err
		}
	}
}

// expect reads one delimiter.
func (r *Reader) expect(d jsontext.Kind, what string) error {
	r.mark()
	tok, err := r.dec.ReadToken()
	if err != nil {
		if err == io.EOF {
			return r.fail(errors.New("the file ends in the middle of the export (truncated?)"))
		}
		return r.fail(err)
	}
	if k := tok.Kind(); k != d {
		return r.fail(fmt.Errorf("%q is %s, expected %s", what, describe(k), describe(d)))
	}
	return nil
}

// skip reads past the next value token by token, so a large section costs no memory. (The
// filter bounds the nesting.)
func (r *Reader) skip() error {
	depth := 0
	for {
		r.mark()
		tok, err := r.dec.ReadToken()
		if err != nil {
			if err == io.EOF {
				return r.fail(errors.New("the file ends in the middle of the export (truncated?)"))
			}
			return r.fail(err)
		}
		switch tok.Kind() {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// mark tells the filter where the decoder stands, so it lets the decoder read at most one
// maximal value ahead.
func (r *Reader) mark() { r.f.consumed = r.dec.InputOffset() }

func (r *Reader) fail(err error) error {
	var se *jsontext.SyntacticError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), err == io.EOF:
		return r.failAt(r.f.origin(r.dec.InputOffset()), errors.New("the file ends in the middle of the export (truncated?)"))
	case errors.Is(err, errTooDeep):
		return r.failAt(r.f.origin(r.f.deepAt), fmt.Errorf("objects and arrays nested more than %d levels deep", r.opts.MaxDepth))
	case errors.Is(err, errTooLarge):
		return r.failAt(r.f.origin(r.f.consumed), fmt.Errorf("a single value (message) is larger than %d MiB", r.opts.MaxMessageBytes>>20))
	case errors.As(err, &se):
		// The offset is told by the Error, in the file's own bytes; the decoder's counts the
		// filter's rewrites.
		return r.failAt(r.f.origin(se.ByteOffset), fmt.Errorf("invalid JSON: %v", se.Err))
	}
	return r.failAt(r.f.origin(r.dec.InputOffset()), err)
}

func (r *Reader) failAt(off int64, err error) error {
	var te *Error
	if errors.As(err, &te) {
		return te
	}
	e := &Error{Offset: off, Err: err}
	if c := r.cur; c != nil {
		e.HasChat, e.ChatID, e.ChatName = true, c.ID, c.Name
		e.AfterID = r.lastID
	}
	return e
}

// describe names a token kind for errors.
func describe(k jsontext.Kind) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '}':
		return "the end of an object"
	case ']':
		return "the end of an array"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "something else"
}
