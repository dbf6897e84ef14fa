package wechat

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/wechat/wcdb"
	"github.com/chatvault/chatvault/importer/wechat/wxmsg"
)

type dbHandle struct {
	path string
	db   *sql.DB
}

// desktopReader reads the opened databases of one desktop account, choosing by the tables that
// exist: MSG (Windows 3.x), Msg_<md5> (4.x), Chat_<md5> (macOS 3.x).
type desktopReader struct {
	*writer
	ctx   context.Context
	root  string
	name  func(string) string
	media []dbHandle
	// voices maps each media database's MsgSvrID (Reserved0) to the row holding the voice note,
	// read once: where Media has no index on Reserved0, a query per voice note scans the table.
	voices []map[int64]int64
	chats  map[string]*chat
	done   int64
}

func tableSet(ctx context.Context, db *sql.DB) map[string]string {
	out := map[string]string{}
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type='table'`)
	if err != nil {
		return out
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			out[strings.ToLower(n)] = n
		}
	}
	return out
}

func (d *desktopReader) read(contacts, messages, media []dbHandle) error {
	d.media, d.chats = media, map[string]*chat{}
	for _, h := range contacts {
		ts := tableSet(d.ctx, h.db)
		switch {
		case ts["contact"] != "" && ts["chatroom"] != "":
			// Windows 3.x MicroMsg.db: Contact(UserName, Alias, Remark, NickName), ChatRoom(ChatRoomName,
			// UserNameList, RoomData) (notes §9).
			d.contactRows(h, `SELECT UserName, coalesce(Alias,''), coalesce(Remark,''), coalesce(NickName,'') FROM Contact`)
			d.roomRows(h, `SELECT ChatRoomName, coalesce(UserNameList,''), RoomData FROM ChatRoom`)
		case ts["contact"] != "":
			// 4.x contact.db: contact(username, alias, remark, nick_name), chat_room(username, ext_buffer).
			d.contactRows(h, `SELECT username, coalesce(alias,''), coalesce(remark,''), coalesce(nick_name,'') FROM contact`)
			if ts["chat_room"] != "" {
				d.roomRows(h, `SELECT username, '', ext_buffer FROM chat_room`)
			}
		}
	}
	for _, h := range messages {
		ts := tableSet(d.ctx, h.db)
		if ts["msg"] != "" {
			if err := d.readWin3(h); err != nil {
				return err
			}
			continue
		}
		var names []string
		for l, n := range ts {
			if strings.HasPrefix(l, "msg_") && len(l) == 36 || strings.HasPrefix(l, "chat_") && len(l) == 37 {
				names = append(names, n)
			}
		}
		sortStrings(names)
		for _, n := range names {
			var err error
			if strings.HasPrefix(strings.ToLower(n), "msg_") {
				err = d.readV4(h, n, ts)
			} else {
				err = d.readMac3(h, n)
			}
			if err != nil {
				return err
			}
		}
	}
	return d.ctx.Err()
}

func (d *desktopReader) contactRows(h dbHandle, q string) {
	rows, err := h.db.QueryContext(d.ctx, q)
	if err != nil {
		d.im.WarnAt(d.name(h.path), "contacts", "unreadable: %v", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var u string
		var c contact
		if rows.Scan(&u, &c.Alias, &c.Remark, &c.Nickname) == nil && u != "" {
			d.contacts[u] = c
		}
	}
}

func (d *desktopReader) roomRows(h dbHandle, q string) {
	rows, err := h.db.QueryContext(d.ctx, q)
	if err != nil {
		d.im.WarnAt(d.name(h.path), "chat rooms", "unreadable: %v", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var room, list string
		var data []byte
		if rows.Scan(&room, &list, &data) != nil {
			continue
		}
		names := map[string]string{}
		// UserNameList is joined by "^G" (shown so; the BEL control character) or ';'.
		list = strings.ReplaceAll(list, "^G", ";")
		for _, m := range strings.FieldsFunc(list, func(r rune) bool { return r == '\a' || r == ';' }) {
			names[m] = ""
		}
		ms, dn, err := wcdb.ParseRoomData(data)
		if err != nil {
			d.im.WarnAt(d.name(h.path), "chat room "+room, "RoomData: %v", err)
		}
		for _, m := range ms {
			names[m] = dn[m]
		}
		d.rooms[room] = names
	}
}

func (d *desktopReader) chatFor(username, hash string, group bool) (*chat, error) {
	k := username
	if k == "" {
		k = "md5:" + hash
	}
	if c := d.chats[k]; c != nil {
		return c, nil
	}
	c := &chat{Username: username, Hash: hash, Group: group || isGroup(username)}
	if username != "" {
		c.Title = d.title(username)
	} else {
		c.Title = "WeChat chat " + hash[:8]
	}
	if err := d.conversation(c); err != nil {
		return nil, err
	}
	d.chats[k] = c
	return c, nil
}

func (d *desktopReader) tick() error {
	d.done++
	if d.done%512 == 1 {
		if d.opts.Progress != nil {
			d.opts.Progress(d.done, 0)
		}
		return d.ctx.Err()
	}
	return nil
}

// readWin3 reads Windows 3.x MSG: StrTalker is the chat, IsSender 1 own, CreateTime seconds,
// type 49's XML in CompressContent (LZ4 block), the group sender in BytesExtra (notes §9).
func (d *desktopReader) readWin3(h dbHandle) error {
	rows, err := h.db.QueryContext(d.ctx, `SELECT localId, coalesce(MsgSvrID,0), coalesce(Type,0), coalesce(IsSender,0), coalesce(CreateTime,0),
		coalesce(StrTalker,''), coalesce(StrContent,''), CompressContent, BytesExtra FROM MSG ORDER BY localId`)
	if err != nil {
		return fmt.Errorf("%s: MSG: %w", d.name(h.path), err)
	}
	defer rows.Close()
	for rows.Next() {
		var local, svr, typ, isSender, ct int64
		var talker, content string
		var compressed, extra []byte
		if err := rows.Scan(&local, &svr, &typ, &isSender, &ct, &talker, &content, &compressed, &extra); err != nil {
			d.im.WarnAt(d.name(h.path), fmt.Sprintf("MSG localId %d", local), "unreadable row: %v", err)
			continue
		}
		if err := d.tick(); err != nil {
			return err
		}
		if len(compressed) > 0 {
			if s, ok := unLZ4(compressed); ok {
				content = s
			}
		}
		c, err := d.chatFor(talker, md5hex(talker), false)
		if err != nil {
			return err
		}
		items := bytesExtra(extra)
		sender := ""
		if c.Group && isSender == 0 {
			sender = items[1]
		}
		svrID := svr
		r := row{SvrID: svr, Time: time.Unix(ct, 0), FromMe: isSender == 1, Type: typ, Content: content, Sender: sender,
			Pos: fmt.Sprintf("%s MSG localId %d", path.Base(h.path), local),
			Raw: newRaw().Int("localId", local).Int("MsgSvrID", svr).Int("Type", typ).Int("IsSender", isSender).Int("CreateTime", ct).Str("StrTalker", talker).Str("StrContent", content).String(),
			Files: func(m *wxmsg.Media) []string {
				var out []string
				for _, k := range []int{4, 3} { // 4 image path, 3 thumbnail path (notes §9)
					if p := items[k]; p != "" {
						out = append(out, d.accountPath(p))
					}
				}
				return out
			},
			Data: func(m *wxmsg.Media) []byte {
				if m.Kind != archive.KindVoice {
					return nil
				}
				return d.voice(svrID)
			}}
		if err := d.add(c, r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// accountPath maps a BytesExtra path ("wxid_x\FileStorage\MsgAttach\...\a.dat", relative to
// "WeChat Files") into the source: the first component is the account folder itself.
func (d *desktopReader) accountPath(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	return path.Join(d.root, p)
}

// voice reads a voice note from MediaMSG<n>.db's Media(Reserved0 = MsgSvrID, Buf) (notes §9).
func (d *desktopReader) voice(svr int64) []byte {
	if d.voices == nil {
		d.voices = make([]map[int64]int64, len(d.media))
		for i, h := range d.media {
			d.voices[i] = voiceRows(d.ctx, h.db)
		}
	}
	for i, h := range d.media {
		var b []byte
		var err error
		if rows := d.voices[i]; rows != nil {
			row, ok := rows[svr]
			if !ok {
				continue
			}
			err = h.db.QueryRowContext(d.ctx, `SELECT Buf FROM Media WHERE rowid = ?`, row).Scan(&b)
		} else { // a Media table without row ids: look the note up by its id
			err = h.db.QueryRowContext(d.ctx, `SELECT Buf FROM Media WHERE Reserved0 = ?`, svr).Scan(&b)
		}
		if err == nil && len(b) > 0 {
			return b
		}
	}
	return nil
}

// voiceRows maps Reserved0 to the first row that has it, without reading a Buf; nil when the
// table cannot be read so (no Media table: no voice notes either way).
func voiceRows(ctx context.Context, db *sql.DB) map[int64]int64 {
	rows, err := db.QueryContext(ctx, `SELECT Reserved0, rowid FROM Media`)
	if err != nil {
		return nil
	}
	out := map[int64]int64{}
	defer rows.Close()
	for rows.Next() {
		var svr, row int64
		if rows.Scan(&svr, &row) == nil {
			if _, seen := out[svr]; !seen {
				out[svr] = row
			}
		}
	}
	return out
}

// bytesExtra decodes Windows 3.x BytesExtra: field 3 repeated {1 type, 2 value} (notes §9).
func bytesExtra(b []byte) map[int]string {
	out := map[int]string{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return out
		}
		b = b[n:]
		if num == 3 && typ == protowire.BytesType {
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return out
			}
			b = b[m:]
			var k int
			var val string
			for len(v) > 0 {
				fn, ft, n := protowire.ConsumeTag(v)
				if n < 0 {
					break
				}
				v = v[n:]
				switch {
				case fn == 1 && ft == protowire.VarintType:
					x, m := protowire.ConsumeVarint(v)
					if m < 0 {
						return out
					}
					k, v = int(x), v[m:]
				case fn == 2 && ft == protowire.BytesType:
					s, m := protowire.ConsumeBytes(v)
					if m < 0 {
						return out
					}
					val, v = string(s), v[m:]
				default:
					m := protowire.ConsumeFieldValue(fn, ft, v)
					if m < 0 {
						return out
					}
					v = v[m:]
				}
			}
			if _, seen := out[k]; !seen {
				out[k] = val
			}
			continue
		}
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return out
		}
		b = b[m:]
	}
	return out
}

// unLZ4 decompresses an LZ4 block of unknown size, bounded at 8 MiB.
func unLZ4(b []byte) (string, bool) {
	for size := len(b) * 4; size <= 8<<20; size *= 2 {
		dst := make([]byte, size)
		n, err := lz4.UncompressBlock(b, dst)
		if err == nil {
			return strings.TrimRight(string(dst[:n]), "\x00"), true
		}
		if size < 4096 {
			size = 2048
		}
	}
	return "", false
}

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

var zstdDec, _ = zstd.NewReader(nil, zstd.WithDecoderMaxMemory(64<<20))

// unZstd decodes a 4.x message_content that is zstd-compressed (notes §9).
func unZstd(b []byte) string {
	if !bytes.HasPrefix(b, zstdMagic) {
		return string(b)
	}
	out, err := zstdDec.DecodeAll(b, nil)
	if err != nil {
		return string(b)
	}
	return string(out)
}

var hashOfTable = regexp.MustCompile(`(?i)^(?:msg|chat)_([0-9a-f]{32})$`)

// readV4 reads a 4.x Msg_<md5(talker)> table: local_type = type | subtype<<32, sender by
// real_sender_id → Name2Id.rowid, message_content possibly zstd (notes §9).
func (d *desktopReader) readV4(h dbHandle, table string, ts map[string]string) error {
	hash := strings.ToLower(hashOfTable.FindStringSubmatch(table)[1])
	ids := map[int64]string{}
	if n := ts["name2id"]; n != "" {
		if rows, err := h.db.QueryContext(d.ctx, `SELECT rowid, user_name FROM `+n); err == nil {
			for rows.Next() {
				var id int64
				var u string
				if rows.Scan(&id, &u) == nil {
					ids[id] = u
				}
			}
			rows.Close()
		}
	}
	talker := ""
	for _, u := range ids {
		if md5hex(u) == hash {
			talker = u
		}
	}
	if talker == "" {
		for u := range d.contacts {
			if md5hex(u) == hash {
				talker = u
			}
		}
	}
	c, err := d.chatFor(talker, hash, false)
	if err != nil {
		return err
	}
	rows, err := h.db.QueryContext(d.ctx, `SELECT local_id, coalesce(server_id,0), coalesce(local_type,0), coalesce(real_sender_id,0), coalesce(create_time,0), message_content FROM "`+table+`" ORDER BY local_id`)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", d.name(h.path), table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var local, svr, typ, senderID, ct int64
		var content []byte
		if err := rows.Scan(&local, &svr, &typ, &senderID, &ct, &content); err != nil {
			d.im.WarnAt(d.name(h.path), fmt.Sprintf("%s local_id %d", table, local), "unreadable row: %v", err)
			continue
		}
		if err := d.tick(); err != nil {
			return err
		}
		body := unZstd(content)
		sender := ids[senderID]
		base := typ & 0xFFFFFFFF
		fromMe := sender != "" && sender == d.me
		if !c.Group && talker != "" && sender != "" && sender != talker && d.me == "" {
			// In a 1:1 chat whoever is not the other person is the owner.
			d.me = sender
			fromMe = true
		}
		if c.Group && sender == "" {
			if s, b, ok := wxmsg.SplitSender(body); ok {
				sender, body = s, b
			}
		} else if c.Group {
			if _, b, ok := wxmsg.SplitSender(body); ok {
				body = b
			}
		}
		if !fromMe && !c.Group && sender == "" {
			sender = talker
		}
		r := row{SvrID: svr, Time: time.Unix(ct, 0), FromMe: fromMe, Type: base, Content: body, Sender: sender,
			Pos: fmt.Sprintf("%s %s local_id %d", path.Base(h.path), table, local),
			Raw: newRaw().Int("local_id", local).Int("server_id", svr).Int("local_type", typ).Int("real_sender_id", senderID).Int("create_time", ct).Str("message_content", body).String()}
		if fromMe {
			r.Sender = ""
		}
		if err := d.add(c, r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// readMac3 reads a macOS 3.x Chat_<md5> table: mesDes 0 sent, the iOS-style group prefix
// (notes §9, from chatlog message_darwinv3.go).
func (d *desktopReader) readMac3(h dbHandle, table string) error {
	hash := strings.ToLower(hashOfTable.FindStringSubmatch(table)[1])
	talker := ""
	for u := range d.contacts {
		if md5hex(u) == hash {
			talker = u
		}
	}
	for u := range d.rooms {
		if md5hex(u) == hash {
			talker = u
		}
	}
	group := false
	if talker == "" {
		var err error
		if talker, group, err = recoverUsername(d.ctx, h.db, table, "msgContent", "mesDes", hash); err != nil {
			return fmt.Errorf("%s: %s: %w", d.name(h.path), table, err)
		}
	}
	c, err := d.chatFor(talker, hash, group)
	if err != nil {
		return err
	}
	rows, err := h.db.QueryContext(d.ctx, `SELECT mesLocalID, coalesce(mesSvrID,0), coalesce(msgCreateTime,0), coalesce(msgContent,''), coalesce(messageType,0), coalesce(mesDes,1) FROM "`+table+`" ORDER BY mesLocalID`)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", d.name(h.path), table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var local, svr, ct, typ, des int64
		var content string
		if err := rows.Scan(&local, &svr, &ct, &content, &typ, &des); err != nil {
			d.im.WarnAt(d.name(h.path), fmt.Sprintf("%s mesLocalID %d", table, local), "unreadable row: %v", err)
			continue
		}
		if err := d.tick(); err != nil {
			return err
		}
		r := row{SvrID: svr, Time: time.Unix(ct, 0), FromMe: des == 0, Type: typ, Content: content,
			Pos: fmt.Sprintf("%s %s mesLocalID %d", path.Base(h.path), table, local),
			Raw: newRaw().Int("mesLocalID", local).Int("mesSvrID", svr).Int("msgCreateTime", ct).Int("messageType", typ).Int("mesDes", des).Str("msgContent", content).String()}
		if err := d.add(c, r); err != nil {
			return err
		}
	}
	return rows.Err()
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
