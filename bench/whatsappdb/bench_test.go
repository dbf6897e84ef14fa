// Package whatsappdb measures the WhatsApp for Android database importer on a generated
// modern-schema msgstore.db of N messages (default 1,000,000; WADB_N overrides): the first import
// into a fresh archive, a re-import of the same database, and the import of a newer database with
// 100 more messages, with messages/s and peak RSS. Compare with the single-writer floor measured
// in the same run:
//
//	FLOOR_N=1000000 go test ./bench/sqlite -run XXX -bench Floor -benchtime 1x
//	go test ./bench/whatsappdb -run XXX -bench Import -benchtime 1x -timeout 1h
package whatsappdb

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/bench/procstat"
	"github.com/chatvault/chatvault/importer"
	_ "github.com/chatvault/chatvault/importer/whatsapp/wadb"
)

// The modern tables the importer reads, as WhatsApp 2.22's msgstore.db declares them
// (notes/whatsapp-databases.md §4.2).
var ddl = []string{
	`CREATE TABLE jid (_id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, server TEXT NOT NULL, agent INTEGER, device INTEGER, type INTEGER, raw_string TEXT)`,
	`CREATE TABLE chat (_id INTEGER PRIMARY KEY AUTOINCREMENT,jid_row_id INTEGER UNIQUE,hidden INTEGER,subject TEXT,created_timestamp INTEGER)`,
	`CREATE TABLE message (_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL, from_me INTEGER NOT NULL, key_id TEXT NOT NULL, sender_jid_row_id INTEGER, status INTEGER, broadcast INTEGER, recipient_count INTEGER, participant_hash TEXT, origination_flags INTEGER, origin INTEGER, timestamp INTEGER, received_timestamp INTEGER, receipt_server_timestamp INTEGER, message_type INTEGER, text_data TEXT, starred INTEGER, lookup_tables INTEGER, message_add_on_flags INTEGER, sort_id INTEGER NOT NULL DEFAULT 0 )`,
	`CREATE TABLE message_media (message_row_id INTEGER PRIMARY KEY, chat_row_id INTEGER, file_path TEXT, file_size INTEGER, mime_type TEXT, media_name TEXT, width INTEGER, height INTEGER, media_duration INTEGER)`,
	`CREATE TABLE message_quoted (message_row_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL, parent_message_chat_row_id INTEGER NOT NULL, from_me INTEGER NOT NULL, sender_jid_row_id INTEGER, key_id TEXT NOT NULL, timestamp INTEGER, message_type INTEGER, text_data TEXT)`,
	`CREATE TABLE message_system (message_row_id INTEGER PRIMARY KEY, action_type INTEGER NOT NULL)`,
	`CREATE TABLE message_revoked (message_row_id INTEGER PRIMARY KEY,revoked_key_id TEXT NOT NULL,admin_jid_row_id INTEGER)`,
	`CREATE TABLE message_add_on (_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER, from_me INTEGER, key_id TEXT NOT NULL, sender_jid_row_id INTEGER, parent_message_row_id INTEGER, timestamp INTEGER, status INTEGER, message_add_on_type INTEGER)`,
	`CREATE TABLE message_add_on_reaction (message_add_on_row_id INTEGER PRIMARY KEY, reaction TEXT, sender_timestamp INTEGER)`,
	`INSERT INTO message(_id, chat_row_id, from_me, key_id, timestamp) VALUES(1, -1, 0, '-1', 0)`,
}

const chats = 1000 // 900 1:1 chats and 100 groups

// generate writes a msgstore.db of n messages spread over the chats, one minute apart per chat:
// 5% media (files absent), 1% replies, 0.5% system rows, 0.2% reactions.
func generate(b *testing.B, p string, n int) {
	db, err := sql.Open("sqlite", p+"?_pragma=synchronous(OFF)&_pragma=journal_mode(OFF)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range ddl {
		if _, err := db.Exec(s); err != nil {
			b.Fatal(err)
		}
	}
	stmts := []string{
		`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 1000)
		 INSERT INTO jid(user, server, agent, device, type, raw_string)
		 SELECT CASE WHEN x <= 900 THEN '4915' || (10000000 + x) ELSE '1203630000' || x END,
		        CASE WHEN x <= 900 THEN 's.whatsapp.net' ELSE 'g.us' END, 0, 0, CASE WHEN x <= 900 THEN 0 ELSE 1 END,
		        CASE WHEN x <= 900 THEN '4915' || (10000000 + x) || '@s.whatsapp.net' ELSE '1203630000' || x || '@g.us' END FROM c`,
		`INSERT INTO chat(jid_row_id, hidden, subject) SELECT _id, 0, CASE WHEN server = 'g.us' THEN 'Group ' || _id END FROM jid`,
		fmt.Sprintf(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < %d)
		 INSERT INTO message(chat_row_id, from_me, key_id, sender_jid_row_id, status, broadcast, origination_flags, origin, timestamp, message_type, text_data, starred, sort_id)
		 SELECT 1 + x %% %d, x %% 3 = 0, printf('3EB0%%016X', x), CASE WHEN x %% %d >= 900 AND x %% 3 <> 0 THEN 1 + (x * 7) %% 900 ELSE 0 END,
		        13, 0, 0, 0, 1600000000000 + x * 60000 / %d * 1000 + x %% 1000,
		        CASE WHEN x %% 20 = 0 THEN 1 WHEN x %% 200 = 7 THEN 7 ELSE 0 END,
		        CASE WHEN x %% 200 = 7 THEN NULL ELSE 'message ' || x || ' with some ordinary chat text in it' END, 0, x FROM c`, n, chats, chats, chats),
		`INSERT INTO message_media(message_row_id, chat_row_id, file_path, file_size, mime_type, media_name, width, height)
		 SELECT _id, chat_row_id, 'Media/WhatsApp Images/IMG-' || _id || '.jpg', 50000, 'image/jpeg', NULL, 1280, 960 FROM message WHERE message_type = 1`,
		`INSERT INTO message_system(message_row_id, action_type) SELECT _id, 19 FROM message WHERE message_type = 7`,
		`INSERT INTO message_quoted(message_row_id, chat_row_id, parent_message_chat_row_id, from_me, key_id, timestamp, message_type, text_data)
		 SELECT m._id, m.chat_row_id, m.chat_row_id, 0, p.key_id, p.timestamp, 0, p.text_data FROM message m JOIN message p ON p._id = m._id - 1000
		 WHERE m._id % 100 = 3`,
		`INSERT INTO message_add_on(chat_row_id, from_me, key_id, sender_jid_row_id, parent_message_row_id, timestamp, status, message_add_on_type)
		 SELECT chat_row_id, 1, 'R' || _id, 0, _id, timestamp + 1000, 0, 56 FROM message WHERE _id % 500 = 11`,
		`INSERT INTO message_add_on_reaction(message_add_on_row_id, reaction, sender_timestamp) SELECT _id, '👍', timestamp FROM message_add_on`,
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			b.Fatalf("%s: %v", s, err)
		}
	}
}

// addMessages appends k text messages to a copy of the database (a newer backup).
func addMessages(b *testing.B, from, to string, k int) {
	data, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open("sqlite", to)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(fmt.Sprintf(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < %d)
		INSERT INTO message(chat_row_id, from_me, key_id, sender_jid_row_id, status, timestamp, message_type, text_data, sort_id)
		SELECT 1 + x %% 900, 0, 'NEW' || x, 0, 0, 1900000000000 + x * 1000, 0, 'a new message ' || x, 0 FROM c`, k))
	if err != nil {
		b.Fatal(err)
	}
}

func BenchmarkImport(b *testing.B) {
	n := 1_000_000
	if v := os.Getenv("WADB_N"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	dir := b.TempDir()
	older := filepath.Join(dir, "old", "msgstore.db")
	newer := filepath.Join(dir, "new", "msgstore.db")
	os.MkdirAll(filepath.Dir(older), 0o700)
	os.MkdirAll(filepath.Dir(newer), 0o700)
	t := time.Now()
	generate(b, older, n)
	addMessages(b, older, newer, 100)
	b.Logf("generated %d messages in %v, peak RSS so far %s", n, time.Since(t).Round(time.Millisecond), procstat.PeakRSS())
	if err := procstat.ResetPeakRSS(); err != nil {
		b.Logf("peak RSS includes the generator's (%v)", err)
	}
	imp, err := importer.ByName("whatsapp-android-db")
	if err != nil {
		b.Fatal(err)
	}
	defer importer.TuneGC()() // as `chatvault import` does (GOGC=100 in the environment: without)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		a, err := archive.Open(ctx, filepath.Join(b.TempDir(), "archive"))
		if err != nil {
			b.Fatal(err)
		}
		// step imports p and logs its wall time, the process's CPU time (user+system, which
		// says more than wall time on a loaded machine) and peak RSS; with WADB_CPUPROFILE set,
		// each step writes a CPU profile there (suffixed with the step's name after the first).
		step := func(name, p, suffix string) time.Duration {
			if prof := os.Getenv("WADB_CPUPROFILE"); prof != "" {
				f, err := os.Create(prof + suffix)
				if err != nil {
					b.Fatal(err)
				}
				defer f.Close()
				pprof.StartCPUProfile(f)
				defer pprof.StopCPUProfile()
			}
			t, cpu := time.Now(), procstat.CPUTime()
			rep, err := importer.Run(ctx, a, imp, importer.LocalSource(p), importer.Options{TZ: time.UTC})
			if err != nil {
				b.Fatal(err)
			}
			d := time.Since(t)
			b.Logf("%-9s %7d added, %7d present in %8v (CPU %6.1fs) = %8.0f rows/s, peak RSS %s", name, rep.MessagesAdded, rep.MessagesPresent, d.Round(time.Millisecond),
				(procstat.CPUTime() - cpu).Seconds(), float64(rep.MessagesAdded+rep.MessagesPresent)/d.Seconds(), procstat.PeakRSS())
			return d
		}
		first := step("first", older, "")
		again := step("same", older, ".same")
		plus := step("newer+100", newer, ".newer")
		b.Logf("re-import of the same database: %.1f%% of the first; newer with 100 more: %.1f%%", 100*again.Seconds()/first.Seconds(), 100*plus.Seconds()/first.Seconds())
		b.ReportMetric(float64(n)/first.Seconds(), "msgs/s")
		a.Close()
	}
}
