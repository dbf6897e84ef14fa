// Package wechat benchmarks the WeChat iPhone importer end to end on a generated app folder of
// N messages (default 1,000,000; WECHAT_BENCH_N overrides): 100 chats (every tenth a group with
// "wxid:\n" prefixes) in MM.sqlite and message_1.sqlite, 85% text, 10% links (type 49 XML),
// 5% photos whose files are missing. Run with run.sh, which also measures bench/sqlite's floor
// and peak RSS.
package wechat

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/bench/procstat"
	"github.com/chatvault/chatvault/importer"
	_ "github.com/chatvault/chatvault/importer/wechat"
	"github.com/chatvault/chatvault/importer/wechat/wcdb"
	"github.com/chatvault/chatvault/importer/wechat/wechattest"
)

const chats = 100

func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("WECHAT_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// generate writes the app folder at dir with n messages.
func generate(b *testing.B, dir string, n int) {
	me := "wxid_benchowner"
	acct := filepath.Join(dir, "Documents", wechattest.MD5(me), "DB")
	if err := os.MkdirAll(acct, 0o700); err != nil {
		b.Fatal(err)
	}
	user := func(i int) string {
		if i%10 == 0 {
			return fmt.Sprintf("%d@chatroom", 1000+i)
		}
		return fmt.Sprintf("wxid_friend%03d", i)
	}
	contacts, err := sql.Open("sqlite", filepath.Join(acct, "WCDB_Contact.sqlite"))
	if err != nil {
		b.Fatal(err)
	}
	contacts.Exec(`CREATE TABLE Friend(userName text primary key, type integer, dbContactRemark blob, dbContactChatRoom blob)`)
	contacts.Exec(`INSERT INTO Friend VALUES(?, 3, ?, NULL)`, me, wcdb.Encode(wcdb.Field{Num: 1, Value: []byte("Owner")}))
	for i := 0; i < chats; i++ {
		contacts.Exec(`INSERT INTO Friend VALUES(?, 3, ?, NULL)`, user(i), wcdb.Encode(wcdb.Field{Num: 1, Value: []byte(fmt.Sprintf("朋友%d", i))}))
	}
	contacts.Close()
	per := n / chats
	for f, file := range []string{"MM.sqlite", "message_1.sqlite"} {
		db, err := sql.Open("sqlite", filepath.Join(acct, file))
		if err != nil {
			b.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		db.Exec(`PRAGMA journal_mode=OFF`)
		db.Exec(`PRAGMA synchronous=OFF`)
		tx, _ := db.Begin()
		for c := f; c < chats; c += 2 {
			tbl := "Chat_" + wechattest.MD5(user(c))
			if _, err := tx.Exec(`CREATE TABLE ` + tbl + ` (TableVer integer default 1, MesLocalID integer primary key autoincrement, MesSvrID integer default 0, CreateTime integer default 0, Message text, Status integer default 0, ImgStatus integer default 0, Type integer, Des integer)`); err != nil {
				b.Fatal(err)
			}
			st, _ := tx.Prepare(`INSERT INTO ` + tbl + `(MesSvrID, CreateTime, Message, Type, Des) VALUES(?,?,?,?,?)`)
			count := per
			if c == chats-1 {
				count += n - per*chats
			}
			for i := 0; i < count; i++ {
				svr := int64(c)*10_000_000 + int64(i) + 1
				des := i % 2
				typ, msg := 1, fmt.Sprintf("第%d条消息 message %d in chat %d, 今天天气不错", i, i, c)
				switch {
				case i%20 == 7:
					typ, msg = 3, `<msg><img md5="x" length="1000"/></msg>`
				case i%10 == 3:
					typ, msg = 49, fmt.Sprintf(`<msg><appmsg><title>文章 %d</title><des>摘要</des><type>5</type><url>https://example.com/%d</url></appmsg></msg>`, i, i)
				}
				if c%10 == 0 && des == 1 {
					msg = fmt.Sprintf("wxid_member%02d:\n", i%30) + msg
				}
				if _, err := st.Exec(svr, 1600000000+int64(i)*60, msg, typ, des); err != nil {
					b.Fatal(err)
				}
			}
			st.Close()
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

func BenchmarkImportIOS(b *testing.B) {
	n := benchN()
	dir := filepath.Join(b.TempDir(), "AppDomain-com.tencent.xin")
	t0 := time.Now()
	generate(b, dir, n)
	b.Logf("generated %d messages in %v", n, time.Since(t0))
	if err := procstat.ResetPeakRSS(); err != nil {
		b.Logf("peak RSS includes the generator's (%v)", err)
	}
	imp, err := importer.ByName("wechat-ios")
	if err != nil {
		b.Fatal(err)
	}
	defer importer.TuneGC()() // as `chatvault import` does (GOGC=100 in the environment: without)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a, err := archive.Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprint("archive", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t, cpu := time.Now(), procstat.CPUTime()
		rep, err := importer.Run(context.Background(), a, imp, importer.LocalSource(dir), importer.Options{TZ: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		if rep.MessagesAdded != n {
			b.Fatalf("added %d, want %d", rep.MessagesAdded, n)
		}
		b.StopTimer()
		b.Logf("imported %d messages in %v (CPU %.1fs), peak RSS of the import %s", n, time.Since(t).Round(time.Millisecond), (procstat.CPUTime() - cpu).Seconds(), procstat.PeakRSS())
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
