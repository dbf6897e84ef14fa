package wechat

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/importertest"
	"github.com/chatvault/chatvault/importer/wechat/wechattest"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/fixtures"
	"github.com/chatvault/chatvault/internal/sqlcipher"
)

// writeAndroid builds a copy of /data/data/com.tencent.mm: MicroMsg/<md5("mm"+uin)>/EnMicroMsg.db
// encrypted by Debian's sqlcipher with WeChat's parameters, media beside it, the uin in
// shared_prefs/auth_info_key_prefs.xml (`_auth_uin`) and the IMEI inside a Java-serialised
// MicroMsg/CompatibleInfo.cfg (notes §8, from ppwwyyxx/wechat-dump and chg-hou's cracker).
type androidBuilt struct {
	app string
	exp wechattest.AndroidExpect
}

func writeAndroid(t *testing.T) (string, wechattest.AndroidExpect) {
	t.Helper()
	b := once(t, "android", buildAndroid)
	return b.app, b.exp
}

func buildAndroid(dir string) (androidBuilt, error) {
	appDir := filepath.Join(dir, "com.tencent.mm")
	acct := filepath.Join(appDir, "MicroMsg", wechattest.AndroidFolder())
	if err := os.MkdirAll(acct, 0o700); err != nil {
		return androidBuilt{}, err
	}
	plain := filepath.Join(acct, "plain.db")
	exp, err := wechattest.WriteAndroidPlain(plain)
	if err != nil {
		return androidBuilt{}, err
	}
	if err := wechattest.Encrypt(plain, filepath.Join(acct, "EnMicroMsg.db"), wechattest.AndroidKey(), wechattest.AndroidPragmas); err != nil {
		return androidBuilt{}, err
	}
	os.Remove(plain)
	prefs := filepath.Join(appDir, "shared_prefs")
	os.MkdirAll(prefs, 0o700)
	os.WriteFile(filepath.Join(prefs, "auth_info_key_prefs.xml"), []byte(`<?xml version='1.0' encoding='utf-8' standalone='yes' ?>
<map>
    <boolean name="auth_info_prefs_use_new_ecdh" value="true" />
    <int name="_auth_uin" value="`+wechattest.AndroidUIN+`" />
</map>
`), 0o600)
	// A Java-serialised HashMap{258: IMEI}, as CompatibleInfo.cfg is: the string is 't', a
	// 2-byte length, the bytes, then the stream's end-block byte 'x'.
	cfg := append([]byte("\xac\xed\x00\x05sr\x00\x11java.util.HashMap\x05\x07\xda\xc1\xc3\x16`\xd1\x03\x00\x02F\x00\nloadFactorI\x00\tthresholdxp?@\x00\x00w\x08\x00\x00\x00\x10\x00\x00\x00\x01sr\x00\x11java.lang.Integer\x12\xe2\xa0\xa4\xf7\x81\x878\x02\x00\x01I\x00\x05valuexr\x00\x10java.lang.Number\x86\xac\x95\x1d\x0b\x94\xe0\x8b\x02\x00\x00xp\x00\x00\x01\x02t\x00\x0f"), []byte(wechattest.AndroidIMEI+"x")...)
	err = os.WriteFile(filepath.Join(appDir, "MicroMsg", "CompatibleInfo.cfg"), cfg, 0o600)
	return androidBuilt{appDir, exp}, err
}

func TestAndroidFolder(t *testing.T) {
	app, exp := writeAndroid(t)
	src := importer.LocalSource(app)
	if (androidImporter{}).Detect(src) == 0 {
		t.Fatal("Detect does not recognise the app folder")
	}
	a := archivetest.Open(t)
	rep := run(t, a, androidImporter{}, src, importer.Options{})
	if rep.MessagesAdded != exp.Messages {
		t.Errorf("added %d, want %d", rep.MessagesAdded, exp.Messages)
	}
	db := archivetest.SQL(t, a)
	got := counts(t, db, `SELECT c.title, count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id GROUP BY c.id`)
	if !sameCounts(got, exp.Conversations) {
		t.Errorf("conversations %v, want %v", got, exp.Conversations)
	}
	if k := counts(t, db, `SELECT kind, count(*) FROM messages GROUP BY kind`); !sameCounts(k, kindsOf(wechattest.BobChat, wechattest.GroupChat)) {
		t.Errorf("kinds %v", k)
	}
	wantTypes := map[string]int{}
	for _, ss := range [][]wechattest.Sample{wechattest.BobChat, wechattest.GroupChat} {
		for _, m := range ss {
			wantTypes[strconv.FormatInt(m.AndroidType(), 10)]++
		}
	}
	if got := counts(t, db, `SELECT CAST(json_extract(raw, '$.type') AS TEXT), count(*) FROM messages GROUP BY 1`); !sameCounts(got, wantTypes) {
		t.Errorf("types %v, want %v", got, wantTypes)
	}
	// Flag-bit types (822083633 = reply) are read by their low 16 bits; replies link.
	if r := one[string](t, db, `SELECT reply_to FROM messages WHERE uid = 'wx:1014'`); r != "wx:1001" {
		t.Errorf("reply_to %q", r)
	}
	senders := counts(t, db, `SELECT p.name, count(*) FROM messages m JOIN participants p ON p.id = m.sender_id
		JOIN conversations c ON c.id = m.conversation_id WHERE c.key = ? GROUP BY p.id`, wechattest.Group)
	if senders[wechattest.DaveGroupName] != 2 || senders[wechattest.BobRemark] != 2 || senders[wechattest.AliceNick] != 1 {
		t.Errorf("group senders %v", senders)
	}
	att := counts(t, db, `SELECT m.uid || ' ' || a.mime || ' ' || (a.sha256 IS NOT NULL), a.size FROM attachments a JOIN messages m ON m.id = a.message_id`)
	for _, w := range []string{"wx:1003 image/jpeg 1", "wx:1005 audio/silk 1", "wx:2004 image/jpeg 1", "wx:1006 video/mp4 0"} {
		if _, ok := att[w]; !ok {
			t.Errorf("no attachment %q in %v", w, att)
		}
	}
}

// EnMicroMsg.db given alone needs --uin and --imei; without them, or with a wrong IMEI, the
// error is one line naming what to give, and nothing is imported.
func TestAndroidFileFlags(t *testing.T) {
	app, exp := writeAndroid(t)
	file := importer.LocalSource(filepath.Join(app, "MicroMsg", wechattest.AndroidFolder(), "EnMicroMsg.db"))
	a := archivetest.Open(t)
	for _, c := range []struct {
		vals map[string]string
		want string
	}{
		{nil, "--uin"},
		{map[string]string{"uin": wechattest.AndroidUIN, "imei": "111111111111111"}, "--imei"},
	} {
		_, err := importer.Run(context.Background(), a, androidImporter{}, file, importer.Options{Values: c.vals})
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("flags %v: error %v, want one line naming %s", c.vals, err, c.want)
		}
	}
	rep := run(t, a, androidImporter{}, file, importer.Options{Values: map[string]string{"uin": wechattest.AndroidUIN, "imei": "000, " + wechattest.AndroidIMEI}})
	if rep.MessagesAdded != exp.Messages {
		t.Errorf("added %d, want %d", rep.MessagesAdded, exp.Messages)
	}
}

// The same account from the iPhone and from Android is stored once: server ids are the uids,
// and the local notice (server id 0) has the same content key on both.
func TestSameAccountIPhoneAndAndroid(t *testing.T) {
	app, _ := writeAndroid(t)
	ios, iosExp := writeIOS(t)
	a := archivetest.Open(t)
	run(t, a, iosImporter{}, importer.LocalSource(ios), importer.Options{})
	rep := run(t, a, androidImporter{}, importer.LocalSource(app), importer.Options{})
	if rep.MessagesAdded != 0 {
		t.Errorf("Android added %d messages the iPhone import already had", rep.MessagesAdded)
	}
	if n := one[int](t, archivetest.SQL(t, a), `SELECT count(*) FROM messages`); n != iosExp.Messages {
		t.Errorf("%d messages, want %d", n, iosExp.Messages)
	}
	if n := one[int](t, archivetest.SQL(t, a), `SELECT count(*) FROM conversations`); n != len(iosExp.Conversations) {
		t.Errorf("%d conversations, want %d", n, len(iosExp.Conversations))
	}
}

// The cracker project's test database opens with its documented passphrase 00001ef (fixtures
// MANIFEST.tsv) under WeChat Android's parameters, and not with 00001ee.
func TestAndroidFixtureKey(t *testing.T) {
	p := fixtures.Path(t, "wechat/enmicromsg-cracker-sqlcipher2-test.db")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	db, closer, err := sqlcipher.OpenSQL(f, st.Size(), []byte("00001ef"), sqlcipher.WeChatAndroid)
	if err != nil {
		t.Fatal(err)
	}
	defer closer()
	var name string
	if err := db.QueryRow(`SELECT name FROM sqlite_master WHERE type = 'table'`).Scan(&name); err != nil || name != "test_table" {
		t.Errorf("table %q, %v; want test_table", name, err)
	}
	if _, err := sqlcipher.Open(f, st.Size(), []byte("00001ee"), sqlcipher.WeChatAndroid); err == nil {
		t.Error("a wrong passphrase opens it")
	}
	// The importer says plainly that it is not a WeChat database once opened.
	a := archivetest.Open(t)
	_, err = importer.Run(context.Background(), a, androidImporter{}, importer.LocalSource(p), importer.Options{Values: map[string]string{"uin": "x"}})
	if err == nil {
		t.Error("imported the fixture without its key")
	}
}

func TestConformanceAndroid(t *testing.T) {
	app, _ := writeAndroid(t)
	bad := t.TempDir()
	junk := filepath.Join(bad, "EnMicroMsg.db")
	os.WriteFile(junk, make([]byte, 4096), 0o600)
	trunc := filepath.Join(bad, "t", "com.tencent.mm", "MicroMsg", wechattest.AndroidFolder())
	os.MkdirAll(trunc, 0o700)
	b, _ := os.ReadFile(filepath.Join(app, "MicroMsg", wechattest.AndroidFolder(), "EnMicroMsg.db"))
	os.WriteFile(filepath.Join(trunc, "EnMicroMsg.db"), b[:1500], 0o600)
	os.MkdirAll(filepath.Join(bad, "t", "com.tencent.mm", "shared_prefs"), 0o700)
	os.WriteFile(filepath.Join(bad, "t", "com.tencent.mm", "shared_prefs", "auth_info_key_prefs.xml"), []byte(`<int name="_auth_uin" value="`+wechattest.AndroidUIN+`" />`), 0o600)
	importertest.Run(t, importertest.Case{
		Importer:   androidImporter{},
		Sources:    []importer.Source{importer.LocalSource(app)},
		Bad:        []importer.Source{importer.LocalSource(junk), importer.LocalSource(filepath.Join(bad, "t", "com.tencent.mm"))},
		Options:    importer.Options{Values: map[string]string{"imei": wechattest.AndroidIMEI}},
		OwnSamples: []string{"wechat"},
	})
}
