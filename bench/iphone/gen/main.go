// Command gen writes a synthetic iPhone backup for the benchmarks: a Messages database (sms.db
// in HomeDomain, on the real schema) with N messages in 100 chats, every one of which with an
// attachment until -media files are named, and those files in MediaDomain (random bytes,
// -media-mb in all). With -wechat, also a WeChat account of that many messages in
// AppDomain-com.tencent.xin (wechattest.GenerateIOS), with a -wechat-photo-kb file for each of
// its photos; with -whatsapp, WhatsApp's ChatStorage.sqlite of that many messages in its app
// group (wadbtest.GenerateIOS), with a file of the same size for each photo. The backup is plain:
// the benchmark measures reading and storing, not AES.
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/chatvault/chatvault/importer/imessage/imessagetest"
	"github.com/chatvault/chatvault/importer/iphone/backup/backuptest"
	"github.com/chatvault/chatvault/importer/wechat/wechattest"
	"github.com/chatvault/chatvault/importer/whatsapp/wadb/wadbtest"
	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver, as chatvault opens it
)

func main() {
	out := flag.String("o", "", "backup folder to write")
	n := flag.Int("n", 1000000, "messages")
	media := flag.Int("media", 0, "attachment files")
	mediaMB := flag.Int("media-mb", 0, "total size of the attachment files, MiB")
	wechat := flag.Int("wechat", 0, "WeChat messages (0: no WeChat)")
	photoKB := flag.Int("wechat-photo-kb", 16, "size of each WeChat and WhatsApp photo file, KiB")
	whatsapp := flag.Int("whatsapp", 0, "WhatsApp messages (0: no WhatsApp)")
	flag.Parse()
	if *out == "" {
		log.Fatal("gen: -o is required")
	}
	tmp, err := os.MkdirTemp("", "gen-sms-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	dbPath := filepath.Join(tmp, "sms.db")
	paths, err := writeDB(dbPath, *n, *media)
	if err != nil {
		log.Fatal(err)
	}
	sms, err := os.ReadFile(dbPath)
	if err != nil {
		log.Fatal(err)
	}
	files := []backuptest.File{{Domain: "HomeDomain", Path: "Library/SMS/sms.db", Data: sms}}
	for _, p := range paths {
		// A placeholder: the content is written below, streamed. A plain backup's content file
		// is the truth about its bytes.
		files = append(files, backuptest.File{Domain: "MediaDomain", Path: p, Data: []byte{0}})
	}
	var photos []backuptest.File // placeholders; their content is written below
	opts := backuptest.Options{DeviceName: "Bench iPhone"}
	for _, app := range []struct {
		n                    int
		name, bundle, domain string
		generate             func(dir string, n int) ([]string, error)
	}{
		{*wechat, "WeChat", "com.tencent.xin", weChatDomain, wechattest.GenerateIOS},
		{*whatsapp, "WhatsApp", "net.whatsapp.WhatsApp", whatsAppDomain, wadbtest.GenerateIOS},
	} {
		if app.n == 0 {
			continue
		}
		opts.Apps = append(opts.Apps, app.bundle)
		dir := filepath.Join(tmp, app.name)
		ps, err := app.generate(dir, app.n)
		if err != nil {
			log.Fatal(err)
		}
		if files, photos, err = appFiles(files, photos, dir, app.domain, ps); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d messages, %d photos of %d KiB\n", app.name, app.n, len(ps), *photoKB)
	}
	if err := backuptest.Write(*out, opts, files); err != nil {
		log.Fatal(err)
	}
	if len(photos) > 0 {
		buf := make([]byte, *photoKB<<10)
		rnd := rand.New(rand.NewChaCha8([32]byte{2}))
		for _, p := range photos {
			for i := range buf {
				buf[i] = byte(rnd.Uint32())
			}
			copy(buf, "\xff\xd8\xff\xe0") // a JPEG's first bytes
			if err := os.WriteFile(backuptest.ContentPath(*out, p.Domain, p.Path), buf, 0o644); err != nil {
				log.Fatal(err)
			}
		}
	}
	if *media > 0 {
		size := int64(*mediaMB) << 20 / int64(*media)
		rnd := rand.New(rand.NewChaCha8([32]byte{1}))
		buf := make([]byte, size)
		for _, p := range paths {
			for i := 0; i+8 <= len(buf); i += 8 {
				v := rnd.Uint64()
				for j := 0; j < 8; j++ {
					buf[i+j] = byte(v >> (8 * j))
				}
			}
			if err := os.WriteFile(backuptest.ContentPath(*out, "MediaDomain", p), buf, 0o644); err != nil {
				log.Fatal(err)
			}
		}
	}
	fmt.Printf("wrote %s: %d messages, %d media files, %d MiB\n", *out, *n, *media, *mediaMB)
}

// writeDB writes sms.db with n messages; the first media messages of each 100 carry an attachment.
func writeDB(path string, n, media int) ([]string, error) {
	if err := imessagetest.Write(path); err != nil { // the schema, and a few rows of every kind
		return nil, err
	}
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(off)&_pragma=synchronous(off)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	// iOS's sms.db indexes chat_message_join by message (the mvt fixture has both of these).
	if _, err := db.Exec(`CREATE INDEX chat_message_join_idx_message_id ON chat_message_join(message_id, chat_id);
		CREATE INDEX chat_message_join_idx_message_id_only ON chat_message_join(message_id)`); err != nil {
		return nil, err
	}
	tx, err := db.Begin()
	if err != nil {
		return nil, err
	}
	for c := 0; c < 100; c++ {
		if _, err := tx.Exec(`INSERT INTO handle(ROWID, id, service) VALUES(?,?,'iMessage')`, 1000+c, fmt.Sprintf("+49151%07d", c)); err != nil {
			return nil, err
		}
		if _, err := tx.Exec(`INSERT INTO chat(ROWID, guid, style, chat_identifier, service_name) VALUES(?,?,45,?,'iMessage')`,
			1000+c, fmt.Sprintf("iMessage;-;+49151%07d", c), fmt.Sprintf("+49151%07d", c)); err != nil {
			return nil, err
		}
	}
	msg, err := tx.Prepare(`INSERT INTO message(ROWID, guid, text, handle_id, service, date, is_from_me) VALUES(?,?,?,?,?,?,?)`)
	if err != nil {
		return nil, err
	}
	join, err := tx.Prepare(`INSERT INTO chat_message_join VALUES(?,?)`)
	if err != nil {
		return nil, err
	}
	att, err := tx.Prepare(`INSERT INTO attachment(ROWID, guid, filename, mime_type, transfer_name) VALUES(?,?,?,?,?)`)
	if err != nil {
		return nil, err
	}
	maj, err := tx.Prepare(`INSERT INTO message_attachment_join VALUES(?,?)`)
	if err != nil {
		return nil, err
	}
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Sub(time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC))
	var paths []string
	every := 1
	if media > 0 && n/media > 1 {
		every = n / media
	}
	for i := 0; i < n; i++ {
		id := 1000 + i
		c := i % 100
		if _, err := msg.Exec(id, fmt.Sprintf("BENCH-%08d", i), fmt.Sprintf("message %d with some ordinary text in it", i),
			1000+c, "iMessage", int64(base)+int64(i)*int64(time.Minute), i%3 == 0); err != nil {
			return nil, err
		}
		if _, err := join.Exec(1000+c, id); err != nil {
			return nil, err
		}
		if len(paths) < media && i%every == 0 {
			p := fmt.Sprintf("Library/SMS/Attachments/%02x/%02d/BENCH-%08d/IMG_%d.jpeg", i%256, i%100, i, i)
			if _, err := att.Exec(id, fmt.Sprintf("BENCH-at-%d", i), "~/"+p, "image/jpeg", filepath.Base(p)); err != nil {
				return nil, err
			}
			if _, err := maj.Exec(id, id); err != nil {
				return nil, err
			}
			paths = append(paths, p)
		}
	}
	return paths, tx.Commit()
}

const (
	weChatDomain   = "AppDomain-com.tencent.xin"
	whatsAppDomain = "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"
)

// appFiles adds an app folder generated in dir to the backup's records as domain's files (the
// databases with their bytes) and the photos it names as placeholders.
func appFiles(files, photos []backuptest.File, dir, domain string, ps []string) ([]backuptest.File, []backuptest.File, error) {
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files = append(files, backuptest.File{Domain: domain, Path: filepath.ToSlash(rel), Data: data})
		return err
	})
	for _, p := range ps {
		f := backuptest.File{Domain: domain, Path: p, Data: []byte{0}}
		files, photos = append(files, f), append(photos, f)
	}
	return files, photos, err
}
