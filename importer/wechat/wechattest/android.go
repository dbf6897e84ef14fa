package wechattest

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/chatvault/chatvault/importer/wechat/wcdb"
)

// Android EnMicroMsg.db tables (notes §8: message from ppwwyyxx/wechat-dump and makewheels/
// weixin-chat-log Message.java; rcontact, chatroom, userinfo, ImgInfo2 likewise).
var androidDDL = []string{
	`CREATE TABLE message (msgId INTEGER PRIMARY KEY, msgSvrId INTEGER, type INT, status INT, isSend INT, isShowTimer INTEGER, createTime INTEGER, talker TEXT, content TEXT, imgPath TEXT, reserved TEXT, lvbuffer BLOB, transContent TEXT, transBrandWording TEXT, talkerId INTEGER, bizClientMsgId TEXT, bizChatId INTEGER DEFAULT -1, bizChatUserId TEXT, msgSeq INTEGER, flag INT)`,
	`CREATE TABLE rcontact (username TEXT PRIMARY KEY, alias TEXT, conRemark TEXT, domainList TEXT, nickname TEXT, pyInitial TEXT, quanPin TEXT, showHead INTEGER, type INT, weiboFlag INT, weiboNickname TEXT, conRemarkPYFull TEXT, conRemarkPYShort TEXT, lvbuff BLOB, verifyFlag INT, encryptUsername TEXT, chatroomFlag INT, deleteFlag INT, contactLabelIds TEXT)`,
	`CREATE TABLE chatroom (chatroomname TEXT PRIMARY KEY, addtime INTEGER, memberlist TEXT, displayname TEXT, chatroomnick TEXT, roomflag INTEGER, roomowner TEXT, roomdata BLOB, isShowname INTEGER, selfDisplayName TEXT, style INTEGER, chatroomdataflag INTEGER, modifytime LONG, chatroomnotice TEXT, chatroomVersion INTEGER, memberCount INTEGER)`,
	`CREATE TABLE userinfo (id INTEGER PRIMARY KEY, type INT, value TEXT)`,
	`CREATE TABLE ImgInfo2 (id INTEGER PRIMARY KEY, msgSvrId LONG, offset INT, totalLen INT, bigImgPath TEXT, thumbImgPath TEXT, createtime INT, msglocalid INT, status INT, nettimes INT, reserved1 INT, reserved2 INT, reserved3 TEXT, reserved4 TEXT, hashdthumb INT, iscomplete INT, origImgMD5 TEXT, compressType INT, midImgPath TEXT, forwardType INT, hevcPath TEXT, sendImgType INT)`,
}

// AndroidUIN and AndroidIMEI make the generated database's key (notes §8:
// first 7 hex of md5(IMEI + uin)).
const (
	AndroidUIN  = "-1234567890"
	AndroidIMEI = "358240051111110"
)

// AndroidKey is the generated database's passphrase.
func AndroidKey() string { return MD5(AndroidIMEI + AndroidUIN)[:7] }

// AndroidFolder is the account folder name: md5("mm" + uin) (notes §8).
func AndroidFolder() string { return MD5("mm" + AndroidUIN) }

// AndroidExpect is what importing the generated Android database must give.
type AndroidExpect struct {
	Conversations map[string]int // title -> messages
	Messages      int
}

// WriteAndroidPlain writes account Alice's Bob and group chats (the same messages as the iPhone
// folder, with Android's millisecond times, isSend and flag-bit types) as an unencrypted SQLite
// file at dbPath, and their image and voice files beside it (image2/, voice2/, notes §8).
func WriteAndroidPlain(dbPath string) (AndroidExpect, error) {
	exp := AndroidExpect{Conversations: map[string]int{BobRemark: len(BobChat), GroupName: len(GroupChat)}}
	exp.Messages = len(BobChat) + len(GroupChat)
	root := filepath.Dir(dbPath)
	err := writeDB(dbPath, androidDDL, func(db *sql.DB) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO userinfo VALUES(2, 0, ?)`, []any{Alice}},
			{`INSERT INTO userinfo VALUES(4, 0, ?)`, []any{AliceNick}},
			{`INSERT INTO rcontact(username, alias, conRemark, nickname, type) VALUES(?,?,?,?,3)`, []any{Bob, "bobby", BobRemark, BobNick}},
			{`INSERT INTO rcontact(username, alias, conRemark, nickname, type) VALUES(?,'','',?,3)`, []any{Alice, AliceNick}},
			{`INSERT INTO rcontact(username, alias, conRemark, nickname, type) VALUES(?,'','',?,4)`, []any{Dave, "Dave"}},
			{`INSERT INTO rcontact(username, alias, conRemark, nickname, type) VALUES(?,'','',?,3)`, []any{Group, GroupName}},
			{`INSERT INTO chatroom(chatroomname, memberlist, roomowner, roomdata) VALUES(?,?,?,?)`, []any{Group, Alice + ";" + Bob + ";" + Dave, Bob,
				wcdb.Encode(wcdb.Field{Num: 1, Value: wcdb.Encode(wcdb.Field{Num: 1, Value: []byte(Dave)}, wcdb.Field{Num: 2, Value: []byte(DaveGroupName)})},
					wcdb.Field{Num: 1, Value: wcdb.Encode(wcdb.Field{Num: 1, Value: []byte(Bob)})})}},
		} {
			if _, err := db.Exec(q.sql, q.args...); err != nil {
				return err
			}
		}
		for _, chat := range []struct {
			talker string
			ss     []Sample
		}{{Bob, BobChat}, {Group, GroupChat}} {
			for i, s := range chat.ss {
				isSend := 0
				if s.FromMe {
					isSend = 1
				}
				img := ""
				switch s.File {
				case "pic":
					img = "THUMBNAIL_DIRPATH://th_" + MD5(fmt.Sprint(s.SvrID))
				case "aud":
					img = fmt.Sprintf("%d%d", s.Time, i)
				}
				if _, err := db.Exec(`INSERT INTO message(msgSvrId, type, status, isSend, createTime, talker, content, imgPath) VALUES(?,?,3,?,?,?,?,?)`,
					s.SvrID, s.AndroidType(), isSend, s.Time*1000, chat.talker, iosContent(s), img); err != nil {
					return err
				}
				if err := androidMedia(root, s, img); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return exp, err
}

// androidMedia writes a sample's file where wechat-dump's res.py looks: image2/<h[0:2]>/<h[2:4]>/th_<h>
// and voice2/<m[0:2]>/<m[2:4]>/msg_<imgPath>.amr with m = md5(imgPath).
func androidMedia(root string, s Sample, img string) error {
	var p string
	switch s.File {
	case "pic":
		h := strings.TrimPrefix(img, "THUMBNAIL_DIRPATH://th_")
		p = filepath.Join(root, "image2", h[0:2], h[2:4], "th_"+h)
	case "aud":
		m := MD5(img)
		p = filepath.Join(root, "voice2", m[0:2], m[2:4], "msg_"+img+".amr")
	default:
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	return os.WriteFile(p, fileBytes(s.File), 0o600)
}

// ErrNoSQLCipher means Debian's sqlcipher command is not installed.
var ErrNoSQLCipher = errors.New("the sqlcipher command is missing: apt-get install -y sqlcipher")

// SQLCipherPragmas are the statements that set a cipher up in the sqlcipher CLI (3.x), run
// before ATTACH so the attached database gets them.
type SQLCipherPragmas []string

// AndroidPragmas are WeChat Android's parameters (notes §8: verified with sqlcipher 3.4.1 on the
// chg-hou fixture): no HMAC, 4000 iterations, page 1024.
var AndroidPragmas = SQLCipherPragmas{"PRAGMA cipher_default_use_hmac = OFF;", "PRAGMA cipher_default_kdf_iter = 4000;", "PRAGMA cipher_default_page_size = 1024;"}

// Encrypt copies the plain database into a new SQLCipher file with key (a passphrase, or
// "x'64 hex'" for a raw key) using the sqlcipher command (sqlcipher_export).
func Encrypt(plain, enc, key string, pragmas SQLCipherPragmas) error {
	bin, err := exec.LookPath("sqlcipher")
	if err != nil {
		return ErrNoSQLCipher
	}
	keyLit := "'" + key + "'"
	if strings.HasPrefix(key, "x'") {
		keyLit = `"` + key + `"`
	}
	script := strings.Join(pragmas, "\n") + "\nATTACH DATABASE '" + enc + "' AS enc KEY " + keyLit + ";\nSELECT sqlcipher_export('enc');\nDETACH DATABASE enc;\n"
	cmd := exec.Command(bin, plain)
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(out), "Error") {
		return fmt.Errorf("sqlcipher: %v: %s", err, out)
	}
	return nil
}
