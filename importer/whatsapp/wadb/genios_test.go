package wadb

import (
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/chatvault/chatvault/importer/whatsapp/wadb/wadbtest"
)

type iosMsg struct {
	chat, member, stanza, text, media, mime, title, vcard, quoted string
	fromMe                                                        bool
	typ, event                                                    int64
	at                                                            time.Time
	lat, lon                                                      float64
}

// iosSample: every iOS message type the importer maps (ZMESSAGETYPE codes §6).
func iosSample() ([]iosMsg, map[string]string) {
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	msgs := []iosMsg{
		{chat: alice, stanza: "I1", text: "hello from the iPhone", at: at(0)},
		{chat: alice, stanza: "I2", text: "hi", fromMe: true, at: at(1)},
		{chat: alice, stanza: "I3", typ: 1, text: "photo caption", media: "Media/491511111111@s.whatsapp.net/a/b/photo.jpg", mime: "image/jpeg", at: at(2)},
		{chat: alice, stanza: "I4", typ: 2, media: "Media/491511111111@s.whatsapp.net/c/d/video.mp4", mime: "video/mp4", at: at(3)},
		{chat: alice, stanza: "I5", typ: 3, media: "Media/491511111111@s.whatsapp.net/e/f/voice.opus", mime: "audio/ogg", at: at(4)},
		{chat: alice, stanza: "I6", typ: 4, vcard: "BEGIN:VCARD\nFN:Dora Card\nTEL:+49 170 1234567\nEND:VCARD", at: at(5)},
		{chat: alice, stanza: "I7", typ: 5, lat: 52.52, lon: 13.405, title: "Berlin", at: at(6)},
		{chat: alice, stanza: "I8", typ: 8, media: "Media/491511111111@s.whatsapp.net/g/h/doc.pdf", mime: "application/pdf", title: "report.pdf", at: at(7)},
		{chat: alice, stanza: "I9", typ: 11, media: "Media/491511111111@s.whatsapp.net/i/j/anim.mp4", mime: "video/mp4", at: at(8)},
		{chat: alice, stanza: "I10", typ: 14, at: at(9)},
		{chat: alice, stanza: "I11", typ: 15, media: "Media/491511111111@s.whatsapp.net/k/l/sticker.webp", mime: "image/webp", at: at(10)},
		{chat: alice, stanza: "I12", text: "replying", quoted: "I1", media: "", at: at(11), fromMe: true},
		{chat: alice, stanza: "I13", typ: 38, media: "", mime: "image/jpeg", at: at(12)},
		{chat: alice, stanza: "I14", typ: 59, at: at(13)},
		{chat: group, stanza: "IG1", typ: 6, event: 12, member: bob, at: at(20)},
		{chat: group, stanza: "IG2", text: "hi group", member: bob, at: at(21)},
		{chat: "491511111111@status", stanza: "IS1", text: "story", at: at(22)},
	}
	return msgs, map[string]string{group: "Family Group", alice: "Alice Example", "491511111111@status": ""}
}

func writeIOS(t testing.TB, dir string, msgs []iosMsg, chats map[string]string) {
	db := openNew(t, filepath.Join(dir, "ChatStorage.sqlite"))
	defer db.Close()
	execAll(t, db, wadbtest.IOSDDL...)
	chatPK, memberPK := map[string]int64{}, map[string]int64{}
	for jid, name := range chats {
		typ := 0
		if jid == group {
			typ = 1
		}
		res, err := db.Exec(`INSERT INTO ZWACHATSESSION(ZCONTACTJID, ZPARTNERNAME, ZSESSIONTYPE) VALUES(?,?,?)`, jid, name, typ)
		if err != nil {
			t.Fatal(err)
		}
		chatPK[jid], _ = res.LastInsertId()
	}
	for _, m := range []string{alice, bob} {
		res, _ := db.Exec(`INSERT INTO ZWAGROUPMEMBER(ZCHATSESSION, ZMEMBERJID, ZCONTACTNAME) VALUES(?,?,?)`, chatPK[group], m, "")
		memberPK[m], _ = res.LastInsertId()
	}
	db.Exec(`INSERT INTO ZWAPROFILEPUSHNAME(ZJID, ZPUSHNAME) VALUES(?, 'Bobby')`, bob)
	for i, m := range msgs {
		var item any
		if m.media != "" || m.vcard != "" || m.typ == 5 || m.quoted != "" || m.mime != "" {
			var meta []byte
			if m.quoted != "" {
				meta = protowire.AppendTag(meta, 5, protowire.BytesType)
				meta = protowire.AppendString(meta, m.quoted)
				meta = protowire.AppendTag(meta, 6, protowire.BytesType)
				meta = protowire.AppendString(meta, alice)
			}
			vs := m.mime
			if m.vcard != "" {
				vs = m.vcard
			}
			res, err := db.Exec(`INSERT INTO ZWAMEDIAITEM(ZMESSAGE, ZMEDIALOCALPATH, ZFILESIZE, ZLATITUDE, ZLONGITUDE, ZTITLE, ZVCARDSTRING, ZMETADATA) VALUES(?,?,?,?,?,?,?,?)`,
				i+1, nilIfEmpty(m.media), len("media of "+m.stanza), m.lat, m.lon, nilIfEmpty(m.title), nilIfEmpty(vs), meta)
			if err != nil {
				t.Fatal(err)
			}
			item, _ = res.LastInsertId()
		}
		var member any
		if m.member != "" {
			member = memberPK[m.member]
		}
		_, err := db.Exec(`INSERT INTO ZWAMESSAGE(Z_PK, ZCHATSESSION, ZISFROMME, ZMESSAGEDATE, ZMESSAGETYPE, ZGROUPEVENTTYPE, ZTEXT, ZSTANZAID, ZGROUPMEMBER, ZMEDIAITEM, ZFLAGS, ZSTARRED)
			VALUES(?,?,?,?,?,?,?,?,?,?,0,0)`, i+1, chatPK[m.chat], b2i(m.fromMe), float64(m.at.Unix()-appleEpoch), m.typ, m.event, nilIfEmpty(m.text), m.stanza, member, item)
		if err != nil {
			t.Fatal(err)
		}
	}
	c := openNew(t, filepath.Join(dir, "ContactsV2.sqlite"))
	defer c.Close()
	execAll(t, c, `CREATE TABLE ZWAADDRESSBOOKCONTACT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZFULLNAME BLOB, ZGIVENNAME BLOB, ZLASTNAME BLOB, ZUSERNAME BLOB, ZBUSINESSNAME BLOB, ZPHONENUMBER BLOB, ZLOCALIZEDPHONENUMBER BLOB, ZWHATSAPPID BLOB, ZLID BLOB)`)
	c.Exec(`INSERT INTO ZWAADDRESSBOOKCONTACT(ZFULLNAME, ZPHONENUMBER, ZWHATSAPPID) VALUES(CAST('Alice Example' AS BLOB), '+491511111111', ?)`, []byte(alice))
}

// iosMedia writes the media files under Message/, all but skip.
func iosMedia(t testing.TB, dir string, msgs []iosMsg, skip string) int {
	n := 0
	for _, m := range msgs {
		if m.media == "" || m.media == skip {
			continue
		}
		writeFile(t, filepath.Join(dir, "Message", filepath.FromSlash(m.media)), "media of "+m.stanza)
		n++
	}
	return n
}
