package archive

import (
	"fmt"
	"strings"
)

// guessMe fills in a guess for every conversation where the user is unknown and one author
// stands out: someone already marked as the user elsewhere; else the one author of every
// two-person conversation; else, in a two-person chat named after one author, the other.
func guessMe(chats []MeChat, pairs [][2]int64) {
	everywhere := int64(0) // the one participant who is in every two-person conversation
	if len(pairs) >= 2 {
		count := map[int64]int{}
		for _, p := range pairs {
			count[p[0]]++
			count[p[1]]++
		}
		for id, n := range count {
			if n == len(pairs) {
				if everywhere != 0 {
					everywhere = -1 // two of them: no guess
					break
				}
				everywhere = id
			}
		}
	}
	for i := range chats {
		c := &chats[i]
		if c.MeKnown || len(c.Authors) < 2 {
			continue
		}
		var marked []Author
		for _, a := range c.Authors {
			if a.isMe {
				marked = append(marked, a)
			}
		}
		if len(marked) == 1 {
			c.Guess = &MeGuess{Name: marked[0].Name, Why: "you are " + marked[0].Name + " in other chats"}
			continue
		}
		if everywhere > 0 {
			if a, ok := authorByID(c.Authors, everywhere); ok {
				c.Guess = &MeGuess{Name: a.Name, Why: fmt.Sprintf("%s is in all %d two-person chats", a.Name, len(pairs))}
				continue
			}
		}
		if len(c.Authors) == 2 {
			for j, a := range c.Authors {
				other := c.Authors[1-j]
				if namedAfter(c.Title, a.Name) && !namedAfter(c.Title, other.Name) {
					c.Guess = &MeGuess{Name: other.Name, Why: "the chat is named after " + a.Name}
				}
			}
		}
	}
}

// namedAfter says whether a chat's title names this person: the whole name or its first words
// ("Alice" for "Alice Liddell").
func namedAfter(title, name string) bool {
	title, name = strings.ToLower(strings.TrimSpace(title)), strings.ToLower(strings.TrimSpace(name))
	return title != "" && (name == title || strings.HasPrefix(name, title+" "))
}

func authorByID(as []Author, id int64) (Author, bool) {
	for _, a := range as {
		if a.ParticipantID == id {
			return a, true
		}
	}
	return Author{}, false
}
