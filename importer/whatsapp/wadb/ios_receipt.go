package wadb

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/chatvault/chatvault/archive"
)

// ZWAMESSAGEINFO.ZRECEIPTINFO is a protobuf with no published schema. What is read of it
// (notes/whatsapp-databases.md §6, docs/importers/whatsapp-db.md):
//
//   - field 7, reactions: repeated entries, sub-field 1 {1 reacted-to stanza id, 2 reactor JID
//     (absent for the user's own), 3 emoji, 4 time} and, in newer stores, sub-field 2 the user's
//     own {1 stanza id, 2 emoji, 3 time}. Several public readers agree on sub-field 1; one, checked
//     on an iOS 26 backup, adds sub-field 2. An empty emoji is a reaction taken back.
//   - field 8, a poll (ZMESSAGETYPE 46): {2 question, 3 repeated option {1 text}, 5 repeated vote
//     {1 option indices, 4 voter JID}, 6 the creator's own vote}. One public reader only.
const (
	receiptReactions = 7
	receiptPoll      = 8
	maxReceipt       = 1 << 20 // far more than any real blob (a few hundred bytes)
	maxReactions     = 256
	maxPollOptions   = 64
	maxPollVotes     = 4096
)

// receipt is what a ZRECEIPTINFO blob says about its message.
type receipt struct {
	reactions []iosReaction
	poll      *archive.Poll
	votes     []iosVote
	skipped   int // entries of fields 7 and 8 whose layout is not the known one
}

type iosReaction struct {
	jid   string // "" for the user's own
	emoji string // "" when taken back
	at    time.Time
}

type iosVote struct {
	jid     string // "" with creator: the poll's author
	creator bool
	options []int
}

var errReceiptSize = errors.New("larger than 1 MiB")

// parseReceipt reads a ZRECEIPTINFO blob. A blob that is no protobuf, or is cut short, is an
// error: the caller counts it. Fields other than 7 and 8 (delivery and read receipts) are skipped.
func parseReceipt(b []byte) (receipt, error) {
	var rc receipt
	if len(b) > maxReceipt {
		return rc, errReceiptSize
	}
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		switch {
		case num == receiptReactions && typ == protowire.BytesType:
			return eachField(v, func(sub protowire.Number, styp protowire.Type, e []byte, _ uint64) error {
				if styp != protowire.BytesType || (sub != 1 && sub != 2) {
					rc.skipped++
					return nil
				}
				r, ok, err := reactionEntry(e, sub == 2)
				if err != nil {
					return err
				}
				if !ok {
					rc.skipped++
				} else if len(rc.reactions) < maxReactions {
					rc.reactions = append(rc.reactions, r)
				}
				return nil
			})
		case num == receiptPoll && typ == protowire.BytesType && rc.poll == nil:
			return rc.readPoll(v)
		}
		return nil
	})
	return rc, err
}

// reactionEntry reads one reaction. The user's own carry no JID: in sub-field 2 the emoji is
// field 2; in sub-field 1 field 2 is then missing, or not a JID.
func reactionEntry(e []byte, mine bool) (iosReaction, bool, error) {
	var f2, f3 []byte
	var has2, has3 bool
	var t3, t4 uint64
	err := eachField(e, func(num protowire.Number, typ protowire.Type, v []byte, n uint64) error {
		switch {
		case num == 2 && typ == protowire.BytesType:
			f2, has2 = v, true
		case num == 3 && typ == protowire.BytesType:
			f3, has3 = v, true
		case num == 3 && typ == protowire.VarintType:
			t3 = n
		case num == 4 && typ == protowire.VarintType:
			t4 = n
		}
		return nil
	})
	if err != nil {
		return iosReaction{}, false, err
	}
	isJID := strings.Contains(string(f2), "@")
	switch {
	case !mine && (has3 || (has2 && isJID)) && (!has2 || isJID):
		// {2 reactor JID, 3 emoji, 4 time}; no JID: the user's; no emoji (proto3 leaves an
		// empty string out): taken back.
		if !isEmoji(f3) {
			return iosReaction{}, false, nil
		}
		return iosReaction{jid: string(f2), emoji: string(f3), at: receiptTime(t4)}, true, nil
	case has2 && !has3 && !isJID:
		// The user's own {2 emoji, 3 time}.
		if !isEmoji(f2) {
			return iosReaction{}, false, nil
		}
		return iosReaction{emoji: string(f2), at: receiptTime(t3)}, true, nil
	case mine && !has2 && !has3:
		return iosReaction{at: receiptTime(t3)}, true, nil // the user's own, taken back
	}
	return iosReaction{}, false, nil
}

// isEmoji accepts what a reaction can be: empty (taken back) or a short UTF-8 text.
func isEmoji(b []byte) bool {
	return len(b) <= 64 && utf8.Valid(b) && !strings.ContainsAny(string(b), "\x00\n")
}

// receiptTime reads a reaction's time: milliseconds (as WhatsApp's own messages carry them) or
// seconds since 1970; anything else is unknown.
func receiptTime(v uint64) time.Time {
	switch {
	case v >= 1e12 && v < 1e14:
		return time.UnixMilli(int64(v)).UTC()
	case v >= 1e9 && v < 1e11:
		return time.Unix(int64(v), 0).UTC()
	}
	return time.Time{}
}

func (rc *receipt) readPoll(b []byte) error {
	p := &archive.Poll{}
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if typ != protowire.BytesType {
			return nil
		}
		switch num {
		case 2:
			if p.Question == "" && utf8.Valid(v) {
				p.Question = string(v)
			}
		case 3:
			if len(p.Options) >= maxPollOptions {
				rc.skipped++
				return nil
			}
			var text string
			err := eachField(v, func(n protowire.Number, t protowire.Type, s []byte, _ uint64) error {
				if n == 1 && t == protowire.BytesType && text == "" {
					text = string(s)
				}
				return nil
			})
			if err != nil {
				return err
			}
			if !utf8.ValidString(text) {
				text = strings.ToValidUTF8(text, "\uFFFD")
			}
			p.Options = append(p.Options, archive.PollOption{Text: text})
		case 5, 6:
			vt := iosVote{creator: num == 6}
			err := eachField(v, func(n protowire.Number, t protowire.Type, s []byte, x uint64) error {
				switch {
				case n == 1 && t == protowire.VarintType:
					vt.options = appendOption(vt.options, x)
				case n == 1 && t == protowire.BytesType: // packed
					for len(s) > 0 {
						x, m := protowire.ConsumeVarint(s)
						if m < 0 {
							return protowire.ParseError(m)
						}
						vt.options = appendOption(vt.options, x)
						s = s[m:]
					}
				case n == 4 && t == protowire.BytesType:
					vt.jid = string(s)
				}
				return nil
			})
			if err != nil {
				return err
			}
			if len(rc.votes) < maxPollVotes {
				rc.votes = append(rc.votes, vt)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if p.Question != "" || len(p.Options) > 0 {
		rc.poll = p
	}
	return nil
}

func appendOption(opts []int, x uint64) []int {
	if x < maxPollOptions && len(opts) < maxPollOptions {
		return append(opts, int(x))
	}
	return opts
}

// eachField calls fn for each field of one protobuf message: v is a length-delimited field's
// bytes, n a varint's value. A malformed or truncated message is an error.
func eachField(b []byte, fn func(num protowire.Number, typ protowire.Type, v []byte, n uint64) error) error {
	for len(b) > 0 {
		num, typ, m := protowire.ConsumeTag(b)
		if m < 0 {
			return protowire.ParseError(m)
		}
		b = b[m:]
		var v []byte
		var n uint64
		switch typ {
		case protowire.BytesType:
			v, m = protowire.ConsumeBytes(b)
		case protowire.VarintType:
			n, m = protowire.ConsumeVarint(b)
		default:
			m = protowire.ConsumeFieldValue(num, typ, b)
		}
		if m < 0 {
			return protowire.ParseError(m)
		}
		b = b[m:]
		if err := fn(num, typ, v, n); err != nil {
			return err
		}
	}
	return nil
}
