// Package vcard writes the archive's contacts (the participants of its conversations) as vCard
// 3.0 (RFC 2426), which every address book imports, with text escaped as RFC 6350 section 3.4
// says and long lines folded at 75 octets.
package vcard

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// Options say which contacts to write.
type Options struct {
	IncludeMe bool // also write the user's own entries
}

// Write writes one card per participant, most active first, and returns how many.
func Write(ctx context.Context, a *archive.Archive, w io.Writer, opts Options) (int, error) {
	ps, err := a.Participants(ctx)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(w)
	n := 0
	for _, p := range ps {
		if p.IsMe && !opts.IncludeMe {
			continue
		}
		if err := card(bw, p); err != nil {
			return n, err
		}
		n++
	}
	return n, bw.Flush()
}

func card(w *bufio.Writer, p archive.ParticipantSummary) error {
	name := export.CleanName(p.Name)
	if name == "" {
		name = export.CleanName(p.Phone)
	}
	if name == "" {
		name = p.Key
	}
	sum := sha256.Sum256([]byte(p.Service + "\x00" + p.Key))
	lines := []string{
		"BEGIN:VCARD",
		"VERSION:3.0",
		"FN:" + Escape(name),
		"N:;" + Escape(name) + ";;;",
	}
	if phone := strings.TrimSpace(p.Phone); phone != "" {
		lines = append(lines, "TEL;TYPE=CELL:"+Escape(phone))
	}
	lines = append(lines,
		"CATEGORIES:"+Escape(p.Service),
		"NOTE:"+Escape(fmt.Sprintf("%s contact from chatvault: %s in %s", p.Service, plural(p.Messages, "message"), plural(p.Conversations, "conversation"))),
		"X-CHATVAULT-KEY:"+Escape(p.Service+"/"+p.Key),
		"UID:urn:chatvault:"+hex.EncodeToString(sum[:16]),
		"END:VCARD",
	)
	for _, l := range lines {
		if _, err := w.WriteString(Fold(l)); err != nil {
			return err
		}
	}
	return nil
}

// Escape escapes a text value: backslash, comma and semicolon get a backslash, line breaks
// become \n, and other control characters are dropped.
func Escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '\\' || r == ',' || r == ';':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f || export.IsBidiControl(r):
		case r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Fold ends a content line with CRLF, breaking it into lines of at most 75 octets (the
// continuations start with a space), never inside a UTF-8 sequence.
func Fold(line string) string {
	const max = 75
	if len(line) <= max {
		return line + "\r\n"
	}
	var b strings.Builder
	limit := max
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = max - 1 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
