package wadb

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/whatsapp"
)

// sink maps WhatsApp's people and chats onto archive participants and conversations, once each,
// and copies media files in.
type sink struct {
	im    *archive.Import
	opts  importer.Options
	where string            // the database, for warnings
	names map[string]string // jid (no device) -> name from the address book / push names
	// lids maps a hidden "<n>@lid" JID to the phone JID it stands for (iOS LID.sqlite, Android
	// jid_map): the person then has one participant whichever JID a source names them by.
	lids map[string]string

	people  map[string]int64 // jid -> participant
	me      int64
	members map[[2]int64]bool // (conversation, participant) already recorded

	// media: the WhatsApp folder (Android) or the app domain's Message folder (iOS) inside mediaFS;
	// mediaFS nil when only the database was given.
	mediaFS   fs.FS
	mediaRoot string
	mediaWhy  string // why there are no media files when mediaFS is nil
	missing   int    // attachments whose file is not there
}

func newSink(im *archive.Import, opts importer.Options, where string) *sink {
	return &sink{im: im, opts: opts, where: where, names: map[string]string{}, lids: map[string]string{}, people: map[string]int64{}, members: map[[2]int64]bool{}}
}

// member records a participant of a conversation once per import.
func (s *sink) member(conv, pid int64) error {
	k := [2]int64{conv, pid}
	if s.members[k] {
		return nil
	}
	if len(s.members) < 1<<20 {
		s.members[k] = true
	}
	return s.im.Member(conv, pid)
}

// bareJID drops the device part of a JID ("4915…:12@s.whatsapp.net" is the same person as
// "4915…@s.whatsapp.net") and lower-cases it.
func bareJID(jid string) string {
	jid = strings.ToLower(strings.TrimSpace(jid))
	at := strings.IndexByte(jid, '@')
	if at < 0 {
		return jid
	}
	user, server := jid[:at], jid[at:]
	if c := strings.IndexByte(user, ':'); c >= 0 {
		user = user[:c]
	}
	return user + server
}

func jidUser(jid string) string {
	if at := strings.IndexByte(jid, '@'); at >= 0 {
		return jid[:at]
	}
	return jid
}

func jidServer(jid string) string {
	if at := strings.IndexByte(jid, '@'); at >= 0 {
		return jid[at+1:]
	}
	return ""
}

// phoneOf is "+<digits>" for a phone JID, "" otherwise.
func phoneOf(jid string) string {
	if jidServer(jid) != "s.whatsapp.net" {
		return ""
	}
	u := jidUser(jid)
	if u == "" || u == "0" {
		return ""
	}
	for _, r := range u {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return "+" + u
}

// person returns the participant of a JID, creating it on first sight.
func (s *sink) person(jid string) (int64, error) {
	jid = bareJID(jid)
	if jid == "" {
		return 0, nil
	}
	if id, ok := s.people[jid]; ok {
		return id, nil
	}
	lid := ""
	if ph := s.lids[jid]; ph != "" {
		lid, jid = jid, ph
	}
	p := archive.Participant{Service: whatsapp.Service, Key: "jid:" + jid, Name: firstNonEmpty(s.names[jid], s.names[lid])}
	if ph := phoneOf(jid); ph != "" {
		p.Phone = ph
		// tel:+… is how the text importer keys an author shown as a phone number: the same person.
		p.Idents = append(p.Idents, "phone:"+ph, "tel:"+ph)
		if p.Name == "" {
			p.Name = ph
		}
	}
	if jidServer(jid) == "lid" {
		p.Idents = append(p.Idents, "lid:"+jidUser(jid))
	}
	if lid != "" {
		// An earlier import that knew them only by the LID keyed them so: the same person.
		p.Idents = append(p.Idents, "lid:"+jidUser(lid), "jid:"+lid)
	}
	if p.Name == "" {
		p.Name = jidUser(jid)
	}
	id, err := s.im.Participant(p)
	if err != nil {
		return 0, err
	}
	if len(s.people) < 1<<20 {
		s.people[jid] = id
		if lid != "" {
			s.people[lid] = id
		}
	}
	return id, nil
}

// owner is the user's own participant: the database is theirs, their JID is not in it.
func (s *sink) owner() (int64, error) {
	if s.me != 0 {
		return s.me, nil
	}
	name := s.opts.Me
	if name == "" {
		name = "Me"
	}
	id, err := s.im.Participant(archive.Participant{Service: whatsapp.Service, Key: "wa:me", Name: name, IsMe: true})
	s.me = id
	return id, err
}

// addLID records that the hidden JID lid stands for the phone number phone. Either may be given
// as a JID or as bare digits; pairs that are not a LID and a phone number are ignored.
func (s *sink) addLID(lid, phone string) {
	l, p := lidJID(lid), phoneJID(phone)
	if l == "" || p == "" || len(s.lids) >= 1<<20 {
		return
	}
	if _, ok := s.lids[l]; !ok {
		s.lids[l] = p
	}
}

// lidJID is "<digits>@lid" for "<digits>", "<digits>@lid" or "<digits>:<device>@lid".
func lidJID(v string) string {
	v = bareJID(v)
	if strings.Contains(v, "@") {
		if jidServer(v) != "lid" {
			return ""
		}
		v = jidUser(v)
	}
	if !allDigits(v) {
		return ""
	}
	return v + "@lid"
}

// phoneJID is "<digits>@s.whatsapp.net" for a phone JID or a number written with +, spaces or dashes.
func phoneJID(v string) string {
	v = bareJID(v)
	if strings.Contains(v, "@") {
		if jidServer(v) != "s.whatsapp.net" {
			return ""
		}
		v = jidUser(v)
	}
	v = strings.NewReplacer("+", "", " ", "", "-", "", "(", "", ")", "").Replace(v)
	if !allDigits(v) || len(v) < 5 || len(v) > 20 {
		return ""
	}
	return v + "@s.whatsapp.net"
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// chat is a conversation as a database names it.
type chat struct {
	jid   string
	title string // contact's name (1:1) or subject (group)
	id    int64  // archive conversation, once created
}

// isStatus reports the status feed (stories), which is no chat.
func isStatus(jid string) bool {
	jid = bareJID(jid)
	return jid == "status@broadcast" || strings.HasSuffix(jid, "@status") || strings.HasSuffix(jid, ".status")
}

func chatKind(jid string) archive.ConversationKind {
	switch jidServer(bareJID(jid)) {
	case "g.us", "temp":
		return archive.ConvGroup
	case "broadcast", "newsletter":
		return archive.ConvChannel
	}
	return archive.ConvDirect
}

// conversation creates or finds the archive conversation of a chat. Its text export lands in the
// same one: the export's key (from the contact's name or the group's subject) is an ident.
func (s *sink) conversation(c *chat) (int64, error) {
	if c.id != 0 {
		return c.id, nil
	}
	jid := bareJID(c.jid)
	lid := ""
	if ph := s.lids[jid]; ph != "" {
		lid, jid = jid, ph // a 1:1 chat WhatsApp files under the LID is the chat with that number
	}
	title := strings.TrimSpace(c.title)
	if title == "" {
		title = firstNonEmpty(s.names[jid], s.names[lid])
	}
	if title == "" {
		if ph := phoneOf(jid); ph != "" {
			title = ph
		} else {
			title = jid
		}
	}
	if s.opts.Title != "" {
		title = s.opts.Title
	}
	conv := archive.Conversation{Service: whatsapp.Service, Key: "jid:" + jid, Title: title, Kind: chatKind(jid)}
	if k := whatsapp.ExportKey(title); k != "export:" {
		conv.Idents = append(conv.Idents, k)
	}
	if lid != "" {
		conv.Idents = append(conv.Idents, "jid:"+lid)
	}
	id, err := s.im.Conversation(conv)
	if err != nil {
		return 0, err
	}
	c.id = id
	if conv.Kind == archive.ConvDirect && phoneOf(jid) != "" {
		if pid, err := s.person(jid); err == nil {
			err = s.member(id, pid)
			if err != nil {
				return 0, err
			}
		}
	}
	return id, nil
}

// mediaPath turns a path as the database stores it into one inside the media root: relative
// paths as they are, absolute ones ("/storage/emulated/0/WhatsApp/Media/…") from "Media/" on.
func mediaPath(p string) string {
	p = strings.ReplaceAll(strings.TrimSpace(p), `\`, "/")
	if i := strings.Index(p, "/Media/"); i >= 0 && !strings.HasPrefix(p, "Media/") {
		p = p[i+1:]
	}
	p = strings.TrimPrefix(p, "./")
	return p
}

// attachment copies a message's file into the archive, or records why it is missing.
func (s *sink) attachment(kind archive.Kind, stored, mime string, size int64, d *archive.Details) (archive.Attachment, error) {
	att := archive.Attachment{Kind: kind, MIME: mime, Size: size, Details: d}
	rel := mediaPath(stored)
	if rel != "" {
		att.FileName = path.Base(rel)
	}
	missing := func(why string) (archive.Attachment, error) {
		s.missing++
		if att.Details == nil {
			att.Details = &archive.Details{}
		}
		att.Details.Missing = why
		return att, nil
	}
	if rel == "" {
		return missing("no file recorded (not downloaded)")
	}
	if s.mediaFS == nil {
		return missing(s.mediaWhy)
	}
	full := rel
	if s.mediaRoot != "" && s.mediaRoot != "." {
		full = s.mediaRoot + "/" + rel
	}
	if !fs.ValidPath(full) {
		return missing("file path outside the media folder")
	}
	f, err := s.mediaFS.Open(full)
	if err != nil {
		return missing("not in the media folder")
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.IsDir() {
		return missing("not in the media folder")
	}
	sha, n, err := s.im.PutMedia(f, mime, s.opts.MaxMediaBytes)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return missing("not in the media folder")
		}
		return att, importer.Bad(s.where, "media file %s: %v", rel, err)
	}
	att.SHA256, att.Size = sha, n
	return att, nil
}

func (s *sink) noteMissing() {
	if s.missing > 0 {
		why := ""
		if s.mediaFS == nil {
			why = " (" + s.mediaWhy + ")"
		}
		s.im.Note(fmt.Sprintf("%d media files are recorded but not here%s: kept as attachments without a file", s.missing, why))
	}
}
