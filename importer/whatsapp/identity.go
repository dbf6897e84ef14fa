package whatsapp

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
)

// A text export has no message ids, so a message is identified by a content key: its wall-clock
// time at the header's precision (not the UTC instant, so a different --tz does not make a
// duplicate), its author, its normalised text, and which occurrence of that same key it is in the
// file. The key starts with the time so that ids of a chronological export arrive in index order.
type keyCounter map[string]int

func (kc keyCounter) uid(r *wachat.Record) string {
	w := r.Time
	var stamp string
	if r.Precision == wachat.Second {
		stamp = fmt.Sprintf("%04d%02d%02dT%02d%02d%02d", w.Year, w.Month, w.Day, w.Hour, w.Minute, w.Second)
	} else {
		stamp = fmt.Sprintf("%04d%02d%02dT%02d%02d", w.Year, w.Month, w.Day, w.Hour, w.Minute)
	}
	h := sha256.New()
	h.Write([]byte(normalizeAuthor(r.Author)))
	h.Write([]byte{0})
	h.Write([]byte(normalizeText(r.Text)))
	if r.Attachment != nil {
		h.Write([]byte{0})
		h.Write([]byte(r.Attachment.FileName))
	}
	key := stamp + "-" + hex.EncodeToString(h.Sum(nil)[:10])
	n := kc[key]
	kc[key] = n + 1
	if n > 0 {
		return fmt.Sprintf("%s-%d", key, n+1)
	}
	return key
}

// normalizeText makes the key immune to what differs between two exports of the same message:
// Unicode normalisation form, runs of white space, invisible marks.
func normalizeText(s string) string {
	s = norm.NFC.String(s)
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) }), " ")
}

func normalizeAuthor(s string) string {
	if phone := phoneNumber(s); phone != "" {
		return phone
	}
	return normalizeText(s)
}

// phoneNumber returns the digits of an author shown as a phone number ("+49 151 2345-678",
// "+7 999 999-99-99"), with a leading + when written; "" when the author is a name.
func phoneNumber(s string) string {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s))
	digits := 0
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.' || r == '\u00a0' || r == '\u202f':
		default:
			return ""
		}
	}
	if digits < 6 {
		return ""
	}
	return b.String()
}

// participantKey identifies an author across exports: the phone number when the author is shown
// as one, otherwise the normalised name.
func participantKey(author string) (key, phone string) {
	if p := phoneNumber(author); p != "" {
		return "tel:" + p, p
	}
	return "name:" + normalizeText(author), ""
}
