package wechat

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/wechat/wxmsg"
	"github.com/chatvault/chatvault/internal/sqlitefs"
)

// iosImporter reads the WeChat app's folder of an iPhone backup (AppDomain-com.tencent.xin):
// every account under Documents/<md5 of username>/ (notes §2-§6).
type iosImporter struct{}

func (iosImporter) Name() string    { return "wechat-ios" }
func (iosImporter) Version() string { return "1" }
func (iosImporter) Describe() string {
	return "WeChat on iPhone: the app folder AppDomain-com.tencent.xin of an iPhone backup (every account in it)"
}
func (iosImporter) Rank() int { return archive.RankDatabase }

var (
	accountRe = regexp.MustCompile(`^[0-9a-f]{32}$`)
	chatRe    = regexp.MustCompile(`^chat_([0-9a-f]{32})$`)
	msgDBRe   = regexp.MustCompile(`^message_[0-9]{1,4}\.sqlite$`)
)

const zeroAccount = "00000000000000000000000000000000"

// iosAccounts lists the account folders under Documents that hold DB/MM.sqlite, skipping the
// all-zero one (notes §2, as WechatExporter and WechatExport-iOS do).
func iosAccounts(src importer.Source) []string {
	docs := path.Join(src.Path, "Documents")
	ents, err := fs.ReadDir(src.FS, docs)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() || !accountRe.MatchString(n) || n == zeroAccount {
			continue
		}
		if st, err := fs.Stat(src.FS, path.Join(docs, n, "DB", "MM.sqlite")); err == nil && !st.IsDir() {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func (iosImporter) Detect(src importer.Source) int {
	if !src.IsDir() {
		return 0
	}
	if len(iosAccounts(src)) > 0 {
		return 90
	}
	return 0
}

func (x iosImporter) Import(ctx context.Context, src importer.Source, im *archive.Import, opts importer.Options) error {
	accounts := iosAccounts(src)
	if len(accounts) == 0 {
		return importer.Bad(src.String(), "no WeChat account folder (Documents/<md5>/DB/MM.sqlite) in it")
	}
	for _, acct := range accounts {
		if err := x.account(ctx, src, acct, im, opts); err != nil {
			return err
		}
	}
	return nil
}

// iosAccount is one account folder being read.
type iosAccount struct {
	*writer
	src   importer.Source
	base  string // Documents/<md5> inside src.FS
	hash  string
	names map[string]string // md5 -> username
	ctx   context.Context
	done  int64
	total int64
}

func (x iosImporter) account(ctx context.Context, src importer.Source, acct string, im *archive.Import, opts importer.Options) error {
	base := path.Join(src.Path, "Documents", acct)
	a := &iosAccount{writer: newWriter(im, src.String(), opts, src.FS, "not in backup"), src: src, base: base, hash: acct, names: map[string]string{}, ctx: ctx}
	if err := a.readContacts(); err != nil {
		return err
	}
	a.findMe()
	dbs := []string{"MM.sqlite"}
	ents, _ := fs.ReadDir(src.FS, path.Join(base, "DB"))
	var more []string
	for _, e := range ents {
		if msgDBRe.MatchString(e.Name()) {
			more = append(more, e.Name())
		}
	}
	sort.Slice(more, func(i, j int) bool { return dbNum(more[i]) < dbNum(more[j]) })
	dbs = append(dbs, more...)
	type table struct{ db, name, hash string }
	var tables []table
	opened := map[string]*sqlitefs.DB{}
	defer func() {
		for _, d := range opened {
			d.Close()
		}
	}()
	for _, name := range dbs {
		p := path.Join(base, "DB", name)
		d, err := sqlitefs.Open(src.FS, p)
		if err != nil {
			return importer.Bad(a.fileName(p), "not a readable SQLite database: %v", err)
		}
		opened[name] = d
		ts, err := d.Tables()
		if err != nil {
			return importer.Bad(a.fileName(p), "not a readable SQLite database: %v", err)
		}
		var found []string
		for t := range ts {
			if g := chatRe.FindStringSubmatch(t); g != nil {
				found = append(found, g[1])
			}
		}
		sort.Strings(found)
		for _, h := range found {
			tables = append(tables, table{name, "Chat_" + h, h})
			// The largest local id estimates the row count for progress without a table scan.
			var n int64
			if err := d.QueryRowContext(ctx, `SELECT coalesce(max(MesLocalID), 0) FROM "Chat_`+h+`"`).Scan(&n); err == nil {
				a.total += n
			}
		}
	}
	chats := map[string]*chat{}
	for _, t := range tables {
		c := chats[t.hash]
		if c == nil {
			var err error
			if c, err = a.chatFor(opened[t.db], t.name, t.hash); err != nil {
				return err
			}
			chats[t.hash] = c
		}
		if err := a.readTable(opened[t.db], t.db, t.name, c); err != nil {
			return err
		}
	}
	a.finish()
	return nil
}

func dbNum(name string) int {
	var n int
	fmt.Sscanf(name, "message_%d.sqlite", &n)
	return n
}

func (a *iosAccount) fileName(p string) string {
	return a.src.Sub(strings.TrimPrefix(strings.TrimPrefix(p, a.src.Path), "/")).String()
}

// chatFor names the chat of a Chat_<hash> table: from the contacts, or, for a contact that is
// gone, from usernames its messages mention (fromusername, group prefixes) whose md5 matches.
func (a *iosAccount) chatFor(d *sqlitefs.DB, table, hash string) (*chat, error) {
	c := &chat{Hash: hash}
	if u, ok := a.names[hash]; ok {
		c.Username = u
	} else {
		u, group, err := recoverUsername(a.ctx, d.DB, table, "Message", "Des", hash)
		if err != nil {
			return nil, importer.Bad(a.src.String(), "table %s: %v", table, err)
		}
		c.Username, c.Group = u, group
	}
	if c.Username != "" {
		c.Group = c.Group || isGroup(c.Username)
		c.Title = a.title(c.Username)
	} else {
		c.Title = "WeChat chat " + hash[:8]
	}
	return c, a.conversation(c)
}

var userInXML = regexp.MustCompile(`(?:fromusername|session|fromusr|chatusr|username)(?:>|=")([A-Za-z0-9_@.\-]{3,64})`)

// recoverUsername looks through a table's messages for its chat's username; it also says
// whether the table looks like a group (received messages carry a "wxid:\n" prefix).
func recoverUsername(ctx context.Context, db *sql.DB, table, msgCol, desCol, hash string) (string, bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+msgCol+`, `+desCol+` FROM "`+table+`" LIMIT 2000`)
	if err != nil {
		return "", false, err
	}
	defer rows.Close()
	group := false
	for rows.Next() {
		var msg *string
		var des int64
		if err := rows.Scan(&msg, &des); err != nil || msg == nil {
			continue
		}
		for _, g := range userInXML.FindAllStringSubmatch(*msg, -1) {
			if md5hex(g[1]) == hash {
				return g[1], isGroup(g[1]), nil
			}
		}
		if des == 1 {
			if _, _, ok := wxmsg.SplitSender(*msg); ok {
				group = true
			}
		}
	}
	return "", group, rows.Err()
}

// readTable imports one Chat_ table in local-id order: a streaming scan of the primary key with
// no sort (sorting by CreateTime would hold or spill a whole table; an encrypted database's
// plaintext must not reach SQLite's temp files). The archive orders messages by time itself.
func (a *iosAccount) readTable(d *sqlitefs.DB, dbName, table string, c *chat) error {
	cols, err := d.Columns(table)
	if err != nil {
		return err
	}
	for _, need := range []string{"meslocalid", "messvrid", "createtime", "message", "type", "des"} {
		if !cols[need] {
			return importer.Bad(a.fileName(path.Join(a.base, "DB", dbName)), "table %s has no %s column", table, need)
		}
	}
	rows, err := d.QueryContext(a.ctx, `SELECT MesLocalID, MesSvrID, CreateTime, Message, Type, Des FROM "`+table+`" ORDER BY MesLocalID`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var local, svr, ct, typ, des int64
		var msg *string
		if err := rows.Scan(&local, &svr, &ct, &msg, &typ, &des); err != nil {
			a.im.WarnAt(a.src.String(), fmt.Sprintf("%s/%s row", dbName, table), "unreadable row: %v", err)
			continue
		}
		content := ""
		if msg != nil {
			content = *msg
		}
		id := local
		r := row{SvrID: svr, Time: time.Unix(ct, 0), FromMe: des == 0, Type: typ, Content: content,
			Pos:   dbName + " " + table + " MesLocalID " + strconv.FormatInt(local, 10),
			Raw:   newRaw().Int("MesLocalID", local).Int("MesSvrID", svr).Int("CreateTime", ct).Int("Type", typ).Int("Des", des).Str("Message", content).String(),
			Files: func(m *wxmsg.Media) []string { return a.files(c.Hash, id, m) }}
		if err := a.add(c, r); err != nil {
			return err
		}
		a.done++
		if a.done%512 == 1 {
			if a.opts.Progress != nil {
				a.opts.Progress(a.done, a.total)
			}
			if err := a.ctx.Err(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return a.ctx.Err()
}

// files lists where an iPhone keeps a message's file (notes §6, from WechatExporter).
func (a *iosAccount) files(hash string, id int64, m *wxmsg.Media) []string {
	n := fmt.Sprint(id)
	j := func(dir, name string) string { return path.Join(a.base, dir, hash, name) }
	switch m.Kind {
	case archive.KindPhoto, archive.KindGIF:
		if m.Ext != "" {
			return []string{j("OpenData", n+"."+m.Ext), j("Img", n+".pic_hd"), j("Img", n+".pic"), j("Img", n+".pic_thum")}
		}
		return []string{j("Img", n+".pic_hd"), j("Img", n+".pic"), j("Img", n+".pic_thum")}
	case archive.KindVoice:
		return []string{j("Audio", n+".aud")}
	case archive.KindVideo:
		return []string{j("Video", n+"_raw.mp4"), j("Video", n+".mp4")}
	case archive.KindDocument:
		if m.Ext != "" {
			return []string{j("OpenData", n+"."+m.Ext)}
		}
		return []string{j("OpenData", n)}
	}
	return nil
}
