package wechat

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/wechat/wcdb"
	"github.com/chatvault/chatvault/internal/sqlitefs"
	"howett.net/plist"
)

// readContacts reads WCDB_Contact.sqlite (Friend and OpenIMContact with their protobuf blobs),
// the older MM.sqlite Friend/Friend_Ext, and session.db's usernames, building md5 -> username
// (notes §3, §4).
func (a *iosAccount) readContacts() error {
	p := path.Join(a.base, "DB", "WCDB_Contact.sqlite")
	if _, err := fs.Stat(a.src.FS, p); err == nil {
		d, err := sqlitefs.Open(a.src.FS, p)
		if err != nil {
			return importer.Bad(a.fileName(p), "not a readable SQLite database: %v", err)
		}
		defer d.Close()
		ts, _ := d.Tables()
		for _, t := range []string{"Friend", "OpenIMContact"} {
			if !ts[lower(t)] {
				continue
			}
			cols, _ := d.Columns(t)
			if !cols["username"] {
				continue
			}
			sel := "userName, " + blobCol(cols, "dbcontactremark") + ", " + blobCol(cols, "dbcontactchatroom")
			rows, err := d.QueryContext(a.ctx, "SELECT "+sel+" FROM "+t)
			if err != nil {
				return importer.Bad(a.fileName(p), "table %s: %v", t, err)
			}
			for rows.Next() {
				var user string
				var remark, room []byte
				if err := rows.Scan(&user, &remark, &room); err != nil || user == "" {
					continue
				}
				a.addUser(user)
				if len(remark) > 0 {
					r, err := wcdb.ParseRemark(remark)
					if err != nil {
						a.im.WarnAt(a.fileName(p), fmt.Sprintf("%s userName %s", t, user), "dbContactRemark: %v", err)
					}
					a.contacts[user] = contact{Remark: r.Remark, Nickname: r.Nickname, Alias: r.Alias}
				}
				if len(room) > 0 {
					cr, err := wcdb.ParseChatRoom(room)
					if err != nil {
						a.im.WarnAt(a.fileName(p), fmt.Sprintf("%s userName %s", t, user), "dbContactChatRoom: %v", err)
					}
					names := map[string]string{}
					for _, m := range cr.Members {
						a.addUser(m)
						names[m] = ""
					}
					for u, n := range cr.DisplayNames {
						names[u] = n
					}
					a.rooms[user] = names
				}
			}
			rows.Close()
		}
	}
	a.readLegacyFriends()
	a.readSessions()
	return nil
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }

func blobCol(cols map[string]bool, c string) string {
	if cols[c] {
		return c
	}
	return "NULL"
}

func (a *iosAccount) addUser(u string) {
	if u != "" {
		a.names[md5hex(u)] = u
	}
}

// readLegacyFriends reads MM.sqlite's Friend(UsrName, NickName) and Friend_Ext(UsrName,
// ConRemark) of older versions (notes §4, from WechatExport-iOS GetFriends).
func (a *iosAccount) readLegacyFriends() {
	d, err := sqlitefs.Open(a.src.FS, path.Join(a.base, "DB", "MM.sqlite"))
	if err != nil {
		return
	}
	defer d.Close()
	cols, err := d.Columns("Friend")
	if err != nil || !cols["usrname"] {
		return
	}
	q := "SELECT UsrName, " + blobColText(cols, "nickname") + " FROM Friend"
	rows, err := d.QueryContext(a.ctx, q)
	if err != nil {
		return
	}
	for rows.Next() {
		var u, nick string
		if rows.Scan(&u, &nick) == nil && u != "" {
			a.addUser(u)
			if _, ok := a.contacts[u]; !ok && nick != "" {
				a.contacts[u] = contact{Nickname: nick}
			}
		}
	}
	rows.Close()
	if ext, err := d.Columns("Friend_Ext"); err == nil && ext["usrname"] && ext["conremark"] {
		rows, err := d.QueryContext(a.ctx, "SELECT UsrName, coalesce(ConRemark,'') FROM Friend_Ext")
		if err != nil {
			return
		}
		for rows.Next() {
			var u, rem string
			if rows.Scan(&u, &rem) == nil && rem != "" {
				c := a.contacts[u]
				if c.Remark == "" {
					c.Remark = rem
					a.contacts[u] = c
				}
			}
		}
		rows.Close()
	}
}

func blobColText(cols map[string]bool, c string) string {
	if cols[c] {
		return "coalesce(" + c + ",'')"
	}
	return "''"
}

// readSessions adds session.db's usernames (SessionAbstract.UsrName), which name chats whose
// contact row is gone.
func (a *iosAccount) readSessions() {
	p := path.Join(a.base, "session", "session.db")
	if _, err := fs.Stat(a.src.FS, p); err != nil {
		return
	}
	d, err := sqlitefs.Open(a.src.FS, p)
	if err != nil {
		a.im.WarnAt(a.fileName(p), "file", "not a readable SQLite database: %v", err)
		return
	}
	defer d.Close()
	rows, err := d.QueryContext(a.ctx, "SELECT UsrName FROM SessionAbstract")
	if err != nil {
		return
	}
	defer rows.Close()
	for rows.Next() {
		var u string
		if rows.Scan(&u) == nil {
			a.addUser(u)
		}
	}
}

var tokenRe = regexp.MustCompile(`[A-Za-z0-9_@.\-]{3,64}`)

// findMe finds the account's own username: the one whose md5 is the folder name, among the
// contacts, group members, and the strings of mmsetting.archive and LoginInfo2.dat (notes §2).
func (a *iosAccount) findMe() {
	if u, ok := a.names[a.hash]; ok {
		a.me = u
	} else {
		for _, p := range []string{path.Join(a.base, "mmsetting.archive"), path.Join(a.src.Path, "Documents", "LoginInfo2.dat")} {
			b, err := readBounded(a.src.FS, p, 16<<20)
			if err != nil {
				continue
			}
			for _, t := range candidates(b) {
				if md5hex(t) == a.hash {
					a.me = t
					break
				}
			}
			if a.me != "" {
				break
			}
		}
	}
	if a.me == "" {
		// Unknown: the folder's hash stands for the owner, still one participant marked as me.
		a.me = "md5:" + a.hash
		a.im.Note(fmt.Sprintf("account folder %s: own WeChat username not found; the owner is recorded as %s", a.hash, a.me))
	}
	if c, ok := a.contacts[a.me]; ok {
		a.meName = first(c.Nickname, c.Remark)
	}
}

// candidates are the strings of a file that may be the username: a property list's strings
// (mmsetting.archive is an NSKeyedArchiver plist), else runs of username characters (LoginInfo2.dat
// is protobuf).
func candidates(b []byte) []string {
	var v any
	var out []string
	if _, err := plist.Unmarshal(b, &v); err == nil {
		var walk func(any, int)
		walk = func(x any, depth int) {
			if depth > 16 {
				return
			}
			switch x := x.(type) {
			case string:
				out = append(out, x)
			case []any:
				for _, y := range x {
					walk(y, depth+1)
				}
			case map[string]any:
				for _, y := range x {
					walk(y, depth+1)
				}
			}
		}
		walk(v, 0)
		return out
	}
	for _, t := range tokenRe.FindAll(b, -1) {
		out = append(out, string(t))
	}
	return out
}
