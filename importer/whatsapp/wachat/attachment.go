package wachat

import (
	"strings"
	"unicode/utf8"
)

// Media show up in exports in these forms:
//
//	IMG-20200101-WA0001.jpg (file attached)              Android, file in the export
//	‎PTT-20180129-WA0025.opus (Datei angehängt)           Android, localised
//	<Media omitted>                                      Android, export without media
//	‎<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>  iOS, file in the export
//	‎<Anhang: PTT-20180129-WA0025.opus>                  iOS, localised
//	Some file.txt ‎<attached: 00000046-Some file.txt>    iOS document: its title, then the tag
//	2015-08-04-PHOTO-00004762.jpg <‎attached>            iOS around 2015
//	‎image omitted, ‎GIF omitted, ‎Bild weggelassen       iOS, export without media
//	Resume.pdf • ‎2 pages ‎document omitted              iOS document without media
//	<‎audio omitted>                                     iOS around 2015
//
// On Android a caption follows on the next lines.

var (
	androidOmittedSet  = setOf(androidOmitted)
	androidAttachedSet = setOf(androidAttached)
	iosLabelSet        = setOf(iosAttachedLabels)
)

// setOf makes a lookup set of a word list, with each wording's other
// spellings (see variants).
func setOf(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		for _, v := range variants(s) {
			m[v] = true
		}
	}
	return m
}

// androidAttachment reads "NAME (file attached)". The wording in the
// parentheses must be a known one, unless the name is one WhatsApp gives
// media files (then a wording of a language not in the tables is accepted).
func androidAttachment(line string) (name string, ok bool) {
	if !strings.HasSuffix(line, ")") {
		return "", false
	}
	i := strings.LastIndex(line, " (")
	if i < 0 {
		return "", false
	}
	name = trimBlankString(line[:i])
	inner := line[i+2 : len(line)-1]
	if inSet(androidAttachedSet, inner) || waMediaName(stripMarks(name)) && len(inner) < 64 {
		return stripMarks(name), true
	}
	return "", false
}

// iosTag reads an attachment tag at the end of s: "<label: name>" with a
// known label (or any label when the name is one WhatsApp gives media),
// "< pièce jointe : name >", "<附件：name>", Turkish "<name eklendi>", and
// the old "<attached>" after the name. It returns where the tag starts and
// the file name ("" for an empty tag).
func iosTag(s string) (start int, name string, ok bool) {
	s = strings.TrimRight(s, " ")
	if !strings.HasSuffix(s, ">") {
		return 0, "", false
	}
	start = strings.LastIndexByte(s, '<')
	if start < 0 {
		return 0, "", false
	}
	inner := s[start+1 : len(s)-1]
	if i, n := labelColon(inner); i >= 0 {
		label := inner[:i]
		name = strings.TrimSpace(stripMarks(inner[i+n:]))
		if inSet(iosLabelSet, label) || waMediaName(name) && utf8.RuneCountInString(label) < 24 {
			return start, name, true
		}
		return 0, "", false
	}
	ni := norm(inner)
	if ni == "attached" {
		// "2015-08-04-PHOTO-00004762.jpg <‎attached>": the name is before.
		return start, strings.TrimSpace(stripMarks(s[:start])), true
	}
	if strings.HasSuffix(ni, " eklendi") {
		return start, strings.TrimSpace(stripMarks(inner[:strings.LastIndex(inner, " eklendi")])), true
	}
	return 0, "", false
}

// labelColon finds the colon (ASCII or full-width) after an attachment
// tag's label, and its length.
func labelColon(s string) (int, int) {
	i := strings.IndexByte(s, ':')
	j := strings.Index(s, "：")
	switch {
	case j >= 0 && (i < 0 || j < i):
		return j, len("：")
	case i >= 0:
		return i, 1
	}
	return -1, 0
}

// iosOmittedAt reads an iOS placeholder for left-out media at the end of a
// line: the whole line ("‎image omitted") or what follows its last mark
// ("Template.docx ‎document omitted"). It returns the media kind and what
// stands before the placeholder (a document's title).
func iosOmittedAt(line string) (kind, before string, ok bool) {
	if k, ok := iosOmitted[norm(line)]; ok {
		return k, "", true
	}
	// The placeholder follows an LRM (RLM in right-to-left locales); a
	// document's title and page count come before it.
	for i := len(line) - 1; i > 0; i-- {
		if line[i] != 0xE2 || markLenString(line, i) == 0 {
			continue
		}
		k, ok := iosOmitted[norm(line[i:])]
		if ok {
			return k, line[:i], true
		}
		return "", "", false
	}
	return "", "", false
}

// titleAndPages splits what stands before an iOS document placeholder or
// tag, "Resume.pdf • ‎2 pages ", into the title and the page count.
func titleAndPages(s string) (string, int) {
	title, pagesPart, found := strings.Cut(s, "•")
	if !found {
		return trimBlankString(stripMarks(s)), 0
	}
	pages := 0
	b := []byte(pagesPart)
	for i := 0; i < len(b); {
		if v, w, _ := number(b, i); w > 0 && w < 5 {
			pages = v
			break
		}
		_, n := utf8.DecodeRune(b[i:])
		i += n
	}
	return trimBlankString(stripMarks(title)), pages
}

// waMediaName reports whether name is one WhatsApp gives media files:
// IMG-20200101-WA0001.jpg (Android), 00000035-PHOTO-2022-03-27-21-41-55.jpg
// (iOS), 2015-08-04-PHOTO-00004762.jpg (old iOS).
func waMediaName(name string) bool {
	switch {
	case len(name) >= 19 && strings.Contains(name[:min(len(name), 24)], "-WA") && allDigits(name[4:12]) && name[3] == '-':
		return true // IMG-YYYYMMDD-WAnnnn.ext, PTT-..., STK-..., DOC-...
	case len(name) > 10 && allDigits(name[:8]) && name[8] == '-':
		return true // 00000035-PHOTO-... , 00000046-Some file.txt
	case len(name) > 11 && allDigits(name[:4]) && name[4] == '-' && allDigits(name[5:7]) && name[7] == '-' && allDigits(name[8:10]) && name[10] == '-':
		return true // 2015-08-04-PHOTO-00004762.jpg
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// guessKind tells the kind of media from a file name: WhatsApp's own
// prefixes and infixes first, then the extension.
func guessKind(name string) string {
	hasPrefix := func(p string) bool { return len(name) >= len(p) && strings.EqualFold(name[:len(p)], p) }
	has := func(p string) bool { return containsFold(name, p) }
	switch {
	case hasPrefix("PTT-"):
		return "voice"
	case hasPrefix("IMG-") || has("-PHOTO-"):
		return "photo"
	case hasPrefix("VID-") || has("-VIDEO-"):
		return "video"
	case hasPrefix("STK-") || has("-STICKER-"):
		return "sticker"
	case hasPrefix("GIF-") || has("-GIF-"):
		return "gif"
	case hasPrefix("AUD-") || has("-AUDIO-"):
		if extIs(name, "opus") {
			return "voice" // iOS names voice notes -AUDIO-....opus
		}
		return "audio"
	case hasPrefix("DOC-"):
		return "document"
	}
	i := strings.LastIndexByte(name, '.')
	if i < 0 || len(name)-i > 6 {
		return ""
	}
	var buf [8]byte
	ext := buf[:0]
	for _, c := range []byte(name[i+1:]) {
		if c >= 'A' && c <= 'Z' {
			c |= 0x20
		}
		ext = append(ext, c)
	}
	switch string(ext) {
	case "jpg", "jpeg", "png", "heic", "heif", "bmp":
		return "photo"
	case "webp":
		return "sticker"
	case "gif":
		return "gif"
	case "mp4", "mov", "3gp", "mkv", "avi", "webm":
		return "video"
	case "opus":
		return "voice"
	case "m4a", "mp3", "aac", "ogg", "wav", "amr":
		return "audio"
	case "vcf":
		return "contact"
	case "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "zip", "rar", "csv", "odt", "ods", "rtf", "apk", "epub":
		return "document"
	}
	return ""
}

// containsFold reports whether s contains the ASCII string sub, ignoring
// ASCII case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func extIs(name, ext string) bool {
	return len(name) > len(ext) && name[len(name)-len(ext)-1] == '.' && strings.EqualFold(name[len(name)-len(ext):], ext)
}
