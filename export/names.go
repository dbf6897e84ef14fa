package export

import (
	"strings"
	"unicode"
)

// Names, titles and file names come from other people's phones. Bidirectional override and
// isolate controls in them (U+202A..U+202E, U+2066..U+2069) would reorder the text around where
// they are shown ("photo\u202Egpj.exe" shows as "photoexe.jpg"), and control characters would
// break lines or terminals, so CleanName removes both. Message text keeps its controls (it is
// what was written) and is shown inside an isolating element instead.

// IsBidiControl reports whether r is an embedding, override or isolate control.
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// CleanName makes a name, title or file name safe to show in one line: bidi controls and other
// control characters are removed, line breaks and tabs become spaces, and surrounding space is
// trimmed.
func CleanName(s string) string {
	clean := true
	for _, r := range s {
		if IsBidiControl(r) || unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case IsBidiControl(r) || unicode.IsControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// FileName makes an untrusted file name usable as one plain name inside an export folder: no
// directories ("../../etc/passwd" becomes "etc_passwd"), no controls, nothing a file system
// refuses, at most 120 bytes, never empty, never hidden.
func FileName(s string) string {
	s = CleanName(s)
	s = strings.ReplaceAll(s, "\\", "/")
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' })
	var keep []string
	for _, p := range parts {
		if p != "." && p != ".." {
			keep = append(keep, p)
		}
	}
	s = strings.Join(keep, "_")
	s = strings.Map(func(r rune) rune {
		switch r {
		case '<', '>', ':', '"', '|', '?', '*', 0:
			return '_'
		}
		return r
	}, s)
	s = strings.TrimLeft(strings.TrimSpace(s), ".")
	if len(s) > 120 {
		ext := ""
		if i := strings.LastIndexByte(s, '.'); i >= 0 && len(s)-i <= 10 {
			ext = s[i:]
		}
		cut := 120 - len(ext)
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + ext
	}
	if s == "" {
		return "file"
	}
	return s
}
