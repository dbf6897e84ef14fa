package wechat

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/importertest"
	"github.com/chatvault/chatvault/importer/wechat/wechattest"
	"github.com/chatvault/chatvault/internal/archivetest"
)

type keySecret string

func (k keySecret) Secret(ctx context.Context, name, prompt string) ([]byte, error) {
	if name != "wechat-key" {
		return nil, importer.ErrNoSecret
	}
	return []byte(k), nil
}

func encryptAll(plain []string, key string, pragmas wechattest.SQLCipherPragmas) error {
	for _, p := range plain {
		if err := wechattest.Encrypt(p, strings.TrimSuffix(p, ".plain")+".db", key, pragmas); err != nil {
			return err
		}
		os.Remove(p)
	}
	return nil
}

type desktopBuilt struct {
	acct string
	exp  wechattest.DesktopExpect
}

// writeWindows3 is Alice's "WeChat Files/wxid_alice01" folder encrypted by Debian's sqlcipher
// with WeChat Windows 3.x's parameters.
func writeWindows3(t *testing.T) (string, wechattest.DesktopExpect) {
	t.Helper()
	b := once(t, "win3", func(dir string) (desktopBuilt, error) {
		acct, plain, exp, err := wechattest.WriteWindows3Plain(dir)
		if err != nil {
			return desktopBuilt{}, err
		}
		return desktopBuilt{acct, exp}, encryptAll(plain, wechattest.DesktopPassword, wechattest.Windows3Pragmas)
	})
	return b.acct, b.exp
}

func TestDesktopWindows3(t *testing.T) {
	acct, exp := writeWindows3(t)
	src := importer.LocalSource(acct)
	if (desktopImporter{}).Detect(src) == 0 {
		t.Fatal("Detect does not recognise the account folder")
	}
	a := archivetest.Open(t)
	opts := importer.Options{Secrets: keySecret(wechattest.DesktopKeyHex())}
	rep := run(t, a, desktopImporter{}, src, opts)
	if rep.MessagesAdded != exp.Messages {
		t.Errorf("added %d, want %d", rep.MessagesAdded, exp.Messages)
	}
	db := archivetest.SQL(t, a)
	if got := counts(t, db, `SELECT c.title, count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id GROUP BY c.id`); !sameCounts(got, exp.Conversations) {
		t.Errorf("conversations %v, want %v", got, exp.Conversations)
	}
	senders := counts(t, db, `SELECT p.name, count(*) FROM messages m JOIN participants p ON p.id = m.sender_id
		JOIN conversations c ON c.id = m.conversation_id WHERE c.key = ? GROUP BY p.id`, wechattest.Group)
	if senders[wechattest.DaveGroupName] != 1 || senders[wechattest.BobRemark] != 1 || senders[wechattest.AliceNick] != 1 {
		t.Errorf("group senders from BytesExtra: %v", senders)
	}
	if l := details(t, db, "wx:1010").Link; l == nil || l.URL != "https://mp.weixin.qq.com/s/abc" {
		t.Errorf("link from the LZ4 CompressContent: %+v", l)
	}
	att := counts(t, db, `SELECT m.uid || ' ' || a.mime || ' ' || (a.sha256 IS NOT NULL), a.size FROM attachments a JOIN messages m ON m.id = a.message_id`)
	if att["wx:1003 image/jpeg 1"] != len(wechattest.JPEG) {
		t.Errorf("XOR .dat image not stored as the JPEG: %v", att)
	}
	if att["wx:1005 audio/silk 1"] != len(wechattest.SILK) {
		t.Errorf("voice from MediaMSG0.db not stored: %v", att)
	}
	if d := one[string](t, db, `SELECT a.details FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.uid = 'wx:1004'`); !strings.Contains(d, "WeChat 4 encrypted image") {
		t.Errorf("AES .dat: %q", d)
	}
	// The stored image is the real JPEG.
	sha := one[string](t, db, `SELECT a.sha256 FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.uid = 'wx:1003'`)
	f, err := a.OpenMedia(sha)
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 3)
	f.Read(head)
	f.Close()
	if string(head) != "\xff\xd8\xff" {
		t.Errorf("stored image starts % x", head)
	}
}

// A wrong key, or none, is one line saying what to give; nothing is imported.
func TestDesktopKeyErrors(t *testing.T) {
	acct, _ := writeWindows3(t)
	a := archivetest.Open(t)
	for _, c := range []struct {
		opts importer.Options
		want string
	}{
		{importer.Options{}, "--wechat-key"},
		{importer.Options{Secrets: keySecret(strings.Repeat("ab", 32))}, "does not open"},
		{importer.Options{Secrets: keySecret("12")}, "64 hex"},
	} {
		_, err := importer.Run(context.Background(), a, desktopImporter{}, importer.LocalSource(acct), c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("error %v, want one line with %q", err, c.want)
		}
	}
	if n := one[int](t, archivetest.SQL(t, a), `SELECT count(*) FROM messages`); n != 0 {
		t.Errorf("%d messages imported with a bad key", n)
	}
}

// The same account from the iPhone and from Windows is stored once.
func TestSameAccountIPhoneAndWindows(t *testing.T) {
	acct, _ := writeWindows3(t)
	ios, iosExp := writeIOS(t)
	a := archivetest.Open(t)
	run(t, a, iosImporter{}, importer.LocalSource(ios), importer.Options{})
	rep := run(t, a, desktopImporter{}, importer.LocalSource(acct), importer.Options{Secrets: keySecret(wechattest.DesktopKeyHex())})
	if rep.MessagesAdded != 0 {
		t.Errorf("Windows added %d messages the iPhone import had", rep.MessagesAdded)
	}
	if n := one[int](t, archivetest.SQL(t, a), `SELECT count(*) FROM messages`); n != iosExp.Messages {
		t.Errorf("%d messages, want %d", n, iosExp.Messages)
	}
}

// macOS 3.x: raw key, page 1024, HMAC-SHA1; a group known only by its table hash, senders by prefix.
func TestDesktopMac3(t *testing.T) {
	dir := t.TempDir()
	plain, err := wechattest.WriteMac3Plain(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := encryptAll([]string{plain}, "x'"+wechattest.DesktopKeyHex()+"'", wechattest.Mac3Pragmas); err != nil {
		if err == errSkip {
			t.Skip("sqlcipher not installed: apt-get install -y sqlcipher")
		}
		t.Fatal(err)
	}
	a := archivetest.Open(t)
	rep := run(t, a, desktopImporter{}, importer.LocalSource(filepath.Join(dir, wechattest.Alice)), importer.Options{Secrets: keySecret(wechattest.DesktopKeyHex())})
	if rep.MessagesAdded != 4 {
		t.Errorf("added %d, want 4", rep.MessagesAdded)
	}
	db := archivetest.SQL(t, a)
	if k := one[string](t, db, `SELECT kind FROM conversations`); k != "group" {
		t.Errorf("conversation kind %q", k)
	}
	if n := one[int](t, db, `SELECT count(DISTINCT sender_id) FROM messages WHERE sender_id IS NOT NULL`); n != 3 {
		t.Errorf("%d senders, want 3 (Bob, Dave, me)", n)
	}
}

// WeChat 4.x tables (Msg_<md5>, Name2Id, zstd content, subtype in local_type's high bits), read
// from plain files: Debian's sqlcipher 3.4 cannot write SHA-512 pages, so the 4.x cipher itself
// is covered by internal/sqlcipher's tests only.
func TestDesktopV4Tables(t *testing.T) {
	msgDB, contactDB, err := wechattest.WriteV4Plain(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := archivetest.Open(t)
	ctx := context.Background()
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "wechat-desktop", ImporterVersion: "1", SourcePath: msgDB, Rank: archive.RankDatabase})
	if err != nil {
		t.Fatal(err)
	}
	open := func(p string) *sql.DB {
		db, err := sql.Open("sqlite", "file:"+p+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	d := &desktopReader{writer: newWriter(im, msgDB, importer.Options{}, os.DirFS("/"), "x"), ctx: ctx, name: func(p string) string { return p }}
	d.me = ownFromPath(msgDB)
	if err := d.read([]dbHandle{{contactDB, open(contactDB)}}, []dbHandle{{msgDB, open(msgDB)}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	db := archivetest.SQL(t, a)
	if got := counts(t, db, `SELECT c.title, count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id GROUP BY c.id`); got[wechattest.BobRemark] != 3 || len(got) != 1 {
		t.Errorf("conversations %v", got)
	}
	if n := one[int](t, db, `SELECT count(*) FROM messages WHERE from_me = 1`); n != 1 {
		t.Errorf("%d own messages, want 1", n)
	}
	if l := details(t, db, "wx:1010").Link; l == nil || l.Title != "今日新闻" {
		t.Errorf("zstd link: %+v", l)
	}
}

func TestConformanceDesktop(t *testing.T) {
	acct, _ := writeWindows3(t)
	junk := filepath.Join(t.TempDir(), "Msg", "Multi")
	os.MkdirAll(junk, 0o700)
	os.WriteFile(filepath.Join(junk, "MSG0.db"), make([]byte, 8192), 0o600)
	importertest.Run(t, importertest.Case{
		Importer:   desktopImporter{},
		Sources:    []importer.Source{importer.LocalSource(acct)},
		Bad:        []importer.Source{importer.LocalSource(filepath.Dir(filepath.Dir(junk)))},
		Options:    importer.Options{Secrets: keySecret(wechattest.DesktopKeyHex())},
		OwnSamples: []string{"wechat"},
	})
}
