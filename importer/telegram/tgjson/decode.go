package tgjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// decodeMessage fills m from one message record, already checked for syntax, in a single walk
// without reflection. A field of an unexpected shape is left as far as it was read and the walk
// goes on, so one odd field loses nothing else; the first such problem is returned. It decodes
// what encoding/json would decode into Message, including its case-insensitive key match (a
// record that repeats a name aside: encoding/json merges the repeats); the rare nested records
// (polls, invoices, buttons, ...) go through encoding/json itself.
func decodeMessage(raw []byte, m *Message) error {
	return new(scan).message(raw, m)
}

// message is decodeMessage with the scratch space of earlier records.
func (s *scan) message(raw []byte, m *Message) error {
	s.b, s.i, s.rec = raw, 0, string(raw)
	var first error
	s.peek()
	s.open()
	for s.more() {
		key := s.key()
		err := m.field(s, key)
		if err == errUnknownKey {
			if k := foldKey(messageFields, key); k != "" {
				err = m.field(s, []byte(k))
			}
			if err == errUnknownKey {
				s.skip()
				err = nil
			}
		}
		if err != nil && first == nil {
			first = fmt.Errorf("field %q: %w", string(key), err)
		}
	}
	return first
}

// errUnknownKey says the key names no field; the value has not been read.
var errUnknownKey = errors.New("unknown key")

// The json names of the fields, for keys written in another case.
var (
	messageFields  = jsonNames(reflect.TypeFor[Message]())
	partFields     = jsonNames(reflect.TypeFor[Part]())
	reactionFields = jsonNames(reflect.TypeFor[Reaction]())
	reactorFields  = jsonNames(reflect.TypeFor[Reactor]())
)

func jsonNames(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// foldKey returns the field name key matches ignoring case, as encoding/json matches, or "".
func foldKey(names []string, key []byte) string {
	for _, n := range names {
		if bytes.EqualFold([]byte(n), key) {
			return n
		}
	}
	return ""
}

// field reads the value of one key into m.
func (m *Message) field(s *scan, key []byte) error {
	switch string(key) {
	case "id":
		return s.integer(&m.ID)
	case "type":
		return s.string(&m.Type)
	case "date":
		return s.string(&m.Date)
	case "date_unixtime":
		return s.unix(&m.DateUnix)
	case "edited":
		return s.string(&m.Edited)
	case "edited_unixtime":
		return s.unix(&m.EditedUnix)
	case "from":
		return s.optName(&m.From)
	case "from_id":
		return s.peer(&m.FromID)
	case "author":
		return s.string(&m.Author)
	case "actor":
		return s.optName(&m.Actor)
	case "actor_id":
		return s.peer(&m.ActorID)
	case "action":
		return s.string(&m.Action)
	case "members":
		return s.strings(&m.Members)
	case "inviter":
		return s.optName(&m.Inviter)
	case "message_id":
		return s.integer(&m.MessageID)
	case "game_message_id":
		return s.integer(&m.GameMessageID)
	case "score":
		return s.integer(&m.Score)
	case "amount":
		return s.integer(&m.Amount)
	case "currency":
		return s.string(&m.Currency)
	case "invoice_message_id":
		return s.integer(&m.InvoiceMsgID)
	case "recurring":
		return s.string(&m.Recurring)
	case "discard_reason":
		return s.string(&m.DiscardReason)
	case "duration":
		return s.integer(&m.Duration)
	case "schedule_date":
		return s.unix(&m.ScheduleDate)
	case "to":
		return s.optName(&m.To)
	case "to_id":
		return s.peer(&m.ToID)
	case "distance":
		return s.integer(&m.Distance)
	case "period":
		return s.integer(&m.Period)
	case "emoticon":
		return s.string(&m.Emoticon)
	case "new_title":
		return s.string(&m.NewTitle)
	case "new_icon_emoji_id":
		return s.flex(&m.NewIconEmojiID)
	case "information_text":
		return s.string(&m.InformationText)
	case "reason_domain":
		return s.string(&m.ReasonDomain)
	case "reason_app_id":
		return s.flex(&m.ReasonAppID)
	case "reason_app_name":
		return s.string(&m.ReasonAppName)
	case "values":
		return s.strings(&m.Values)
	case "button_id":
		return s.flex(&m.ButtonID)
	case "peer_id":
		return s.flex(&m.PeerID)
	case "boosts":
		return s.integer(&m.Boosts)
	case "cost":
		return s.string(&m.Cost)
	case "months":
		return s.integer(&m.Months)
	case "gift_id":
		return s.flex(&m.GiftID)
	case "stars":
		return s.integer(&m.Stars)

	case "text":
		return s.text(&m.Text)
	case "text_entities":
		return s.parts(&m.TextEntities)

	case "reply_to_message_id":
		return s.integer(&m.ReplyToMessageID)
	case "reply_to_peer_id":
		return s.peer(&m.ReplyToPeerID)
	case "forwarded_from":
		return s.optName(&m.ForwardedFrom)
	case "forwarded_from_id":
		return s.peer(&m.ForwardedFromID)
	case "saved_from":
		return s.optName(&m.SavedFrom)
	case "via_bot":
		return s.string(&m.ViaBot)

	case "photo":
		return s.fileRef(&m.Photo)
	case "photo_file_size":
		return s.integer(&m.PhotoFileSize)
	case "file":
		return s.fileRef(&m.File)
	case "file_name":
		return s.string(&m.FileName)
	case "file_size":
		return s.integer(&m.FileSize)
	case "thumbnail":
		return s.fileRef(&m.Thumbnail)
	case "thumbnail_file_size":
		return s.integer(&m.ThumbnailFileSize)
	case "media_type":
		return s.string(&m.MediaType)
	case "mime_type":
		return s.string(&m.MimeType)
	case "duration_seconds":
		return s.integer(&m.DurationSeconds)
	case "width":
		return s.integer(&m.Width)
	case "height":
		return s.integer(&m.Height)
	case "sticker_emoji":
		return s.string(&m.StickerEmoji)
	case "performer":
		return s.string(&m.Performer)
	case "title":
		return s.string(&m.Title)
	case "media_spoiler":
		return s.bool(&m.MediaSpoiler)
	case "self_destruct_period_seconds":
		return s.integer(&m.SelfDestructPeriodSeconds)

	case "contact_information":
		return s.std(&m.ContactInformation)
	case "contact_vcard":
		return s.fileRef(&m.ContactVCard)
	case "contact_vcard_file_size":
		return s.integer(&m.ContactVCardFileSize)

	case "location_information":
		return s.std(&m.LocationInformation)
	case "live_location_period_seconds":
		return s.integer(&m.LiveLocationPeriodSeconds)
	case "place_name":
		return s.string(&m.PlaceName)
	case "address":
		return s.string(&m.Address)

	case "poll":
		return s.std(&m.Poll)
	case "game_title":
		return s.string(&m.GameTitle)
	case "game_description":
		return s.string(&m.GameDescription)
	case "game_link":
		return s.string(&m.GameLink)
	case "invoice_information":
		return s.std(&m.InvoiceInformation)
	case "giveaway_information":
		return s.std(&m.GiveawayInfo)
	case "giveaway_results":
		return s.std(&m.GiveawayResults)
	case "paid_stars_amount":
		return s.integer(&m.PaidStarsAmount)

	case "inline_bot_buttons":
		return s.std(&m.InlineBotButtons)
	case "reactions":
		return s.reactions(&m.Reactions)
	}
	return errUnknownKey
}

// std decodes a rare nested value with encoding/json.
func (s *scan) std(v any) error {
	return json.Unmarshal(s.value(), v)
}

// unix reads what Unix.UnmarshalJSON reads, parsing the usual "1652135033" in place.
func (s *scan) unix(dst *Unix) error {
	save := s.i
	if s.peek() == '"' {
		start, end, esc := s.rawString()
		if n, ok := smallInt(s.b[start:end]); ok && !esc {
			*dst = Unix(n)
			return nil
		}
		s.i = save
	}
	v, err := s.scalar()
	if err != nil || v == "" {
		return err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return fmt.Errorf("unix time %q is not a whole number", v)
	}
	*dst = Unix(n)
	return nil
}

func (s *scan) peer(dst *PeerID) error {
	v, err := s.scalar()
	*dst = PeerID(v)
	return err
}

func (s *scan) flex(dst *Flex) error {
	v, err := s.scalar()
	*dst = Flex(v)
	return err
}

// optName reads a string, or null for "present, name unknown".
func (s *scan) optName(dst *OptName) error {
	*dst = OptName{Present: true}
	return s.string(&dst.Name)
}

func (s *scan) fileRef(dst *FileRef) error {
	switch c := s.peek(); c {
	case '"':
		*dst = parseFileRef(s.str())
	case 'n':
		s.literal()
		*dst = FileRef{}
	default:
		s.skip()
		return &shapeError{want: "a string", found: c}
	}
	return nil
}

// text reads a message's "text": a string, an array of strings and entity objects, or null.
func (s *scan) text(dst *Text) error {
	*dst = nil
	switch c := s.peek(); c {
	case 'n':
		s.literal()
		return nil
	case '"':
		if v := s.str(); v != "" {
			*dst = Text{{Type: "plain", Text: v}}
		}
		return nil
	case '[':
	default:
		s.skip()
		return &shapeError{want: "a string or an array", found: c}
	}
	s.open()
	out := s.partBuf[:0]
	for s.more() {
		switch c := s.peek(); c {
		case '"':
			if v := s.str(); v != "" {
				out = append(out, Part{Type: "plain", Text: v})
			}
		case '{':
			var p Part
			if err := s.part(&p); err != nil {
				s.rest()
				return fmt.Errorf("text part: %w", err)
			}
			out = append(out, p)
		case 'n': // an empty entity, to encoding/json
			s.literal()
			out = append(out, Part{})
		default:
			s.skip()
			s.rest()
			return fmt.Errorf("text part: %w", &shapeError{want: "a string or an object", found: c})
		}
	}
	*dst = Text(copyParts(out))
	return nil
}

// copyParts copies parts gathered in scratch space out at their size (empty, not nil, for none).
func copyParts(parts []Part) []Part {
	if len(parts) == 0 {
		return []Part{}
	}
	return append([]Part(nil), parts...)
}

// rest consumes the remaining elements of an array and its closing bracket.
func (s *scan) rest() {
	for s.more() {
		s.skip()
	}
}

// parts reads text_entities: an array of entity objects, or null.
func (s *scan) parts(dst *[]Part) error {
	out := s.partBuf[:0]
	c, err := s.array(func(obj bool) error {
		out = append(out, Part{})
		if !obj {
			return nil
		}
		return s.part(&out[len(out)-1])
	})
	if c == '[' {
		out = copyParts(out)
	}
	setSlice(dst, out, c)
	return err
}

// part reads one entity object.
func (s *scan) part(p *Part) error {
	return s.object(partFields, func(key []byte) error { return p.field(s, key) })
}

// object walks the members of the object at the cursor, calling field for each; field returns
// errUnknownKey, without reading the value, for a name it does not know, and is tried again
// with the field name the key matches ignoring case. It returns the first error.
func (s *scan) object(names []string, field func(key []byte) error) error {
	var first error
	s.open()
	for s.more() {
		key := s.key()
		err := field(key)
		if err == errUnknownKey {
			if k := foldKey(names, key); k != "" {
				err = field([]byte(k))
			}
			if err == errUnknownKey {
				s.skip()
				err = nil
			}
		}
		if err != nil && first == nil {
			first = fmt.Errorf("%q: %w", string(key), err)
		}
	}
	return first
}

func (p *Part) field(s *scan, key []byte) error {
	switch string(key) {
	case "type":
		return s.string(&p.Type)
	case "text":
		return s.string(&p.Text)
	case "href":
		return s.string(&p.Href)
	case "user_id":
		return s.flex(&p.UserID)
	case "language":
		return s.string(&p.Language)
	case "document_id":
		return s.flex(&p.DocumentID)
	case "collapsed":
		return s.bool(&p.Collapsed)
	}
	return errUnknownKey
}

// reactions reads the reactions array, or null.
func (s *scan) reactions(dst *[]Reaction) error {
	out := []Reaction{}
	c, err := s.array(func(obj bool) error {
		out = append(out, Reaction{})
		if !obj {
			return nil
		}
		x := &out[len(out)-1]
		return s.object(reactionFields, func(key []byte) error {
			switch string(key) {
			case "type":
				return s.string(&x.Type)
			case "count":
				return s.integer(&x.Count)
			case "emoji":
				return s.string(&x.Emoji)
			case "document_id":
				return s.flex(&x.DocumentID)
			case "recent":
				return s.reactors(&x.Recent)
			}
			return errUnknownKey
		})
	})
	setSlice(dst, out, c)
	return err
}

func (s *scan) reactors(dst *[]Reactor) error {
	out := []Reactor{}
	c, err := s.array(func(obj bool) error {
		out = append(out, Reactor{})
		if !obj {
			return nil
		}
		x := &out[len(out)-1]
		return s.object(reactorFields, func(key []byte) error {
			switch string(key) {
			case "from":
				return s.optName(&x.From)
			case "from_id":
				return s.peer(&x.FromID)
			case "date":
				return s.string(&x.Date)
			}
			return errUnknownKey
		})
	})
	setSlice(dst, out, c)
	return err
}

// array reads an array of objects, calling elem for each element: obj false for a null one,
// which encoding/json reads as a zero element. It returns the first error and the kind of value
// it found: '[', 'n' for null, or another (an error).
func (s *scan) array(elem func(obj bool) error) (byte, error) {
	switch c := s.peek(); c {
	case 'n':
		s.literal()
		return c, nil
	case '[':
	default:
		s.skip()
		return c, &shapeError{want: "an array", found: c}
	}
	s.open()
	var first error
	for s.more() {
		var err error
		switch c := s.peek(); c {
		case 'n':
			s.literal()
			err = elem(false)
		case '{':
			err = elem(true)
		default:
			s.skip()
			err = &shapeError{want: "an object", found: c}
		}
		if err != nil && first == nil {
			first = err
		}
	}
	return '[', first
}

// setSlice stores what array read: the elements, nil for null, nothing for another value.
func setSlice[T any](dst *[]T, out []T, kind byte) {
	switch kind {
	case '[':
		*dst = out
	case 'n':
		*dst = nil
	}
}
