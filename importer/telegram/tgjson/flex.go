package tgjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Field types that accept every shape Telegram Desktop versions have written for one field.

// Unix is a Unix time in seconds. Telegram writes it as a string ("1652135033"); a number is
// accepted too. 0 means absent.
type Unix int64

// UnmarshalJSON accepts "123", 123 and null.
func (u *Unix) UnmarshalJSON(b []byte) error {
	s, err := scalarText(b)
	if err != nil || s == "" {
		return err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("unix time %q is not a whole number", s)
	}
	*u = Unix(n)
	return nil
}

// Time is the instant in UTC, and false when absent.
func (u Unix) Time() (time.Time, bool) {
	if u == 0 {
		return time.Time{}, false
	}
	return time.Unix(int64(u), 0).UTC(), true
}

// PeerID is a sender or chat id as written: "user123", "channel456", "chat789" in current
// exports, a bare number ("123", as its decimal text) in 2020–21 exports, "" when absent.
type PeerID string

// UnmarshalJSON accepts a string, a number and null.
func (p *PeerID) UnmarshalJSON(b []byte) error {
	s, err := scalarText(b)
	*p = PeerID(s)
	return err
}

// Split parses the id into its kind ("user", "channel", "chat", or "" for a bare number) and
// number.
func (p PeerID) Split() (kind string, id int64, ok bool) {
	s := string(p)
	i := strings.IndexFunc(s, func(r rune) bool { return r == '-' || (r >= '0' && r <= '9') })
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.ParseInt(s[i:], 10, 64)
	if err != nil {
		return "", 0, false
	}
	return s[:i], n, true
}

// Flex is a value written as a string in some versions and a number in others (custom emoji
// document ids, button ids); it keeps the text either way.
type Flex string

// UnmarshalJSON accepts a string, a number, a boolean and null.
func (f *Flex) UnmarshalJSON(b []byte) error {
	s, err := scalarText(b)
	*f = Flex(s)
	return err
}

// scalarText returns a JSON string's value or a number's or boolean's literal text; "" for null.
func scalarText(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		return "", nil
	case b[0] == '"':
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9') || string(b) == "true" || string(b) == "false":
		return string(b), nil
	}
	return "", fmt.Errorf("expected a string or a number, found %.20s", b)
}

// OptName is a name that may be absent, or null: Telegram writes null for a deleted account or a
// sender who hides their name, so Present with an empty Name means "someone, name unknown".
type OptName struct {
	Name    string
	Present bool
}

// UnmarshalJSON accepts a string and null.
func (n *OptName) UnmarshalJSON(b []byte) error {
	*n = OptName{Present: true}
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s != nil {
		n.Name = *s
	}
	return nil
}

// FileRef is a media path relative to the export root, or why the file is not in the export.
type FileRef struct {
	Path string
	// MissingReason is Telegram's sentence in place of the path, e.g. "(File not included.
	// Change data exporting settings to download.)", "(File exceeds maximum size. ...)",
	// "(File unavailable, please try again later)".
	MissingReason string
	// Name is the label Telegram may put before the sentence ("name (File not included...)").
	Name string
}

// Present reports whether the record mentioned a file at all.
func (f FileRef) Present() bool { return f.Path != "" || f.MissingReason != "" }

// UnmarshalJSON reads a path or a placeholder sentence.
func (f *FileRef) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*f = FileRef{}
	if s == nil {
		return nil
	}
	*f = parseFileRef(*s)
	return nil
}

// parseFileRef tells a path from a placeholder. Telegram paths start with a folder name
// ("photos/...", "chats/chat_001/..."), never with "(", so a parenthesised sentence is a
// placeholder whatever its wording; a labelled one reads "label (File ...)".
func parseFileRef(s string) FileRef {
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		return FileRef{MissingReason: s}
	}
	if strings.HasSuffix(s, ")") {
		for _, w := range []string{" (File ", " (Photo "} {
			if i := strings.LastIndex(s, w); i >= 0 && isPlaceholder(s[i+1:]) {
				return FileRef{Name: s[:i], MissingReason: s[i+1:]}
			}
		}
	}
	return FileRef{Path: s}
}

func isPlaceholder(s string) bool {
	return strings.Contains(s, "Change data exporting settings") || strings.Contains(s, "unavailable")
}

// Part is one run of text: a plain run or an entity.
type Part struct {
	// Type: plain, mention, hashtag, bot_command, link, email, bold, italic, code, pre,
	// text_link, mention_name, phone, cashtag, underline, strikethrough, blockquote,
	// bank_card, spoiler, custom_emoji, unknown.
	Type       string `json:"type"`
	Text       string `json:"text"`
	Href       string `json:"href"`        // text_link
	UserID     Flex   `json:"user_id"`     // mention_name
	Language   string `json:"language"`    // pre
	DocumentID Flex   `json:"document_id"` // custom_emoji
	Collapsed  bool   `json:"collapsed"`   // blockquote
}

// Text is a message's "text": a plain string becomes one "plain" part; an array mixes plain
// strings (plain parts) and entity objects.
type Text []Part

// UnmarshalJSON accepts a string, an array of strings and objects, and null.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*t = nil
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s != "" {
			*t = Text{{Type: "plain", Text: s}}
		}
		return nil
	case b[0] != '[':
		return fmt.Errorf("text is neither a string nor an array: %.20s", b)
	}
	var items []textItem
	if err := json.Unmarshal(b, &items); err != nil {
		return err
	}
	out := make(Text, 0, len(items))
	for _, it := range items {
		if it.Type != "plain" || it.Text != "" || it.obj {
			out = append(out, it.Part)
		}
	}
	*t = out
	return nil
}

// textItem is one element of a text array: a plain string or an entity object.
type textItem struct {
	Part
	obj bool
}

func (t *textItem) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		t.Type = "plain"
		return json.Unmarshal(b, &t.Text)
	}
	t.obj = true
	if err := json.Unmarshal(b, &t.Part); err != nil {
		return fmt.Errorf("text part: %w", err)
	}
	return nil
}

// String is the whole text, all parts joined.
func (t Text) String() string {
	if len(t) == 1 {
		return t[0].Text
	}
	var sb strings.Builder
	for _, p := range t {
		sb.WriteString(p.Text)
	}
	return sb.String()
}

// Body is the message's text parts: text_entities when present (newer exports), else text.
func (m *Message) Body() Text {
	if len(m.TextEntities) > 0 {
		return Text(m.TextEntities)
	}
	return m.Text
}
