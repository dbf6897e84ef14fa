package wachat

import (
	"fmt"
	"strings"
)

// This file turns the body of a message (what follows the header) into
// the record's author, kind and text. It runs for every message, so the
// common case (a plain text message) is kept to a few byte scans and at
// most one map lookup, without allocating: Author and Text are then
// substrings of Raw.

// exactTable holds the bodies recognised by their whole (normalised) first
// line: deleted messages, missed calls, live locations, iOS placeholders
// for left-out media, polls.
var exactTable = map[string]exactEntry{}

type exactEntry struct {
	kind    Kind
	media   string // attachment kind for KindMediaOmitted
	event   string
	caption bool // the lines after the first are kept as text
}

// maxExact bounds the length of first lines looked up in exactTable; no
// entry is longer (init checks).
const maxExact = 160

var missedCalls = setOf(missedCallTexts)

func init() {
	omitted := make(map[string]string, 2*len(iosOmitted))
	for s, k := range iosOmitted {
		for _, v := range variants(s) {
			omitted[v] = k
		}
	}
	iosOmitted = omitted
	add := func(list []string, e exactEntry) {
		for _, s := range list {
			for _, v := range variants(s) {
				exactTable[v] = e
			}
		}
	}
	add(deletedTexts, exactEntry{kind: KindDeleted})
	add(missedCallTexts, exactEntry{kind: KindCall, event: EventMissedCall})
	add(liveLocationTexts, exactEntry{kind: KindLiveLocation})
	for s, k := range iosOmitted {
		exactTable[s] = exactEntry{kind: KindMediaOmitted, media: k}
	}
	exactTable["poll:"] = exactEntry{kind: KindPoll, caption: true}
	for s := range exactTable {
		if len(s) > maxExact {
			panic("wachat: exactTable entry longer than maxExact: " + s)
		}
	}
}

// editedMarks are what WhatsApp appends to an edited message, in angle
// brackets ("text <This message was edited>").
var editedMarks = setOf([]string{
	"this message was edited", "diese nachricht wurde bearbeitet", "se editó este mensaje",
	"este mensaje fue editado", "ce message a été modifié", "mensagem editada",
	"esta mensagem foi editada", "questo messaggio è stato modificato", "dit bericht is bewerkt",
	"bu mesaj düzenlendi", "сообщение изменено", "це повідомлення змінено", "pesan ini telah diedit",
	"wiadomość edytowana", "tato zpráva byla upravena",
})

// classify fills Author, HeaderName, Kind, Text, Event, Attachment,
// Location and Edited from the message's Raw. body is where the first
// line's body starts in raw, firstEnd where the first line ends.
func classify(rec *Record, raw string, body, firstEnd int) {
	all := raw[body:]
	first := raw[body:firstEnd]
	if startsWithDirMark(first) {
		// iOS and Android write an LRM before the text of system
		// messages that have no name in front. (Embeddings and isolates,
		// U+202A.. and U+2066.., wrap names instead: "‪+55 61 8121‑3457‬:".)
		system(rec, all, "")
		return
	}
	ai, ti := authorSplit(first)
	if ai < 0 {
		system(rec, all, "")
		return
	}
	author := first[:ai]
	if ok, spaces := plausibleAuthor(author); !ok || spaces >= 3 && startsWithQuote(first[ti:]) && systemEvent(all) != "" {
		// "Alice changed the subject to "Re: lunch"": the colon is in the
		// system text, not after a name; and a few languages put a colon
		// before the group's name ("Alice létrehozta a következő
		// csoportot: "X"").
		system(rec, all, "")
		return
	}
	text := all[ti:]
	rec.Author = cleanName(author)
	if rec.Author == "" {
		system(rec, all, "")
		return
	}
	message(rec, text)
	if rec.Kind == KindText && (startsWithMark(text) || strongSystem(text)) {
		// A text that starts with an LRM after a name is a system message
		// when its wording is one (deleted-message and media markers,
		// which also start with an LRM, were recognised above).
		if ev := systemEvent(text); ev != "" && ev != EventMissedCall {
			*rec = Record{Line: rec.Line, EndLine: rec.EndLine, Time: rec.Time, Precision: rec.Precision, Raw: rec.Raw, Problems: rec.Problems}
			system(rec, text, author)
		}
	}
}

// authorSplit finds the ": " after the author in a first line (or a final
// ":" when the message is empty). It returns the end of the author and the
// start of the text, or -1, -1.
func authorSplit(first string) (int, int) {
	for off := 0; ; {
		i := strings.IndexByte(first[off:], ':')
		if i < 0 {
			return -1, -1
		}
		i += off
		if i+1 == len(first) {
			return i, i + 1
		}
		if first[i+1] == ' ' {
			return i, i + 2
		}
		off = i + 1
	}
}

// plausibleAuthor rejects author candidates that are the start of a system
// text: an odd number of straight quotes or a curly quote (a group subject
// that contains ": "). It also counts the spaces in the candidate.
func plausibleAuthor(a string) (ok bool, spaces int) {
	quotes := 0
	for i := 0; i < len(a); i++ {
		switch a[i] {
		case ' ':
			spaces++
		case '"':
			quotes++
		case 0xE2:
			if i+2 < len(a) && a[i+1] == 0x80 && (a[i+2] == 0x9C || a[i+2] == 0x9D) {
				return false, spaces // “ ”
			}
		case 0xC2:
			if i+1 < len(a) && (a[i+1] == 0xAB || a[i+1] == 0xBB) {
				return false, spaces // « »
			}
		}
	}
	return quotes%2 == 0, spaces
}

// system fills a system record. name is what stood in the author position
// (iOS), if anything.
func system(rec *Record, text, name string) {
	rec.Kind = KindSystem
	rec.Author = ""
	if name != "" {
		rec.HeaderName = cleanName(name)
	}
	rec.Text = stripMarks(dropTrailingBlankLines(text))
	ev := systemEvent(rec.Text)
	switch ev {
	case "":
		ev = EventUnknown
	case EventMissedCall:
		rec.Kind = KindCall
	}
	rec.Event = ev
}

// message fills a record that has an author.
func message(rec *Record, text string) {
	text = dropTrailingBlankLines(text)
	rec.Kind = KindText
	if text == "" {
		rec.Kind = KindEmpty
		return
	}
	if text[len(text)-1] == '>' {
		if i := editedAt(text); i >= 0 {
			rec.Edited = true
			text = strings.TrimRight(text[:i], " \u00a0")
		}
	}
	if text == "null" {
		rec.Kind = KindViewOnce
		return
	}
	marks := hasMarkString(text)
	first, rest, multi := firstLine(text)
	if media(rec, text, first, rest, multi, marks) {
		return
	}
	if len(first) <= maxExact && strings.IndexByte(first, 0xF0) < 0 {
		// (No wording in exactTable has an emoji or another character
		// beyond the BMP, so a line with one is skipped cheaply.)
		var buf [2 * maxExact]byte
		if e, ok := exactTable[string(appendNorm(buf[:0], first))]; ok {
			rec.Kind, rec.Event = e.kind, e.event
			switch e.kind {
			case KindMediaOmitted:
				rec.Attachment = &Attachment{Omitted: true, Kind: e.media}
			case KindLiveLocation:
				rec.Location = &Location{Live: true}
			}
			if e.caption || e.kind == KindMediaOmitted {
				rec.Text = stripMarks(rest)
			}
			if !e.caption && multi && e.kind != KindMediaOmitted {
				// "This message was deleted" with more lines is not the
				// marker but a text that starts like it.
				rec.Kind, rec.Event, rec.Attachment, rec.Location = KindText, "", nil, nil
				rec.Text = stripMarks(text)
			}
			return
		}
	}
	if strings.Contains(text, "://") {
		clean := text
		if marks {
			clean = stripMarks(text)
		}
		if loc, ok := parseLocation(clean); ok {
			rec.Kind, rec.Location = KindLocation, loc
			return
		}
	}
	if marks {
		text = stripMarks(text)
	}
	rec.Text = text
}

// media recognises attachments and media placeholders; see attachment.go.
func media(rec *Record, text, first, rest string, multi, marks bool) bool {
	f := trimBlankString(first)
	if f == "" {
		return false
	}
	c0, cn := f[0], f[len(f)-1]
	if c0 != '<' && cn != ')' && cn != '>' && !marks && !multi {
		return false
	}
	if c0 == '<' && cn == '>' {
		var buf [2 * maxExact]byte
		inner := appendNorm(buf[:0], f[1:len(f)-1])
		if androidOmittedSet[string(inner)] {
			rec.Kind = KindMediaOmitted
			a := &Attachment{Omitted: true}
			rec.Attachment = a
			rest = stripMarks(rest)
			if !strings.Contains(rest, "\n") && guessKind(rest) == "document" {
				// Android writes a document's name on the line after
				// the placeholder.
				a.FileName, a.Kind = rest, "document"
				return true
			}
			rec.Text = rest
			return true
		}
		if k, ok := viewOnceOmitted[string(inner)]; ok {
			rec.Kind = KindViewOnce
			rec.Attachment = &Attachment{Omitted: true, Kind: k}
			rec.Text = stripMarks(rest)
			return true
		}
		if k, ok := iosOmitted[string(inner)]; ok { // "<‎audio omitted>" (2015), "<Video note omitted>"
			rec.Kind = KindMediaOmitted
			rec.Attachment = &Attachment{Omitted: true, Kind: k}
			rec.Text = stripMarks(rest)
			return true
		}
	}
	if cn == ')' {
		if name, ok := androidAttachment(f); ok {
			rec.Kind = KindAttachment
			rec.Attachment = &Attachment{FileName: name, Kind: guessKind(name)}
			rec.Text = stripMarks(rest)
			return true
		}
	}
	if cn == '>' {
		if i := strings.LastIndexByte(f, '<'); i > 0 && inSet(androidOmittedSet, f[i+1:len(f)-1]) {
			// "text <media omitted>" (2012 exports)
			rec.Kind = KindMediaOmitted
			rec.Attachment = &Attachment{Omitted: true}
			rec.Text = joinText(stripMarks(trimBlankString(f[:i])), stripMarks(rest))
			return true
		}
		if start, name, ok := iosTag(f); ok {
			tagged(rec, f[:start], name, rest)
			return true
		}
	}
	if multi && strings.IndexByte(f, '<') >= 0 && strings.HasSuffix(text, ">") {
		// A tag broken over several lines (seen in a damaged export):
		// "‎<attached: \n00000035-PHOTO-2022-03-27-21-4\n1-55.jpg>".
		joined := strings.ReplaceAll(text, "\n", "")
		if start, name, ok := iosTag(joined); ok {
			tagged(rec, joined[:start], name, "")
			rec.Problems = append(rec.Problems, fmt.Sprintf("attachment tag broken over %d lines", strings.Count(text, "\n")+1))
			return true
		}
	}
	if marks && !multi {
		if k, before, ok := iosOmittedAt(f); ok && before != "" {
			title, pages := titleAndPages(before)
			rec.Kind = KindMediaOmitted
			rec.Attachment = &Attachment{Omitted: true, Kind: k, FileName: title, Pages: pages}
			return true
		}
	}
	return false
}

// tagged fills a record for an iOS attachment tag; before is what precedes
// the tag on its line (a document's title and page count, or a caption).
func tagged(rec *Record, before, name, rest string) {
	rec.Kind = KindAttachment
	a := &Attachment{FileName: name, Kind: guessKind(name)}
	rec.Attachment = a
	if i := strings.IndexByte(before, '<'); i >= 0 {
		rec.Problems = append(rec.Problems, "nested attachment tag")
		before = before[:i]
	}
	if name == "" {
		rec.Problems = append(rec.Problems, "attachment tag names no file")
	}
	title, pages := titleAndPages(before)
	a.Pages = pages
	caption := title
	if title != "" && strings.HasSuffix(name, title) {
		caption = "" // a document's title, repeated in its file name
	}
	rec.Text = joinText(caption, stripMarks(rest))
}

// joinText joins two parts of a text with a line break, leaving out empty
// ones.
func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n" + b
}

// editedAt returns where an "<This message was edited>" marker (or a
// localised one) at the end of text starts, or -1.
func editedAt(text string) int {
	i := strings.LastIndexByte(text, '<')
	if i < 0 || len(text)-i > 80 {
		return -1
	}
	if inSet(editedMarks, text[i+1:len(text)-1]) {
		return i
	}
	return -1
}

// inSet looks the normalised s up in set without allocating.
func inSet(set map[string]bool, s string) bool {
	var buf [2 * maxExact]byte
	return set[string(appendNorm(buf[:0], s))]
}

// startsWithQuote reports whether s starts with a quotation mark.
func startsWithQuote(s string) bool {
	for _, q := range []string{`"`, "“", "„", "«", "「"} {
		if strings.HasPrefix(s, q) {
			return true
		}
	}
	return false
}
