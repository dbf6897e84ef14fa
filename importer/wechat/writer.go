package wechat

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/wechat/wxmsg"
)

const service = "wechat"

// contact is what an account knows about a username.
type contact struct {
	Remark, Nickname, Alias string
}

// writer maps one account's rows (from any platform) onto the archive: conversations,
// participants, messages and their files.
type writer struct {
	im      *archive.Import
	src     string
	opts    importer.Options
	me      string // own username ("" when unknown)
	meName  string
	missing string // why a file that is not there is missing ("not in backup")

	contacts map[string]contact
	rooms    map[string]map[string]string // group -> member -> group display name
	parts    map[string]int64
	occ      map[string]int
	unknown  map[string]int
	media    mediaStore
}

func newWriter(im *archive.Import, src string, opts importer.Options, fsys fs.FS, missing string) *writer {
	return &writer{im: im, src: src, opts: opts, missing: missing, contacts: map[string]contact{},
		rooms: map[string]map[string]string{}, parts: map[string]int64{}, occ: map[string]int{}, unknown: map[string]int{},
		media: mediaStore{im: im, fsys: fsys, max: opts.MaxMediaBytes}}
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// chat is one conversation being imported.
type chat struct {
	Username string // "" when only the table's hash is known
	Hash     string // md5(username)
	Title    string
	Group    bool
	ID       int64
}

func isGroup(username string) bool { return strings.HasSuffix(username, "@chatroom") }

// nameOf is how a username is shown in a group (room "" for none): group display name, remark,
// nickname, username (notes §5).
func (w *writer) nameOf(room, user string) string {
	if n := w.rooms[room][user]; n != "" {
		return n
	}
	if c, ok := w.contacts[user]; ok {
		if c.Remark != "" {
			return c.Remark
		}
		if c.Nickname != "" {
			return c.Nickname
		}
	}
	if user == w.me && w.meName != "" {
		return w.meName
	}
	return user
}

// title is a chat's title from its username.
func (w *writer) title(username string) string {
	if c, ok := w.contacts[username]; ok {
		if n := first(c.Remark, c.Nickname); n != "" {
			return n
		}
	}
	if isGroup(username) {
		// An unnamed group is named by its members, as WeChat shows it.
		var names []string
		for u := range w.rooms[username] {
			names = append(names, u)
		}
		sort.Strings(names)
		for i, u := range names {
			names[i] = w.nameOf(username, u)
		}
		if len(names) > 3 {
			names = names[:3]
		}
		if len(names) > 0 {
			return strings.Join(names, "、")
		}
	}
	return username
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// conversation creates c in the archive. Its key is the username, or "md5:<hash>" for a table
// whose contact is gone; "md5:<hash>" is also an ident of every chat, so the two meet.
func (w *writer) conversation(c *chat) error {
	key := c.Username
	if key == "" {
		key = "md5:" + c.Hash
	} else if c.Hash == "" {
		c.Hash = md5hex(c.Username)
	}
	kind := archive.ConvDirect
	if c.Group {
		kind = archive.ConvGroup
	}
	if c.Username != "" && c.Username == w.me {
		kind = archive.ConvSelf
	}
	idents := []string{"md5:" + c.Hash}
	if key == idents[0] {
		idents = nil
	}
	id, err := w.im.Conversation(archive.Conversation{Service: service, Key: key, Title: c.Title, Kind: kind, Idents: idents})
	if err != nil {
		return err
	}
	c.ID = id
	if w.me != "" {
		me, err := w.participant(c, w.me)
		if err != nil {
			return err
		}
		if err := w.im.Member(id, me); err != nil {
			return err
		}
	}
	if c.Username != "" && !c.Group && c.Username != w.me {
		p, err := w.participant(c, c.Username)
		if err != nil {
			return err
		}
		return w.im.Member(id, p)
	}
	return nil
}

// participant returns the archive id of a username, creating it once.
func (w *writer) participant(c *chat, user string) (int64, error) {
	if id, ok := w.parts[user]; ok {
		return id, nil
	}
	room := ""
	if c != nil && c.Group {
		room = c.Username
	}
	p := archive.Participant{Service: service, Key: user, Name: w.nameOf(room, user), IsMe: user == w.me && w.me != ""}
	if ct := w.contacts[user]; ct.Alias != "" {
		p.Idents = []string{"alias:" + ct.Alias}
	}
	id, err := w.im.Participant(p)
	if err != nil {
		return 0, err
	}
	w.parts[user] = id
	if c != nil && c.Group {
		if err := w.im.Member(c.ID, id); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// row is one message as a platform reads it.
type row struct {
	SvrID   int64
	Time    time.Time
	FromMe  bool
	Type    int64
	Content string
	Sender  string // the sender's username when the platform stores it apart (desktop); "" to read the group prefix
	Pos     string
	Raw     string
	// Files lists where the message's file may be, best first, for the media it parsed to.
	Files func(m *wxmsg.Media) []string
	// Data returns the file's bytes when the platform keeps them in a database (desktop voice).
	Data func(m *wxmsg.Media) []byte
}

// add stores one row.
func (w *writer) add(c *chat, r row) error {
	body, sender := r.Content, r.Sender
	base := wxmsg.BaseType(r.Type)
	if c.Group && !r.FromMe && sender == "" && base != 10000 && base != 10002 {
		if s, b, ok := wxmsg.SplitSender(body); ok {
			sender, body = s, b
		}
	}
	if r.FromMe {
		sender = w.me
	} else if !c.Group && sender == "" {
		sender = c.Username
	}
	room := ""
	if c.Group {
		room = c.Username
	}
	pm := wxmsg.Parse(r.Type, body, func(u string) string {
		if u == "" {
			return ""
		}
		return w.nameOf(room, u)
	})
	if pm.Unknown {
		w.unknown[pm.Type]++
	}
	m := &archive.Message{ConversationID: c.ID, Time: r.Time.UTC(), FromMe: r.FromMe, Kind: pm.Kind, Text: pm.Text,
		Details: pm.Details, SrcPos: r.Pos, Raw: clipRaw(r.Raw)}
	if pm.QuotedSvrID != "" && pm.QuotedSvrID != "0" {
		m.ReplyTo = "wx:" + pm.QuotedSvrID
	}
	if sender != "" && base != 10000 && base != 10002 {
		id, err := w.participant(c, sender)
		if err != nil {
			return err
		}
		m.SenderID = id
	}
	if r.SvrID != 0 {
		m.UID = "wx:" + strconv.FormatUint(uint64(r.SvrID), 10)
	} else {
		m.UID = w.contentKey(c, r.Time, sender, base, body)
	}
	if pm.Media != nil {
		var paths []string
		if r.Files != nil {
			paths = r.Files(pm.Media)
		}
		var data []byte
		if r.Data != nil {
			data = r.Data(pm.Media)
		}
		att, err := w.media.attach(pm.Media, paths, data, w.missing)
		if err != nil {
			return err
		}
		m.Attachments = []archive.Attachment{att}
	}
	return w.im.AddMessage(m)
}

// contentKey identifies a row without a server id (local notices) by what it says, so the same
// row from another copy of the account matches: second, sender, type, text, and how many times
// that combination occurred before in the chat.
func (w *writer) contentKey(c *chat, t time.Time, sender string, typ int64, body string) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s\x00%d\x00%s", t.Unix(), sender, typ, body)))
	k := hex.EncodeToString(h[:12])
	occKey := strconv.FormatInt(c.ID, 10) + ":" + k
	w.occ[occKey]++
	return "wx:local:" + k + ":" + strconv.Itoa(w.occ[occKey])
}

// finish writes the notes of one account's import.
func (w *writer) finish() {
	if len(w.unknown) == 0 {
		return
	}
	var types []string
	total := 0
	for t, n := range w.unknown {
		types = append(types, fmt.Sprintf("%s ×%d", t, n))
		total += n
	}
	sort.Strings(types)
	w.im.Note(fmt.Sprintf("%d WeChat messages of types chatvault does not map were kept with their raw XML: %s", total, strings.Join(types, ", ")))
}
