package wechattest

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"howett.net/plist"

	"github.com/chatvault/chatvault/importer/wechat/wcdb"
	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver, as chatvault opens it
)

// Chat table schemas. MM.sqlite's column order is lefex/iWeChat's README (数据库设计) and
// wenerme's schema dump; message_N.sqlite holds the same columns in alphabetical order (notes §3).
const (
	chatTableMM = `CREATE TABLE %s (TableVer integer default 1, MesLocalID integer primary key autoincrement, MesSvrID integer default 0, CreateTime integer default 0, Message text, Status integer default 0, ImgStatus integer default 0, Type integer, Des integer)`
	chatTableN  = `CREATE TABLE %s (CreateTime integer default 0, Des integer, ImgStatus integer default 0, MesLocalID integer primary key autoincrement, MesSvrID integer default 0, Message text, Status integer default 0, TableVer integer default 1, Type integer)`
	// WCDB_Contact.sqlite Friend (notes §4, from wenerme's schema dump and WechatExporter).
	friendTable = `CREATE TABLE Friend(userName text primary key, type integer, certificationFlag integer, imgStatus integer, encodeUserName text, dbContactLocal blob, dbContactOther blob, dbContactRemark blob, dbContactHeadImage blob, dbContactProfile blob, dbContactSocial blob, dbContactChatRoom blob, dbContactBrand blob, _packed_DBContactTable blob)`
	// session.db SessionAbstract: the columns WechatExporter reads (notes §3).
	sessionTable = `CREATE TABLE SessionAbstract(UsrName text, CreateTime integer, unreadcount integer, ConStrRes1 text)`
)

// IOSExpect is what importing the generated folder must give.
type IOSExpect struct {
	// Conversations: title → message count.
	Conversations map[string]int
	Messages      int
	Files         int // media files written (each stored once)
}

// WriteIOS writes an AppDomain-com.tencent.xin folder at dir: Documents/<md5(Alice)>/ (contacts,
// a 1:1 chat with every type in MM.sqlite, a group, a deleted contact's and an unnamed chat in
// message_1.sqlite, media files, session.db), Documents/<md5(Second)>/ (owner found only through
// mmsetting.archive), and the all-zero folder WeChat leaves, which must be skipped.
func WriteIOS(dir string) (IOSExpect, error) {
	exp := IOSExpect{Conversations: map[string]int{}}
	a := filepath.Join(dir, "Documents", MD5(Alice))
	if err := mkdirs(a, "DB", "session"); err != nil {
		return exp, err
	}
	err := writeDB(filepath.Join(a, "DB", "WCDB_Contact.sqlite"), []string{friendTable}, func(db *sql.DB) error {
		remark := func(nick, alias, rem string) []byte {
			return wcdb.Encode(wcdb.Field{Num: 1, Value: []byte(nick)}, wcdb.Field{Num: 2, Value: []byte(alias)}, wcdb.Field{Num: 3, Value: []byte(rem)})
		}
		room := wcdb.Encode(wcdb.Field{Num: 1, Value: []byte(Alice + ";" + Bob + ";" + Dave)}, wcdb.Field{Num: 2, Value: []byte(Bob)},
			wcdb.Field{Num: 6, Value: []byte(`<RoomData><Member UserName="` + Dave + `"><DisplayName>` + DaveGroupName + `</DisplayName></Member><Member UserName="` + Bob + `"></Member></RoomData>`)})
		rows := []struct {
			user        string
			typ         int
			remark, rom []byte
		}{
			{Alice, 3, remark(AliceNick, "alice", ""), nil},
			{Bob, 3, remark(BobNick, "bobby", BobRemark), nil},
			{Carol, 3, remark(CarolNick, "", ""), nil},
			{Dave, 4, remark("Dave", "", ""), nil}, // type 4: met in a group only (notes §4)
			{Group, 3, remark(GroupName, "", ""), room},
		}
		for _, r := range rows {
			if _, err := db.Exec(`INSERT INTO Friend(userName, type, certificationFlag, dbContactRemark, dbContactChatRoom) VALUES(?,?,0,?,?)`, r.user, r.typ, r.remark, r.rom); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return exp, err
	}
	err = writeDB(filepath.Join(a, "session", "session.db"), []string{sessionTable}, func(db *sql.DB) error {
		for _, u := range []string{Bob, Group} {
			if _, err := db.Exec(`INSERT INTO SessionAbstract VALUES(?,?,0,?)`, u, t0, MD5(u)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return exp, err
	}
	// MM.sqlite: Bob's chat plus the tables that are not chats (notes §3: ChatExt2_, Hello_).
	if err := writeChats(filepath.Join(a, "DB", "MM.sqlite"), chatTableMM, map[string][]Sample{Bob: BobChat}, true); err != nil {
		return exp, err
	}
	if err := writeChats(filepath.Join(a, "DB", "message_1.sqlite"), chatTableN, map[string][]Sample{Group: GroupChat, Ghost: GhostChat, Lost: LostChat}, false); err != nil {
		return exp, err
	}
	n, err := writeMedia(a, map[string][]Sample{Bob: BobChat, Group: GroupChat})
	if err != nil {
		return exp, err
	}
	exp.Files = n
	exp.Conversations[BobRemark] = len(BobChat)
	exp.Conversations[GroupName] = len(GroupChat)
	exp.Conversations[Ghost] = len(GhostChat)
	exp.Conversations["WeChat chat "+MD5(Lost)[:8]] = len(LostChat)

	// Account 2: no own contact row; its username is in mmsetting.archive (an NSKeyedArchiver
	// plist with UsrName and NickName, notes §2).
	b := filepath.Join(dir, "Documents", MD5(Second))
	if err := mkdirs(b, "DB"); err != nil {
		return exp, err
	}
	arch, err := plist.Marshal(map[string]any{"$archiver": "NSKeyedArchiver", "$version": 100000,
		"$objects": []any{"$null", map[string]any{"UsrName": plist.UID(2), "NickName": plist.UID(3)}, Second, SecondNick}}, plist.BinaryFormat)
	if err != nil {
		return exp, err
	}
	if err := os.WriteFile(filepath.Join(b, "mmsetting.archive"), arch, 0o600); err != nil {
		return exp, err
	}
	err = writeDB(filepath.Join(b, "DB", "WCDB_Contact.sqlite"), []string{friendTable}, func(db *sql.DB) error {
		_, err := db.Exec(`INSERT INTO Friend(userName, type, dbContactRemark) VALUES(?,3,?)`, Carol, wcdb.Encode(wcdb.Field{Num: 1, Value: []byte(CarolNick)}))
		return err
	})
	if err != nil {
		return exp, err
	}
	if err := writeChats(filepath.Join(b, "DB", "MM.sqlite"), chatTableMM, map[string][]Sample{Carol: SecondChat}, false); err != nil {
		return exp, err
	}
	exp.Conversations[CarolNick] = len(SecondChat)

	// The all-zero folder (notes §2: WechatExporter and WechatExport-iOS skip it).
	z := filepath.Join(dir, "Documents", "00000000000000000000000000000000")
	if err := mkdirs(z, "DB"); err != nil {
		return exp, err
	}
	if err := writeChats(filepath.Join(z, "DB", "MM.sqlite"), chatTableMM, map[string][]Sample{"wxid_zero": {{9001, t0, false, "", 1, 0, "must not be imported", "text", ""}}}, false); err != nil {
		return exp, err
	}
	for _, n := range exp.Conversations {
		exp.Messages += n
	}
	return exp, nil
}

func mkdirs(base string, subs ...string) error {
	for _, s := range subs {
		if err := os.MkdirAll(filepath.Join(base, s), 0o700); err != nil {
			return err
		}
	}
	return nil
}

// writeDB creates a SQLite file with the statements and fills it.
func writeDB(path string, ddl []string, fill func(*sql.DB) error) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, s := range ddl {
		if _, err := db.Exec(s); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if fill != nil {
		if err := fill(db); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}

// iosContent is the Message column: group rows received carry "sender:\n" (notes §5).
func iosContent(s Sample) string {
	if s.Sender != "" && !s.FromMe && s.Type != 10000 && s.Type != 10002 {
		return s.Sender + ":\n" + s.Content
	}
	return s.Content
}

func writeChats(path, schema string, chats map[string][]Sample, decoys bool) error {
	var ddl []string
	for user := range chats {
		ddl = append(ddl, fmt.Sprintf(schema, "Chat_"+MD5(user)))
		if decoys {
			ddl = append(ddl, "CREATE TABLE ChatExt2_"+MD5(user)+"(ConIntRes1 integer, ConStrRes1 text)",
				"CREATE TABLE Hello_"+MD5(user)+"(MesLocalID integer primary key, Message text)")
		}
	}
	return writeDB(path, ddl, func(db *sql.DB) error {
		for user, ss := range chats {
			for _, s := range ss {
				des := 1 // Des: 0 sent by the owner, 1 received (notes §3)
				if s.FromMe {
					des = 0
				}
				if _, err := db.Exec(`INSERT INTO "Chat_`+MD5(user)+`"(MesSvrID, CreateTime, Message, Status, ImgStatus, Type, Des) VALUES(?,?,?,2,1,?,?)`,
					s.SvrID, s.Time, iosContent(s), s.Type, des); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// writeMedia writes each sample's file where an iPhone keeps it: Img/<chat md5>/<MesLocalID>.pic,
// Audio/.../<id>.aud, Video/.../<id>.mp4, OpenData/.../<id>.<ext> (notes §6). MesLocalID is the
// sample's 1-based position (autoincrement in insert order).
func writeMedia(acct string, chats map[string][]Sample) (int, error) {
	n := 0
	for user, ss := range chats {
		for i, s := range ss {
			var dir, name string
			id := i + 1
			switch s.File {
			case "":
				continue
			case "pic":
				dir, name = "Img", fmt.Sprintf("%d.pic", id)
			case "aud":
				dir, name = "Audio", fmt.Sprintf("%d.aud", id)
			case "mp4":
				dir, name = "Video", fmt.Sprintf("%d.mp4", id)
			case "pdf":
				dir, name = "OpenData", fmt.Sprintf("%d.pdf", id)
			}
			p := filepath.Join(acct, dir, MD5(user), name)
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				return n, err
			}
			if err := os.WriteFile(p, fileBytes(s.File), 0o600); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
