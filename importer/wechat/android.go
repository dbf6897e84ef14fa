package wechat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/wechat/wcdb"
	"github.com/chatvault/chatvault/importer/wechat/wxmsg"
	"github.com/chatvault/chatvault/internal/sqlcipher"
)

// androidImporter reads Android WeChat's EnMicroMsg.db (SQLCipher 1.x parameters, the key from
// the device id and the account's uin; notes §8), alone or inside a copy of the app's data folder
// /data/data/com.tencent.mm.
type androidImporter struct{}

func (androidImporter) Name() string    { return "wechat-android" }
func (androidImporter) Version() string { return "1" }
func (androidImporter) Describe() string {
	return "WeChat on Android: EnMicroMsg.db (with --uin and --imei) or a copy of the app folder /data/data/com.tencent.mm (root needed)"
}
func (androidImporter) Rank() int { return archive.RankDatabase }

func (androidImporter) Flags() []importer.Flag {
	return []importer.Flag{
		{Name: "uin", Usage: "WeChat Android: the account's uin (shared_prefs/auth_info_key_prefs.xml _auth_uin), for EnMicroMsg.db given alone"},
		{Name: "imei", Usage: "WeChat Android: the phone's IMEI or device id (dial *#06#); several separated by commas"},
	}
}

var enMicroMsgRe = regexp.MustCompile(`(?i)^enmicromsg.*\.db$`)

// androidDBs lists the EnMicroMsg.db files of a source: the file itself, or
// MicroMsg/<md5("mm"+uin)>/EnMicroMsg.db in an app folder.
func androidDBs(src importer.Source) []string {
	st, err := src.Stat()
	if err != nil {
		return nil
	}
	if !st.IsDir() {
		if enMicroMsgRe.MatchString(path.Base(src.Path)) {
			return []string{src.Path}
		}
		return nil
	}
	mm := path.Join(src.Path, "MicroMsg")
	ents, err := fs.ReadDir(src.FS, mm)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() && accountRe.MatchString(e.Name()) {
			p := path.Join(mm, e.Name(), "EnMicroMsg.db")
			if st, err := fs.Stat(src.FS, p); err == nil && !st.IsDir() {
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (androidImporter) Detect(src importer.Source) int {
	dbs := androidDBs(src)
	if len(dbs) == 0 {
		return 0
	}
	// An encrypted file does not begin with SQLite's header.
	f, err := src.FS.Open(dbs[0])
	if err != nil {
		return 0
	}
	defer f.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(f, head); err != nil || string(head) == "SQLite format 3\x00" {
		return 0
	}
	return 85
}

func (x androidImporter) Import(ctx context.Context, src importer.Source, im *archive.Import, opts importer.Options) error {
	dbs := androidDBs(src)
	if len(dbs) == 0 {
		return importer.Bad(src.String(), "no EnMicroMsg.db (give the file, or the app folder holding MicroMsg/<hash>/EnMicroMsg.db)")
	}
	uins := x.uins(src, opts)
	ids := x.deviceIDs(src, opts)
	for _, p := range dbs {
		if err := x.importDB(ctx, src, p, uins, ids, im, opts); err != nil {
			return err
		}
	}
	return nil
}

var uinRe = regexp.MustCompile(`name="(?:default_uin|_auth_uin|auth_uin|last_login_uin)"\s+value="(-?[0-9]+)"`)

// uins are the candidate account numbers: --uin, then the app folder's shared_prefs (notes §8).
func (androidImporter) uins(src importer.Source, opts importer.Options) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if u = strings.TrimSpace(u); u != "" && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	for _, u := range strings.Split(opts.Value("uin"), ",") {
		add(u)
	}
	if src.IsDir() {
		for _, f := range []string{"system_config_prefs.xml", "auth_info_key_prefs.xml", "com.tencent.mm_preferences.xml"} {
			b, err := readBounded(src.FS, path.Join(src.Path, "shared_prefs", f), 4<<20)
			if err != nil {
				continue
			}
			for _, g := range uinRe.FindAllSubmatch(b, -1) {
				add(string(g[1]))
			}
		}
	}
	return out
}

var idRe = regexp.MustCompile(`[0-9A-Za-z]{8,32}`)

// deviceIDs are the candidate device ids: --imei, then every id-like string of the app folder's
// CompatibleInfo.cfg and systemInfo.cfg (Java-serialised maps whose key 258 is the IMEI; notes
// §8). sqlcipher.WeChatAndroidKeys adds WeChat's fallback id.
func (androidImporter) deviceIDs(src importer.Source, opts importer.Options) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" && !seen[s] && len(out) < 512 {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range strings.FieldsFunc(opts.Value("imei"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		add(s)
	}
	if src.IsDir() {
		for _, f := range []string{"MicroMsg/CompatibleInfo.cfg", "MicroMsg/systemInfo.cfg"} {
			b, err := readBounded(src.FS, path.Join(src.Path, f), 1<<20)
			if err != nil {
				continue
			}
			for _, m := range javaStrings(b) {
				add(m)
			}
			for _, m := range idRe.FindAll(b, -1) {
				add(string(m))
			}
		}
	}
	return out
}

// readerAt gives random access to a file of the source: directly when the file system offers it,
// else through a copy of the (still encrypted) bytes in the import's private temp folder.
func readerAt(fsys fs.FS, p, tempDir string) (io.ReaderAt, int64, func(), error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, 0, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	if ra, ok := f.(io.ReaderAt); ok {
		return ra, st.Size(), func() { f.Close() }, nil
	}
	defer f.Close()
	if tempDir == "" {
		return nil, 0, nil, errors.New("the file system gives no random access and there is no temp folder")
	}
	tmp, err := os.CreateTemp(tempDir, "wechat-*.db")
	if err != nil {
		return nil, 0, nil, err
	}
	n, err := io.Copy(tmp, f)
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, 0, nil, err
	}
	return tmp, n, func() { tmp.Close(); os.Remove(tmp.Name()) }, nil
}

// openAndroid finds the key: each uin (the one whose md5("mm"+uin) names the folder first) with
// each device id, checked on page 1.
func (androidImporter) openAndroid(ra io.ReaderAt, size int64, name, folder string, uins, ids []string) (*sql.DB, func() error, error) {
	if len(uins) == 0 {
		return nil, nil, importer.Bad(name, "encrypted with a key made from the phone's IMEI and the account's uin: give --uin (and --imei), or the whole app folder /data/data/com.tencent.mm")
	}
	sort.SliceStable(uins, func(i, j int) bool { return md5hex("mm"+uins[i]) == folder && md5hex("mm"+uins[j]) != folder })
	tried := 0
	for _, uin := range uins {
		for _, key := range sqlcipher.WeChatAndroidKeys(ids, uin) {
			tried++
			db, closer, err := sqlcipher.OpenSQL(ra, size, key, sqlcipher.WeChatAndroid)
			if err == nil {
				return db, closer, nil
			}
			if !errors.Is(err, sqlcipher.ErrWrongKey) {
				return nil, nil, importer.Bad(name, "%v", err)
			}
		}
	}
	return nil, nil, importer.Bad(name, "no key opens it (%d tried from uin %s and %d device ids): give --imei with the phone's IMEI (dial *#06#) and --uin, or the app folder with shared_prefs and MicroMsg/CompatibleInfo.cfg", tried, strings.Join(uins, ","), len(ids))
}

func (x androidImporter) importDB(ctx context.Context, src importer.Source, p string, uins, ids []string, im *archive.Import, opts importer.Options) error {
	name := src.String()
	if p != src.Path {
		name = src.Sub(strings.TrimPrefix(p, src.Path+"/")).String()
	}
	ra, size, done, err := readerAt(src.FS, p, opts.TempDir)
	if err != nil {
		return importer.Bad(name, "cannot read: %v", err)
	}
	defer done()
	db, closer, err := x.openAndroid(ra, size, name, path.Base(path.Dir(p)), uins, ids)
	if err != nil {
		return err
	}
	defer closer()
	w := newWriter(im, name, opts, src.FS, "not in the copied app folder")
	a := &androidAccount{writer: w, db: db, name: name, root: path.Dir(p), ctx: ctx, big: map[int64]string{}}
	if err := a.read(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var se *importer.SourceError
		if errors.As(err, &se) {
			return err
		}
		return importer.Bad(name, "%v", err)
	}
	w.finish()
	return nil
}

type androidAccount struct {
	*writer
	db   *sql.DB
	name string
	root string // the folder holding EnMicroMsg.db, image2/, voice2/, video/
	ctx  context.Context
	big  map[int64]string // msgSvrId -> ImgInfo2.bigImgPath
}

func (a *androidAccount) tables() map[string]bool {
	out := map[string]bool{}
	rows, err := a.db.QueryContext(a.ctx, `SELECT lower(name) FROM sqlite_master WHERE type='table'`)
	if err != nil {
		return out
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			out[n] = true
		}
	}
	return out
}

func (a *androidAccount) read() error {
	ts := a.tables()
	if !ts["message"] {
		return importer.Bad(a.name, "opens, but has no message table: not WeChat's EnMicroMsg.db")
	}
	if ts["userinfo"] {
		// userinfo: id 2 own username, id 4 own nickname (notes §8).
		a.db.QueryRowContext(a.ctx, `SELECT value FROM userinfo WHERE id = 2`).Scan(&a.me)
		a.db.QueryRowContext(a.ctx, `SELECT value FROM userinfo WHERE id = 4`).Scan(&a.meName)
	}
	if ts["rcontact"] {
		rows, err := a.db.QueryContext(a.ctx, `SELECT username, coalesce(alias,''), coalesce(conRemark,''), coalesce(nickname,'') FROM rcontact`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var u string
			var c contact
			if rows.Scan(&u, &c.Alias, &c.Remark, &c.Nickname) == nil {
				a.contacts[u] = c
			}
		}
		rows.Close()
	}
	if ts["chatroom"] {
		rows, err := a.db.QueryContext(a.ctx, `SELECT chatroomname, coalesce(memberlist,''), roomdata FROM chatroom`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var room, members string
			var data []byte
			if rows.Scan(&room, &members, &data) != nil {
				continue
			}
			names := map[string]string{}
			for _, m := range strings.Split(members, ";") {
				if m != "" {
					names[m] = ""
				}
			}
			if len(data) > 0 {
				ms, dn, err := wcdb.ParseRoomData(data)
				if err != nil {
					a.im.WarnAt(a.name, "chatroom "+room, "roomdata: %v", err)
				}
				for _, m := range ms {
					names[m] = dn[m]
				}
			}
			a.rooms[room] = names
		}
		rows.Close()
	}
	if ts["imginfo2"] {
		rows, err := a.db.QueryContext(a.ctx, `SELECT msgSvrId, coalesce(bigImgPath,'') FROM ImgInfo2`)
		if err == nil {
			for rows.Next() {
				var id int64
				var p string
				if rows.Scan(&id, &p) == nil && p != "" {
					a.big[id] = p
				}
			}
			rows.Close()
		}
	}
	if a.me == "" {
		a.me = "android:me"
		a.im.Note(a.name + ": userinfo has no own username; the owner is recorded as android:me")
	}
	var total int64
	a.db.QueryRowContext(a.ctx, `SELECT coalesce(max(msgId), 0) FROM message`).Scan(&total) // an estimate, without a table scan
	rows, err := a.db.QueryContext(a.ctx, `SELECT msgId, coalesce(msgSvrId,0), coalesce(type,0), coalesce(isSend,0), coalesce(createTime,0), coalesce(talker,''), coalesce(content,''), coalesce(imgPath,'') FROM message ORDER BY msgId`)
	if err != nil {
		return err
	}
	defer rows.Close()
	chats := map[string]*chat{}
	var done int64
	for rows.Next() {
		var id, svr, typ, isSend, ct int64
		var talker, content, img string
		if err := rows.Scan(&id, &svr, &typ, &isSend, &ct, &talker, &content, &img); err != nil {
			a.im.WarnAt(a.name, fmt.Sprintf("message msgId %d", id), "unreadable row: %v", err)
			continue
		}
		done++
		if done%512 == 1 {
			if a.opts.Progress != nil {
				a.opts.Progress(done, total)
			}
			if err := a.ctx.Err(); err != nil {
				return err
			}
		}
		if talker == "" {
			a.im.WarnAt(a.name, fmt.Sprintf("message msgId %d", id), "row without a talker (chat) skipped")
			continue
		}
		c := chats[talker]
		if c == nil {
			c = &chat{Username: talker, Group: isGroup(talker), Title: a.title(talker)}
			if err := a.conversation(c); err != nil {
				return err
			}
			chats[talker] = c
		}
		imgPath, svrID := img, svr
		r := row{SvrID: svr, Time: time.UnixMilli(ct), FromMe: isSend == 1, Type: typ, Content: content,
			Pos:   fmt.Sprintf("message msgId %d", id),
			Raw:   newRaw().Int("msgId", id).Int("msgSvrId", svr).Int("type", typ).Int("isSend", isSend).Int("createTime", ct).Str("talker", talker).Str("imgPath", img).Str("content", content).String(),
			Files: func(m *wxmsg.Media) []string { return a.files(m, imgPath, svrID) }}
		if err := a.add(c, r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return a.ctx.Err()
}

// files lists where Android keeps a message's file (notes §8, from ppwwyyxx/wechat-dump res.py).
func (a *androidAccount) files(m *wxmsg.Media, imgPath string, svr int64) []string {
	split := func(dir, h, name string) string {
		if len(h) < 4 {
			return path.Join(a.root, dir, name)
		}
		return path.Join(a.root, dir, h[0:2], h[2:4], name)
	}
	switch m.Kind {
	case archive.KindPhoto:
		var out []string
		if b := a.big[svr]; b != "" {
			out = append(out, split("image2", b, b))
		}
		if h, ok := strings.CutPrefix(imgPath, "THUMBNAIL_DIRPATH://th_"); ok {
			out = append(out, split("image2", h, "th_"+h))
		}
		return out
	case archive.KindVoice:
		if imgPath == "" {
			return nil
		}
		h := md5hex(imgPath)
		return []string{split("voice2", h, "msg_"+imgPath+".amr")}
	case archive.KindVideo:
		if imgPath == "" {
			return nil
		}
		return []string{path.Join(a.root, "video", imgPath+".mp4")}
	}
	return nil
}

// javaStrings are the TC_STRING values of a Java-serialised stream ('t', 2-byte big-endian
// length, bytes) that look like device ids.
func javaStrings(b []byte) []string {
	var out []string
	for i := 0; i+3 < len(b); i++ {
		if b[i] != 't' {
			continue
		}
		n := int(b[i+1])<<8 | int(b[i+2])
		if n < 8 || n > 64 || i+3+n > len(b) {
			continue
		}
		s := b[i+3 : i+3+n]
		if idRe.Match(s) && len(idRe.Find(s)) == n {
			out = append(out, string(s))
		}
	}
	return out
}
