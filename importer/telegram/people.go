package telegram

import (
	"strconv"
	"strings"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/telegram/tgjson"
)

// peerKey is a sender's participant key: "tg:user123", "tg:channel456", "tg:chat789". Exports
// of 2020–21 write bare numbers, which were user ids. Without any id (hand-made files), the
// name is the key.
func peerKey(id tgjson.PeerID, name tgjson.OptName) string {
	if kind, n, ok := id.Split(); ok {
		if kind == "" {
			kind = "user"
		}
		return "tg:" + kind + strconv.FormatInt(n, 10)
	}
	if name.Name != "" {
		return "tg:name:" + strings.ToLower(strings.TrimSpace(name.Name))
	}
	return ""
}

// sender finds or creates the participant a message names, records them as a member of the open
// chat, and says whether they are the user.
func (c *converter) sender(id tgjson.PeerID, name tgjson.OptName) (int64, bool, error) {
	key, ok := c.keys[id]
	if !ok {
		key = peerKey(id, name)
		if _, _, valid := id.Split(); valid {
			c.keys[id] = key // a key made from the id does not depend on the name
		}
	}
	if key == "" {
		return 0, false, nil
	}
	me := key == c.meKey || key == c.chatMe || c.knownMe[key] || (c.opts.Me != "" && (c.opts.Me == name.Name || "tg:"+c.opts.Me == key))
	pid, ok := c.people[key]
	if !ok || (me && pid != c.meID) {
		p := archive.Participant{Service: Service, Key: key, Name: name.Name, IsMe: me}
		if name.Present && name.Name == "" {
			p.Name = "Deleted Account"
		}
		var err error
		if pid, err = c.im.Participant(p); err != nil {
			return 0, false, err
		}
		c.people[key] = pid
		if me {
			c.meID = pid
		}
	}
	if c.convID != 0 && !c.members[pid] {
		if err := c.im.Member(c.convID, pid); err != nil {
			return 0, false, err
		}
		c.members[pid] = true
	}
	return pid, me, nil
}

// inferMe: in a one-to-one chat exported alone, the chat's id is the other person's, so a user
// writing there under another id is the exporting user.
func (c *converter) inferMe(id tgjson.PeerID) {
	if c.meKey != "" || c.chatMe != "" || c.chat == nil || !c.chat.HasID {
		return
	}
	if c.chat.Type != "personal_chat" {
		return
	}
	kind, n, ok := id.Split()
	if ok && (kind == "user" || kind == "") && n != c.chat.ID {
		c.chatMe = userKey(n)
	}
}
