package wechat

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/wechat/wechattest"
	"github.com/chatvault/chatvault/internal/archivetest"
)

type iosBuilt struct {
	dir string
	exp wechattest.IOSExpect
}

func writeIOS(t *testing.T) (string, wechattest.IOSExpect) {
	t.Helper()
	b := once(t, "ios", func(d string) (iosBuilt, error) {
		dir := filepath.Join(d, "AppDomain-com.tencent.xin")
		exp, err := wechattest.WriteIOS(dir)
		return iosBuilt{dir, exp}, err
	})
	return b.dir, b.exp
}

func kindsOf(ss ...[]wechattest.Sample) map[string]int {
	out := map[string]int{}
	for _, s := range ss {
		for _, m := range s {
			out[m.Kind]++
		}
	}
	return out
}

// The generated folder (two accounts, the all-zero folder, a group, deleted contacts, every
// message type) imports with the counts the generator wrote, per conversation and per kind.
func TestIOSImport(t *testing.T) {
	dir, exp := writeIOS(t)
	a := archivetest.Open(t)
	src := importer.LocalSource(dir)
	if s := (iosImporter{}).Detect(src); s == 0 {
		t.Fatal("Detect does not recognise the app folder")
	}
	rep := run(t, a, iosImporter{}, src, importer.Options{})
	if rep.MessagesAdded != exp.Messages {
		t.Errorf("added %d messages, want %d", rep.MessagesAdded, exp.Messages)
	}
	db := archivetest.SQL(t, a)
	got := counts(t, db, `SELECT c.title, count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id GROUP BY c.id`)
	for title, n := range exp.Conversations {
		if got[title] != n {
			t.Errorf("conversation %q: %d messages, want %d (all: %v)", title, got[title], n, got)
		}
	}
	if len(got) != len(exp.Conversations) {
		t.Errorf("%d conversations, want %d: %v", len(got), len(exp.Conversations), got)
	}
	// Per kind over all chats, as each sample states its kind (notes §7 mapping).
	wantKinds := kindsOf(wechattest.BobChat, wechattest.GroupChat, wechattest.GhostChat, wechattest.LostChat, wechattest.SecondChat)
	if gotKinds := counts(t, db, `SELECT kind, count(*) FROM messages GROUP BY kind`); !sameCounts(gotKinds, wantKinds) {
		t.Errorf("kinds %v, want %v", gotKinds, wantKinds)
	}
	// Per WeChat type: every row of every type is kept (the raw record holds the type).
	wantTypes := map[string]int{}
	for _, ss := range [][]wechattest.Sample{wechattest.BobChat, wechattest.GroupChat, wechattest.GhostChat, wechattest.LostChat, wechattest.SecondChat} {
		for _, m := range ss {
			wantTypes[strconv.FormatInt(m.Type, 10)]++
		}
	}
	if got := counts(t, db, `SELECT CAST(json_extract(raw, '$.Type') AS TEXT), count(*) FROM messages GROUP BY 1`); !sameCounts(got, wantTypes) {
		t.Errorf("types %v, want %v", got, wantTypes)
	}
	// The zero folder is skipped.
	if n := one[int](t, db, `SELECT count(*) FROM messages WHERE text = 'must not be imported'`); n != 0 {
		t.Error("the all-zero account folder was imported")
	}
	// Each account has its own "me": Alice (own contact row) and Second (mmsetting.archive).
	me := counts(t, db, `SELECT key, is_me FROM participants WHERE is_me = 1`)
	if me[wechattest.Alice] != 1 || me[wechattest.Second] != 1 || len(me) != 2 {
		t.Errorf("own participants %v, want %s and %s", me, wechattest.Alice, wechattest.Second)
	}
	// Group senders from the "wxid:\n" prefix; Dave by his group display name, Bob by remark.
	senders := counts(t, db, `SELECT p.name, count(*) FROM messages m JOIN participants p ON p.id = m.sender_id
		JOIN conversations c ON c.id = m.conversation_id WHERE c.key = ? GROUP BY p.id`, wechattest.Group)
	if senders[wechattest.DaveGroupName] != 2 || senders[wechattest.BobRemark] != 2 || senders[wechattest.AliceNick] != 1 {
		t.Errorf("group senders %v", senders)
	}
	if txt := one[string](t, db, `SELECT text FROM messages WHERE uid = 'wx:2003'`); txt != "好啊:\n几点？" {
		t.Errorf("own group message split: %q", txt)
	}
	// Media: present files stored (JPEG sniffed, SILK kept as is), missing ones say why.
	att := counts(t, db, `SELECT m.uid || ' ' || a.mime || ' ' || (a.sha256 IS NOT NULL), a.size FROM attachments a JOIN messages m ON m.id = a.message_id`)
	for _, w := range []string{"wx:1003 image/jpeg 1", "wx:1005 audio/silk 1", "wx:1006 video/mp4 1", "wx:1011 application/pdf 1", "wx:1004 image/jpeg 0", "wx:2004 image/jpeg 1", "wx:3001 audio/silk 0", "wx:1007 image/gif 0"} {
		if _, ok := att[w]; !ok {
			t.Errorf("no attachment %q in %v", w, att)
		}
	}
	if att["wx:1005 audio/silk 1"] != len(wechattest.SILK) {
		t.Errorf("voice stored with %d bytes, want the original %d", att["wx:1005 audio/silk 1"], len(wechattest.SILK))
	}
	if m := one[string](t, db, `SELECT a.details FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.uid = 'wx:1004'`); !strings.Contains(m, "not in backup") {
		t.Errorf("missing photo details %q", m)
	}
	// Quotes link to the quoted message's server id; recalls, transfers, histories, pats.
	if r := one[string](t, db, `SELECT reply_to FROM messages WHERE uid = 'wx:1014'`); r != "wx:1001" {
		t.Errorf("reply_to %q", r)
	}
	d := details(t, db, "wx:1016")
	if tr := d.Transfer; tr == nil || tr.Amount != "￥88.00" || tr.State != "sent" || tr.Payer != wechattest.Bob {
		t.Errorf("transfer %+v", d.Transfer)
	}
	if h := details(t, db, "wx:1015").Forwarded; h == nil || len(h.Items) != 2 || h.Items[1].Details.Forwarded.Items[0].Text != "最里面" {
		t.Errorf("forwarded history %+v", h)
	}
	if e := details(t, db, "wx:1020").Event; e == nil || e.Type != "recall" || e.Targets[0] != "1999" {
		t.Errorf("recall %+v", e)
	}
	if txt := one[string](t, db, `SELECT text FROM messages WHERE uid = 'wx:2006'`); txt != `"老王" 拍了拍 "小D"` {
		t.Errorf("pat %q", txt)
	}
	if txt := one[string](t, db, `SELECT text FROM messages WHERE uid = 'wx:2005'`); txt != `"老王"邀请"小D"加入了群聊` {
		t.Errorf("template %q", txt)
	}
	// The local notice (server id 0) has a content key.
	if n := one[int](t, db, `SELECT count(*) FROM messages WHERE uid LIKE 'wx:local:%'`); n != 1 {
		t.Errorf("%d content-keyed messages, want 1", n)
	}
	// Unknown types are kept and counted in a note.
	notes := strings.Join(rep.Notes, "\n")
	if !strings.Contains(notes, "2 WeChat messages") || !strings.Contains(notes, "9998 ×1") || !strings.Contains(notes, "49/777 ×1") {
		t.Errorf("notes %q", notes)
	}
	// The deleted contact's chat is named from its messages; the other keeps its hash.
	if k := one[string](t, db, `SELECT key FROM conversations WHERE title = ?`, wechattest.Ghost); k != wechattest.Ghost {
		t.Errorf("ghost chat key %q", k)
	}
	if k := one[string](t, db, `SELECT key FROM conversations WHERE title LIKE 'WeChat chat %'`); k != "md5:"+wechattest.MD5(wechattest.Lost) {
		t.Errorf("lost chat key %q", k)
	}
}

func sameCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func details(t *testing.T, db *sql.DB, uid string) archive.Details {
	t.Helper()
	var d archive.Details
	if err := json.Unmarshal([]byte(one[string](t, db, `SELECT details FROM messages WHERE uid = ?`, uid)), &d); err != nil {
		t.Fatalf("%s details: %v", uid, err)
	}
	return d
}

// Chinese text is found inside words (the search index's CJK substrings).
func TestIOSSearchChinese(t *testing.T) {
	dir, _ := writeIOS(t)
	a := archivetest.Open(t)
	run(t, a, iosImporter{}, importer.LocalSource(dir), importer.Options{})
	hits, err := a.Search(context.Background(), archive.SearchQuery{Text: "香山"})
	if err != nil {
		t.Fatal(err)
	}
	// 香山 is inside 我们明天去香山爬山吧 (the group message and the reply quoting it: the quote
	// is not indexed, only the message's own text).
	if len(hits) != 1 || hits[0].Message.Text != wechattest.GroupSearchHit {
		t.Errorf("search 香山: %d hits", len(hits))
	}
	if hits, _ := a.Search(context.Background(), archive.SearchQuery{Text: "新闻"}); len(hits) != 1 {
		t.Errorf("search 新闻 (a link title): %d hits, want 1", len(hits))
	}
}

var _ = os.Remove
