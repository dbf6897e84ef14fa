package export

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// Segment is a piece of message text: plain text, or a link when URL is set.
type Segment struct {
	Text string
	URL  string
}

// Linkify splits text into plain text and links. Only http, https and mailto links become links;
// anything else ("javascript:...", "data:...", "file:...") stays text.
func Linkify(text string) []Segment {
	if strings.IndexByte(text, ':') < 0 { // every link has one; most messages have none
		return appendText(nil, text)
	}
	var out []Segment
	rest := text
	for rest != "" {
		i, scheme := nextLink(rest)
		if i < 0 {
			break
		}
		end := i + len(scheme)
		for end < len(rest) {
			r, n := utf8.DecodeRuneInString(rest[end:])
			if r <= ' ' || r == '<' || r == '>' || r == '"' || r == '\u00a0' || r >= 0x2000 && r <= 0x206f || r == 0xfeff {
				break
			}
			end += n
		}
		// Trailing punctuation belongs to the sentence, not the link.
		for end > i+len(scheme) && strings.ContainsRune(".,;:!?)]}'", rune(rest[end-1])) {
			if rest[end-1] == ')' && strings.Count(rest[i:end], "(") >= strings.Count(rest[i:end], ")") {
				break
			}
			end--
		}
		raw := rest[i:end]
		u, err := url.Parse(raw)
		if end == i+len(scheme) || err != nil || !allowedScheme(u.Scheme) || (u.Scheme != "mailto" && u.Host == "") {
			out = appendText(out, rest[:end])
			rest = rest[end:]
			continue
		}
		out = appendText(out, rest[:i])
		out = append(out, Segment{Text: raw, URL: u.String()})
		rest = rest[end:]
	}
	return appendText(out, rest)
}

func appendText(out []Segment, s string) []Segment {
	if s == "" {
		return out
	}
	if n := len(out); n > 0 && out[n-1].URL == "" {
		out[n-1].Text += s
		return out
	}
	return append(out, Segment{Text: s})
}

// nextLink finds the next http://, https:// or mailto: at a word start, ignoring ASCII case. It
// compares bytes in place (strings.ToLower could change the length of invalid UTF-8 and so the
// offsets).
func nextLink(s string) (int, string) {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c != 'h' && c != 'm' {
			continue
		}
		if i > 0 && isWordByte(lowerASCII(s[i-1])) {
			continue
		}
		for _, p := range []string{"https://", "http://", "mailto:"} {
			if hasPrefixFold(s[i:], p) {
				return i, p
			}
		}
	}
	return -1, ""
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c | 0x20
	}
	return c
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b >= 0x80
}

func allowedScheme(s string) bool {
	switch strings.ToLower(s) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// SafeURL returns u when it is an http, https or mailto URL, "" otherwise. For URLs that come
// from a source's structured data (a shared location's link), not from text.
func SafeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || !allowedScheme(p.Scheme) || (p.Scheme != "mailto" && p.Host == "") {
		return ""
	}
	return p.String()
}

// WebURL returns u cleaned when it is an http or https address with a host, else "": the links
// of cards (a shared article, a mini program) go only to web pages.
func WebURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return p.String()
}
