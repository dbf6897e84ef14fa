package whatsapp

import (
	"path/filepath"
	"regexp"
	"strings"
)

// WhatsApp names the export after the chat, in the phone's language: "WhatsApp Chat with Alice.txt",
// "WhatsApp Chat - Alice.zip", "WhatsApp Chat mit Jane Doe.txt", "Chat de WhatsApp con Ana",
// "Чат WhatsApp с контактом Dmitry", "Conversa do WhatsApp com Rui". The title is what follows
// the connecting word, or after " - ".
var titlePatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^.*whatsapp[^ ]*\s+-\s+(.+)$`),
	regexp.MustCompile(`(?i)^.*whatsapp.*?\s(?:with|mit|con|com|avec|met|med|ile|z|ze|cu|s|sa|с контактом|с|з|dengan|với|kasama|na|me|con il|amb)\s+(.+)$`),
}

var downloadCopySuffix = regexp.MustCompile(`\s*\(\d+\)$`)

// titleFromFileName derives a conversation title from an export's file name; "" when the name is
// generic (_chat.txt) or says nothing.
func titleFromFileName(name string) string {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	base = strings.Map(func(r rune) rune {
		if r == '\u00a0' || r == '\u202f' {
			return ' '
		}
		if isBidiMark(r) {
			return -1
		}
		return r
	}, base)
	base = strings.TrimSpace(base)
	// Browsers add " (1)" to a second download of the same name.
	base = strings.TrimSpace(downloadCopySuffix.ReplaceAllString(base, ""))
	if base == "" || strings.EqualFold(base, "_chat") {
		return ""
	}
	for _, re := range titlePatterns {
		if m := re.FindStringSubmatch(base); m != nil {
			return strings.TrimSpace(m[1])
		}
	}
	return base
}

// isBidiMark reports the invisible direction marks WhatsApp and file systems put around names
// (not the joiners inside emoji sequences, which are part of the name).
func isBidiMark(r rune) bool {
	return r == '\u200e' || r == '\u200f' || r == '\u061c' || r == '\ufeff' ||
		(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// namedInFileName says whether the export's file name names a 1:1 chat partner, so that the other
// author in a two-person chat is the user.
func namedInFileName(name string) bool {
	return strings.Contains(strings.ToLower(name), "whatsapp")
}
