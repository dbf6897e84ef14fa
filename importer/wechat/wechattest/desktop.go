package wechattest

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/chatvault/chatvault/importer/wechat/wcdb"
)

// DesktopPassword is the generated desktop databases' 32-byte key. WeChat desktop's key is 32
// raw bytes; these are printable so Debian's sqlcipher CLI can take them as a passphrase
// (3.x Windows uses the key as the PBKDF2 password, notes §9).
const DesktopPassword = "0123456789abcdefFEDCBA9876543210"

// DesktopKeyHex is DesktopPassword as the 64 hex digits the user gives with --wechat-key.
func DesktopKeyHex() string { return hex.EncodeToString([]byte(DesktopPassword)) }

// Windows3Pragmas: PBKDF2-SHA1 64000 and HMAC-SHA1 are sqlcipher 3.x's defaults; WeChat's page
// is 4096 (notes §9, from sjzar/chatlog decrypt/windows/v3.go).
var Windows3Pragmas = SQLCipherPragmas{"PRAGMA cipher_default_page_size = 4096;", "PRAGMA cipher_default_kdf_iter = 64000;"}

// Mac3Pragmas: the key is raw (given as x'hex'), page 1024, HMAC-SHA1 = sqlcipher 3.x defaults
// (notes §9, from chatlog decrypt/darwin/v3.go).
var Mac3Pragmas = SQLCipherPragmas{"PRAGMA cipher_default_page_size = 1024;"}

// Windows 3.x tables (notes §9, from chatlog datasource/windowsv3 and PyWxDump's notes).
var (
	win3MsgDDL = []string{
		`CREATE TABLE MSG (localId INTEGER PRIMARY KEY AUTOINCREMENT, TalkerId INT DEFAULT 0, MsgSvrID INT, Type INT, SubType INT, IsSender INT, CreateTime INT, Sequence INT DEFAULT 0, StatusEx INT DEFAULT 0, FlagEx INT, Status INT, MsgServerSeq INT, MsgSequence INT, StrTalker TEXT, StrContent TEXT, DisplayContent TEXT, Reserved0 INT DEFAULT 0, Reserved1 INT DEFAULT 0, Reserved2 INT DEFAULT 0, Reserved3 INT DEFAULT 0, Reserved4 TEXT, Reserved5 TEXT, Reserved6 TEXT, CompressContent BLOB, BytesExtra BLOB, BytesTrans BLOB)`,
		`CREATE TABLE Name2ID (UsrName TEXT PRIMARY KEY)`,
		`CREATE TABLE DBInfo (tableIndex INT, tableVersion INT, tableDesc TEXT)`,
	}
	win3ContactDDL = []string{
		`CREATE TABLE Contact (UserName TEXT PRIMARY KEY, Alias TEXT, EncryptUserName TEXT, DelFlag INT DEFAULT 0, Type INT DEFAULT 0, VerifyFlag INT DEFAULT 0, Reserved1 INT DEFAULT 0, Reserved2 INT DEFAULT 0, Reserved3 TEXT, Reserved4 TEXT, Remark TEXT, NickName TEXT, LabelIDList TEXT, DomainList TEXT, ChatRoomType INT, PYInitial TEXT, QuanPin TEXT, RemarkPYInitial TEXT, RemarkQuanPin TEXT, BigHeadImgUrl TEXT, SmallHeadImgUrl TEXT, HeadImgMd5 TEXT, ChatRoomNotify INT DEFAULT 0, Reserved5 INT DEFAULT 0, Reserved6 TEXT, Reserved7 TEXT, ExtraBuf BLOB, Reserved8 INT DEFAULT 0, Reserved9 INT DEFAULT 0, Reserved10 TEXT, Reserved11 TEXT)`,
		`CREATE TABLE ChatRoom (ChatRoomName TEXT PRIMARY KEY, UserNameList TEXT, DisplayNameList TEXT, ChatRoomFlag INT DEFAULT 0, Owner INT DEFAULT 0, IsShowName INT DEFAULT 0, SelfDisplayName TEXT, Reserved1 INT DEFAULT 0, Reserved2 TEXT, Reserved3 INT DEFAULT 0, Reserved4 TEXT, Reserved5 INT DEFAULT 0, Reserved6 TEXT, RoomData BLOB, Reserved7 INT DEFAULT 0, Reserved8 TEXT)`,
	}
	win3MediaDDL = []string{`CREATE TABLE Media (Key TEXT, Reserved0 INT, Buf BLOB, Reserved1 INT, Reserved2 TEXT)`}
)

// DesktopExpect is what importing a generated desktop folder must give.
type DesktopExpect struct {
	Conversations map[string]int // title -> messages
	Messages      int
	ImageXORKey   byte
}

// extra builds BytesExtra: field 3 repeated {1 type, 2 value} (notes §9).
func extra(items map[int]string) []byte {
	var b []byte
	for _, k := range []int{1, 3, 4} {
		v, ok := items[k]
		if !ok {
			continue
		}
		var it []byte
		it = protowire.AppendTag(it, 1, protowire.VarintType)
		it = protowire.AppendVarint(it, uint64(k))
		it = protowire.AppendTag(it, 2, protowire.BytesType)
		it = protowire.AppendString(it, v)
		b = protowire.AppendTag(b, 3, protowire.BytesType)
		b = protowire.AppendBytes(b, it)
	}
	return b
}

func lz4Block(s string) ([]byte, error) {
	dst := make([]byte, lz4.CompressBlockBound(len(s)))
	n, err := lz4.CompressBlock([]byte(s), dst, make([]int, 1<<16))
	if err != nil || n == 0 {
		return nil, fmt.Errorf("lz4: %v (n=%d)", err, n)
	}
	return dst[:n], nil
}

// WriteWindows3Plain writes Alice's account folder "wxid_alice01" of WeChat for Windows 3.x under
// dir as plain SQLite files (Msg/Multi/MSG0.db, Msg/MicroMsg.db, Msg/Multi/MediaMSG0.db) plus a
// one-byte-XOR .dat image and a WeChat 4 AES-headed .dat; it returns the account folder and the
// plain files (to Encrypt).
func WriteWindows3Plain(dir string) (acct string, plain []string, exp DesktopExpect, err error) {
	acct = filepath.Join(dir, "WeChat Files", Alice)
	multi := filepath.Join(acct, "Msg", "Multi")
	if err = os.MkdirAll(multi, 0o700); err != nil {
		return
	}
	exp = DesktopExpect{Conversations: map[string]int{BobRemark: 5, GroupName: 3}, Messages: 8, ImageXORKey: 0x37}
	img := filepath.Join("FileStorage", "MsgAttach", MD5(Bob), "Image", "2023-11", "a1b2.dat")
	aes := filepath.Join("FileStorage", "MsgAttach", MD5(Bob), "Image", "2023-11", "c3d4.dat")
	for p, b := range map[string][]byte{img: xor(JPEG, exp.ImageXORKey), aes: append([]byte{0x07, 0x08, 'V', '2', 0x08, 0x07}, make([]byte, 64)...)} {
		full := filepath.Join(acct, p)
		os.MkdirAll(filepath.Dir(full), 0o700)
		if err = os.WriteFile(full, b, 0o600); err != nil {
			return
		}
	}
	winPath := func(p string) string { return Alice + `\` + filepath.ToSlash(p) }
	link := BobChat[9] // 49/5 link
	comp, err := lz4Block(link.Content)
	if err != nil {
		return
	}
	msgDB := filepath.Join(multi, "MSG0.plain")
	err = writeDB(msgDB, win3MsgDDL, func(db *sql.DB) error {
		rows := []struct {
			svr               int64
			typ, sub, sender  int
			t                 int64
			talker, content   string
			compressed, extra []byte
		}{
			{1001, 1, 0, 0, t0 + 1, Bob, BobChat[0].Content, nil, nil},
			{1003, 3, 0, 0, t0 + 3, Bob, BobChat[2].Content, nil, extra(map[int]string{4: winPath(img)})},
			{1004, 3, 0, 1, t0 + 4, Bob, BobChat[3].Content, nil, extra(map[int]string{4: winPath(aes)})},
			{1005, 34, 0, 0, t0 + 5, Bob, BobChat[4].Content, nil, nil},
			{1010, 49, 5, 0, t0 + 10, Bob, "", comp, nil},
			// Group rows: no prefix; the sender is BytesExtra item 1 (notes §9).
			{2001, 1, 0, 0, t0 + 100, Group, "大家好", nil, extra(map[int]string{1: Bob})},
			{2002, 1, 0, 0, t0 + 101, Group, GroupSearchHit, nil, extra(map[int]string{1: Dave})},
			{2003, 1, 0, 1, t0 + 102, Group, "好啊:\n几点？", nil, nil},
		}
		for _, r := range rows {
			if _, err := db.Exec(`INSERT INTO MSG(MsgSvrID, Type, SubType, IsSender, CreateTime, StrTalker, StrContent, CompressContent, BytesExtra) VALUES(?,?,?,?,?,?,?,?,?)`,
				r.svr, r.typ, r.sub, r.sender, r.t, r.talker, r.content, r.compressed, r.extra); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return
	}
	contactDB := filepath.Join(acct, "Msg", "MicroMsg.plain")
	err = writeDB(contactDB, win3ContactDDL, func(db *sql.DB) error {
		for _, c := range [][4]string{{Bob, "bobby", BobRemark, BobNick}, {Alice, "", "", AliceNick}, {Dave, "", "", "Dave"}, {Group, "", "", GroupName}} {
			if _, err := db.Exec(`INSERT INTO Contact(UserName, Alias, Remark, NickName) VALUES(?,?,?,?)`, c[0], c[1], c[2], c[3]); err != nil {
				return err
			}
		}
		room := wcdb.Encode(wcdb.Field{Num: 1, Value: wcdb.Encode(wcdb.Field{Num: 1, Value: []byte(Dave)}, wcdb.Field{Num: 2, Value: []byte(DaveGroupName)})})
		_, err := db.Exec(`INSERT INTO ChatRoom(ChatRoomName, UserNameList, RoomData) VALUES(?,?,?)`, Group, Alice+"^G"+Bob+"^G"+Dave, room)
		return err
	})
	if err != nil {
		return
	}
	mediaDB := filepath.Join(multi, "MediaMSG0.plain")
	err = writeDB(mediaDB, win3MediaDDL, func(db *sql.DB) error {
		_, err := db.Exec(`INSERT INTO Media VALUES('k1', 1005, ?, 0, '')`, SILK)
		return err
	})
	plain = []string{msgDB, contactDB, mediaDB}
	return
}

func xor(b []byte, k byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = c ^ k
	}
	return out
}

// Mac3MsgDDL is macOS 3.x msg_<n>.db's chat table (notes §9, from chatlog datasource/darwinv3).
const mac3ChatDDL = `CREATE TABLE %s (mesLocalID INTEGER PRIMARY KEY AUTOINCREMENT, mesSvrID INTEGER DEFAULT 0, msgCreateTime INTEGER DEFAULT 0, msgContent TEXT, msgStatus INTEGER DEFAULT 0, msgImgStatus INTEGER DEFAULT 0, messageType INTEGER, mesDes INTEGER, msgSource TEXT, IntRes1 INTEGER, IntRes2 INTEGER, StrRes1 TEXT, StrRes2 TEXT, msgVoiceText TEXT, msgSeq INTEGER, CompressContent BLOB, ConBlob BLOB)`

// WriteMac3Plain writes a macOS 3.x Message/msg_0.db with the group chat (iOS-style prefixes)
// as a plain file; the group's username is unknown to it (no contact database), so the chat
// is kept under its hash.
func WriteMac3Plain(dir string) (plain string, err error) {
	msg := filepath.Join(dir, Alice, "Message")
	if err = os.MkdirAll(msg, 0o700); err != nil {
		return
	}
	plain = filepath.Join(msg, "msg_0.plain")
	err = writeDB(plain, []string{fmt.Sprintf(mac3ChatDDL, "Chat_"+MD5(Group))}, func(db *sql.DB) error {
		for _, s := range GroupChat[:4] {
			des := 1
			if s.FromMe {
				des = 0
			}
			if _, err := db.Exec(`INSERT INTO "Chat_`+MD5(Group)+`"(mesSvrID, msgCreateTime, msgContent, messageType, mesDes) VALUES(?,?,?,?,?)`, s.SvrID, s.Time, iosContent(s), s.Type, des); err != nil {
				return err
			}
		}
		return nil
	})
	return
}

// WriteV4Plain writes a WeChat 4.x db_storage with message/message_0.db (Name2Id, Msg_<md5>)
// and contact/contact.db as plain files (the Debian sqlcipher 3.4 CLI has no SHA-512, so
// these are not encrypted; notes §9 for the tables).
func WriteV4Plain(dir string) (msgDB, contactDB string, err error) {
	st := filepath.Join(dir, "xwechat_files", Alice+"_a1b2", "db_storage")
	os.MkdirAll(filepath.Join(st, "message"), 0o700)
	os.MkdirAll(filepath.Join(st, "contact"), 0o700)
	msgDB = filepath.Join(st, "message", "message_0.db")
	contactDB = filepath.Join(st, "contact", "contact.db")
	enc, _ := zstd.NewWriter(nil)
	defer enc.Close()
	err = writeDB(msgDB, []string{`CREATE TABLE Name2Id (user_name TEXT PRIMARY KEY, is_session INTEGER)`,
		fmt.Sprintf(`CREATE TABLE %s (local_id INTEGER PRIMARY KEY AUTOINCREMENT, server_id INTEGER, local_type INTEGER, sort_seq INTEGER, real_sender_id INTEGER, create_time INTEGER, status INTEGER, upload_status INTEGER, download_status INTEGER, server_seq INTEGER, origin_source INTEGER, source TEXT, message_content TEXT, compress_content TEXT, packed_info_data BLOB)`, "Msg_"+MD5(Bob))},
		func(db *sql.DB) error {
			for _, u := range []string{Bob, Alice} { // rowid 1 Bob, 2 Alice
				if _, err := db.Exec(`INSERT INTO Name2Id VALUES(?, 1)`, u); err != nil {
					return err
				}
			}
			link := BobChat[9]
			rows := []struct {
				svr, typ, sender, t int64
				content             []byte
			}{
				{1001, 1, 1, t0 + 1, []byte(BobChat[0].Content)},
				{1002, 1, 2, t0 + 2, []byte(BobChat[1].Content)},
				{1010, 49 | 5<<32, 1, t0 + 10, enc.EncodeAll([]byte(link.Content), nil)}, // subtype in the high 32 bits, zstd content
			}
			for _, r := range rows {
				if _, err := db.Exec(`INSERT INTO "Msg_`+MD5(Bob)+`"(server_id, local_type, real_sender_id, create_time, status, message_content) VALUES(?,?,?,?,2,?)`, r.svr, r.typ, r.sender, r.t, r.content); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return
	}
	err = writeDB(contactDB, []string{`CREATE TABLE contact (id INTEGER PRIMARY KEY, username TEXT, local_type INTEGER, alias TEXT, encrypt_username TEXT, flag INTEGER, delete_flag INTEGER, verify_flag INTEGER, remark TEXT, remark_quan_pin TEXT, remark_pin_yin_initial TEXT, nick_name TEXT, pin_yin_initial TEXT, quan_pin TEXT, big_head_url TEXT, small_head_url TEXT, head_img_md5 TEXT, chat_room_notify INTEGER, is_in_chat_room INTEGER, description TEXT, extra_buffer BLOB, chat_room_type INTEGER)`,
		`CREATE TABLE chat_room (id INTEGER PRIMARY KEY, username TEXT, owner TEXT, ext_buffer BLOB)`},
		func(db *sql.DB) error {
			_, err := db.Exec(`INSERT INTO contact(username, local_type, alias, remark, nick_name) VALUES(?,1,'bobby',?,?)`, Bob, BobRemark, BobNick)
			return err
		})
	return
}
