package telegram

import (
	"unicode/utf8"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/telegram/tgjson"
)

// entities turns the text parts that are not plain runs into Details.Entities, with offsets in
// runes of the joined text.
func entities(parts tgjson.Text) []archive.Entity {
	var out []archive.Entity
	off := 0
	for _, p := range parts {
		n := utf8.RuneCountInString(p.Text)
		if p.Type != "plain" && p.Type != "" {
			e := archive.Entity{Type: p.Type, Offset: off, Length: n, Href: p.Href, UserID: string(p.UserID)}
			switch {
			case p.Language != "":
				e.Extra = p.Language
			case p.DocumentID != "":
				e.Extra = string(p.DocumentID)
			case p.Collapsed:
				e.Extra = "collapsed"
			}
			out = append(out, e)
		}
		off += n
	}
	return out
}
