package wachat

import "strings"

// System messages are the lines WhatsApp writes itself: the encryption
// notice, group changes, security code changes. Android writes them with
// no author ("12/9/20, 23:16 - Alice created group "X""); iOS writes them
// either with no author and an LRM before the text ("[1/11/23, 16:11:21]
// ‎You created group “X”") or with the group's name, the other person's
// name or the actor in the author position and an LRM before the text
// ("[29/11/2018, 10:50:41] Super Group: ‎Josh added you"). A few older
// exports write the group's name without the LRM before the encryption
// notice. This file recognises the wordings and names the event.

type eventGlob struct {
	glob  string // normalised as by norm; "*" matches any text
	event string
}

// recentGlobs are wordings of recent app versions (English, German,
// Russian, from real exports) and the events of newer features; they are
// tried before the generated eventGlobs.
var recentGlobs = []eventGlob{
	{"* created this group", EventGroupCreated},
	{"you created this group", EventGroupCreated},
	{"* joined using this group's invite link", EventJoinedViaLink},
	{"* joined using your invite", EventJoinedViaLink},
	{"* joined from the community", EventMemberJoined},
	{"* changed the subject to \"*\"", EventSubjectChanged},
	{"* changed the subject from \"*\" to \"*\"", EventSubjectChanged},
	{"* changed the group name to \"*\"", EventSubjectChanged},
	{"* changed the group name from \"*\" to \"*\"", EventSubjectChanged},
	{"* changed this group's icon", EventIconChanged},
	{"* changed the group icon", EventIconChanged},
	{"* deleted this group's icon", EventIconDeleted},
	{"* changed the group description", EventDescriptionChanged},
	{"* deleted the group description", EventDescriptionChanged},
	{"* changed this group's settings*", EventSettingsChanged},
	{"* changed the settings*", EventSettingsChanged},
	{"* turned on admin approval*", EventSettingsChanged},
	{"* turned off admin approval*", EventSettingsChanged},
	{"* reset this group's invite link*", EventSettingsChanged},
	{"you're now an admin", EventAdminChanged},
	{"you're no longer an admin", EventAdminChanged},
	{"* turned on disappearing messages*", EventDisappearingOn},
	{"* updated the message timer*", EventDisappearingOn},
	{"disappearing messages were turned on*", EventDisappearingOn},
	{"* uses a default timer for disappearing messages*", EventDisappearingOn},
	{"* turned off disappearing messages*", EventDisappearingOff},
	{"disappearing messages were turned off*", EventDisappearingOff},
	{"* changed their phone number*", EventNumberChanged},
	{"* changed to *", EventNumberChanged},
	{"du hast die gruppe \"*\" erstellt", EventGroupCreated},
	{"* hat die gruppe \"*\" erstellt", EventGroupCreated},
	{"du hast * hinzugefügt", EventMemberAdded},
	{"* hat * hinzugefügt", EventMemberAdded},
	{"* hat dich hinzugefügt", EventMemberAdded},
	{"du hast * entfernt", EventMemberRemoved},
	{"* hat * entfernt", EventMemberRemoved},
	{"du hast den gruppennamen zu \"*\" geändert", EventSubjectChanged},
	{"du hast den gruppennamen von \"*\" zu \"*\" geändert", EventSubjectChanged},
	{"* hat den gruppennamen * geändert", EventSubjectChanged},
	{"du hast das gruppenbild geändert", EventIconChanged},
	{"* hat das gruppenbild geändert", EventIconChanged},
	{"* добавил(-а) контакт *", EventMemberAdded},
	{"* добавил(-а) *", EventMemberAdded},
	{"* удалил(-а) *", EventMemberRemoved},
	{"* вышел(-ла)", EventMemberLeft},
	// Generic forms last: they would swallow the specific ones.
	{"* added you", EventMemberAdded},
	{"you were added", EventMemberAdded},
	{"* was added", EventMemberAdded},
	{"* added *", EventMemberAdded},
	{"* removed you", EventMemberRemoved},
	{"you were removed", EventMemberRemoved},
	{"* was removed", EventMemberRemoved},
	{"* removed *", EventMemberRemoved},
	{"you left", EventMemberLeft},
	{"* left", EventMemberLeft},
	{"* joined", EventMemberJoined},
}

// businessPrefixes start the notices of chats with business accounts.
var businessPrefixes = []string{
	"this business uses a secure service from meta",
	"this business is now using a secure service from meta",
	"this chat is with a business account",
	"this chat is with an official business account",
	"this chat is with the official business account",
}

// e2eWords appear in every encryption notice of a language; they catch
// wordings newer than e2ePrefixes in system lines (never in messages).
var e2eWords = []string{
	"end-to-end", "ende-zu-ende", "extremo a extremo", "bout en bout", "ponta a ponta",
	"ponto a ponto", "ponta-a-ponta", "uçtan uca", "сквозным шифрованием", "наскрізним",
	"端到端", "端對端", "エンドツーエンド", "종단간", "end-to-end-krypter", "ende-til-ende",
}

// maxSystemText bounds the length of texts tried as system wordings. The
// longest notices (encryption, disappearing messages) are about 300 bytes
// in scripts that take 3 bytes a character.
const maxSystemText = 1200

// systemEvent names the event of a system text (any form; it is normalised
// here), or returns "" when the wording is not recognised.
func systemEvent(text string) string {
	if len(text) > maxSystemText {
		// WhatsApp's notices are short; a long text is not one of them
		// (and matching it against every wording would take long).
		return ""
	}
	n := norm(text)
	if n == "" {
		return ""
	}
	if hasSentencePrefix(n, e2ePrefixes) {
		return EventE2ENotice
	}
	if hasAnyPrefix(n, businessPrefixes) {
		return EventBusinessNotice
	}
	for _, g := range securityGlobs {
		if globMatch(g, n) {
			return EventSecurityCode
		}
	}
	if missedCalls[n] {
		return EventMissedCall
	}
	for _, w := range e2eWords {
		if strings.Contains(n, w) {
			return EventE2ENotice
		}
	}
	for _, g := range recentGlobs {
		if globMatch(g.glob, n) {
			return g.event
		}
	}
	for _, g := range eventGlobs {
		if globMatch(g.glob, n) {
			return g.event
		}
	}
	return ""
}

// hasSentencePrefix reports whether s starts with one of the sentences
// (normalised, so without their full stop), followed by a full stop or the
// end: "Messages and calls are end-to-end encrypted, right?" is a
// question, not the notice.
func hasSentencePrefix(s string, sentences []string) bool {
	for _, p := range sentences {
		if !strings.HasPrefix(s, p) {
			continue
		}
		rest := s[len(p):]
		if rest == "" || rest[0] == '.' || strings.HasPrefix(rest, "。") || strings.HasPrefix(rest, "।") {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// globMatch reports whether s matches pattern p, where "*" matches any
// run of bytes (also none) and every other byte itself.
func globMatch(p, s string) bool {
	// The classic iterative matcher: remember the last star and where it
	// started matching, and widen it on a mismatch.
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == s[si]:
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// strongIndex maps the first two words of the notices that can appear
// with a name in the author position and no LRM (older exports) to the
// notices.
var strongIndex = map[string][]string{}

// securityGlobs are securityCodeGlobs followed by anything ("Tap to
// learn more.").
var securityGlobs []string

func init() {
	for _, g := range securityCodeGlobs {
		securityGlobs = append(securityGlobs, g+"*")
	}
	for _, list := range [][]string{e2ePrefixes, businessPrefixes} {
		for _, p := range list {
			k := firstWords(p)
			strongIndex[k] = append(strongIndex[k], p)
		}
	}
}

// firstWords returns the first two words of a normalised text.
func firstWords(s string) string {
	sp := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			sp++
			if sp == 2 {
				return s[:i]
			}
		}
	}
	return s
}

// strongSystem reports whether a message text (after a name) is one of the
// notices of strongIndex. It is on the path of every message, so it looks
// only at the first two words (lower-cased in a stack buffer) before doing
// anything that allocates.
func strongSystem(text string) bool {
	if len(text) < 24 {
		return false
	}
	var buf [48]byte
	n, sp := 0, 0
	for i := 0; i < len(text) && n < len(buf); i++ {
		c := text[i]
		if c == ' ' {
			sp++
			if sp == 2 {
				break
			}
		}
		if c >= 'A' && c <= 'Z' {
			c |= 0x20
		}
		buf[n] = c
		n++
	}
	if _, ok := strongIndex[string(buf[:n])]; !ok {
		return false
	}
	t := norm(text)
	return hasSentencePrefix(t, e2ePrefixes) || hasAnyPrefix(t, businessPrefixes)
}
