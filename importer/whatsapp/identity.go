package whatsapp

import (
	"crypto/sha256"
	"encoding/hex"
	"github.com/chatvault/chatvault/archive"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
)

// A text export has no message ids, so a message is identified by a content key: its wall-clock
// minute, whatever the header shows (iPhone exports carry seconds, Android ones do not, and both
// must give the same key; not the UTC instant, so a different --tz does not make a
// duplicate), its author, its normalised text, and which occurrence of that same key it is in the
// file. The key starts with the time so that ids of a chronological export arrive in index order.
//
// Only keys of recent timestamps are remembered, so memory stays bounded on a history of any
// length: identical keys share a timestamp, and exports are chronological but for small jumps.
type keyCounter struct {
	byStamp map[string]map[string]int // timestamp -> content hash -> occurrences so far
	order   []string                  // the remembered timestamps, oldest first
	authors map[string]string         // author as written -> normalised; a chat has few authors
}

// authorCacheSize bounds the author cache for a file that (oddly) names very many authors.
const authorCacheSize = 4096

const keyWindow = 256

func (kc *keyCounter) uid(r *wachat.Record) string {
	stamp, sum := kc.contentKey(r)
	counts := kc.stampCounts(stamp)
	n := counts[sum]
	counts[sum] = n + 1
	key := stamp + "-" + sum
	if n > 0 {
		return key + "-" + strconv.Itoa(n+1)
	}
	return key
}

// contentKey is a record's uid without the occurrence number: the wall-clock stamp and a hash of
// author, normalised text and attachment name. Every uid starts with it.
func (kc *keyCounter) contentKey(r *wachat.Record) (stamp, sum string) {
	stamp = wallStamp(r.Time)
	h := sha256.New()
	h.Write([]byte(kc.author(r.Author)))
	h.Write([]byte{0})
	h.Write([]byte(normalizeText(r.Text)))
	if r.Attachment != nil {
		h.Write([]byte{0})
		h.Write([]byte(r.Attachment.FileName))
	}
	return stamp, hex.EncodeToString(h.Sum(nil)[:10])
}

// wallStamp writes a wall-clock time as 20060102T1504.
func wallStamp(w wachat.Wall) string {
	b := make([]byte, 0, 15)
	pad := func(v, width int) {
		s := strconv.Itoa(v)
		for i := len(s); i < width; i++ {
			b = append(b, '0')
		}
		b = append(b, s...)
	}
	pad(w.Year, 4)
	pad(w.Month, 2)
	pad(w.Day, 2)
	b = append(b, 'T')
	pad(w.Hour, 2)
	pad(w.Minute, 2)
	return string(b)
}

func (kc *keyCounter) author(a string) string {
	if n, ok := kc.authors[a]; ok {
		return n
	}
	if kc.authors == nil || len(kc.authors) >= authorCacheSize {
		kc.authors = map[string]string{}
	}
	n := normalizeAuthor(a)
	kc.authors[a] = n
	return n
}

func (kc *keyCounter) stampCounts(stamp string) map[string]int {
	if kc.byStamp == nil {
		kc.byStamp = map[string]map[string]int{}
	}
	if c, ok := kc.byStamp[stamp]; ok {
		return c
	}
	c := map[string]int{}
	kc.byStamp[stamp] = c
	kc.order = append(kc.order, stamp)
	if len(kc.order) > keyWindow {
		delete(kc.byStamp, kc.order[0])
		kc.order = kc.order[1:]
	}
	return c
}

// normalizeText makes the key immune to what differs between two exports of the same message:
// Unicode normalisation form, runs of white space, invisible marks.
func normalizeText(s string) string {
	if isNormalized(s) {
		return s
	}
	return archive.MatchText(s) // the same form the archive matches messages across sources by
}

// isNormalized reports whether normalizeText would return s unchanged: single spaces only
// between words, no other white space, no invisible marks, already NFC. Most messages are.
func isNormalized(s string) bool {
	prevSpace := true // a leading space is not normal
	ascii := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
				return false
			case c == ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			default:
				prevSpace = false
			}
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
		prevSpace = false
		i += size
	}
	if prevSpace && s != "" {
		return false
	}
	return ascii || norm.NFC.IsNormalString(s)
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
