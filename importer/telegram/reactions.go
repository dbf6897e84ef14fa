package telegram

import (
	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/telegram/tgjson"
)

// reactions records each reaction's recent senders by name, and the rest of its count as one
// anonymous count (SenderID 0), so no reaction is counted twice.
func (c *converter) reactions(m *archive.Message, tm *tgjson.Message) error {
	anon := map[string]int{}
	var order []string
	for _, r := range tm.Reactions {
		emoji := reactionKey(r)
		if emoji == "" {
			continue
		}
		named := 0
		for _, who := range r.Recent {
			id, _, err := c.sender(who.FromID, who.From)
			if err != nil {
				return err
			}
			if id == 0 {
				continue
			}
			x := archive.Reaction{SenderID: id, Emoji: emoji}
			if w, ok := parseWall(who.Date); ok && m.OffsetKnown {
				x.Time = w.Add(-timeSeconds(m.Offset)).UTC()
			}
			m.Reactions = append(m.Reactions, x)
			named++
		}
		rest := int(r.Count) - named
		if r.Count == 0 && named == 0 {
			rest = 1
		}
		if rest > 0 {
			if _, ok := anon[emoji]; !ok {
				order = append(order, emoji)
			}
			anon[emoji] += rest
		}
	}
	for _, e := range order {
		m.Reactions = append(m.Reactions, archive.Reaction{Emoji: e, Count: anon[e]})
	}
	return nil
}

// reactionKey names a reaction: its emoji, "custom_emoji:<document id>", or "paid" (stars).
func reactionKey(r tgjson.Reaction) string {
	switch {
	case r.Emoji != "":
		return r.Emoji
	case r.Type == "custom_emoji":
		return "custom_emoji:" + string(r.DocumentID)
	case r.Type == "paid":
		return "⭐"
	case r.Type != "" && r.Type != "empty":
		return r.Type
	}
	return ""
}
