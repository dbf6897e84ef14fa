package wechattest

import (
	"database/sql"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/chatvault/chatvault/importer/wechat/wcdb"
)

// GenerateChats is how many chats GenerateIOS spreads its messages over; every tenth is a group.
const GenerateChats = 100

// GenerateIOS writes a large WeChat iPhone app folder at dir for benchmarks: one account with n
// messages in GenerateChats chats, half the chat tables in MM.sqlite and half in message_1.sqlite,
// 85% text, 10% links (type 49 XML), 5% photos, group messages with "wxid:\n" sender prefixes.
// It writes no media files: photos lists, relative to dir, where the importer looks first for
// each photo's file (Img/<md5 of the chat>/<MesLocalID>.pic), for a caller that wants them.
func GenerateIOS(dir string, n int) (photos []string, err error) {
	const me = "wxid_benchowner"
	base := path.Join("Documents", MD5(me))
	acct := filepath.Join(dir, filepath.FromSlash(base), "DB")
	if err := os.MkdirAll(acct, 0o700); err != nil {
		return nil, err
	}
	user := func(i int) string {
		if i%10 == 0 {
			return fmt.Sprintf("%d@chatroom", 1000+i)
		}
		return fmt.Sprintf("wxid_friend%03d", i)
	}
	if err := generateContacts(filepath.Join(acct, "WCDB_Contact.sqlite"), me, user); err != nil {
		return nil, err
	}
	per := n / GenerateChats
	for f, file := range []string{"MM.sqlite", "message_1.sqlite"} {
		db, err := sql.Open("sqlite", filepath.Join(acct, file)+"?_pragma=journal_mode(off)&_pragma=synchronous(off)")
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(1)
		tx, err := db.Begin()
		if err != nil {
			db.Close()
			return nil, err
		}
		for c := f; c < GenerateChats; c += 2 {
			count := per
			if c == GenerateChats-1 {
				count += n - per*GenerateChats
			}
			ps, err := generateChat(tx, c, count, user(c))
			if err != nil {
				db.Close()
				return nil, err
			}
			for _, id := range ps {
				photos = append(photos, path.Join(base, "Img", MD5(user(c)), fmt.Sprint(id)+".pic"))
			}
		}
		err = tx.Commit()
		if e := db.Close(); err == nil {
			err = e
		}
		if err != nil {
			return nil, err
		}
	}
	return photos, nil
}

func generateContacts(file, me string, user func(int) string) error {
	db, err := sql.Open("sqlite", file)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE Friend(userName text primary key, type integer, dbContactRemark blob, dbContactChatRoom blob)`); err != nil {
		return err
	}
	if _, err := db.Exec(`INSERT INTO Friend VALUES(?, 3, ?, NULL)`, me, wcdb.Encode(wcdb.Field{Num: 1, Value: []byte("Owner")})); err != nil {
		return err
	}
	for i := 0; i < GenerateChats; i++ {
		if _, err := db.Exec(`INSERT INTO Friend VALUES(?, 3, ?, NULL)`, user(i), wcdb.Encode(wcdb.Field{Num: 1, Value: []byte(fmt.Sprintf("朋友%d", i))})); err != nil {
			return err
		}
	}
	return nil
}

// generateChat writes chat c's table of count messages and returns its photos' MesLocalIDs.
func generateChat(tx *sql.Tx, c, count int, user string) ([]int64, error) {
	tbl := "Chat_" + MD5(user)
	if _, err := tx.Exec(fmt.Sprintf(chatTableMM, tbl)); err != nil {
		return nil, err
	}
	st, err := tx.Prepare(`INSERT INTO ` + tbl + `(MesLocalID, MesSvrID, CreateTime, Message, Type, Des) VALUES(?,?,?,?,?,?)`)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	var photos []int64
	for i := 0; i < count; i++ {
		id := int64(i) + 1
		svr := int64(c)*10_000_000 + id
		des := i % 2
		typ, msg := 1, fmt.Sprintf("第%d条消息 message %d in chat %d, 今天天气不错", i, i, c)
		switch {
		case i%20 == 7:
			typ, msg = 3, `<msg><img md5="x" length="1000"/></msg>`
			photos = append(photos, id)
		case i%10 == 3:
			typ, msg = 49, fmt.Sprintf(`<msg><appmsg><title>文章 %d</title><des>摘要</des><type>5</type><url>https://example.com/%d</url></appmsg></msg>`, i, i)
		}
		if c%10 == 0 && des == 1 {
			msg = fmt.Sprintf("wxid_member%02d:\n", i%30) + msg
		}
		if _, err := st.Exec(id, svr, 1600000000+int64(i)*60, msg, typ, des); err != nil {
			return nil, err
		}
	}
	return photos, nil
}
