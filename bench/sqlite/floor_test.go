// Package sqlite measures what one modernc.org/sqlite writer can insert into the archive's own
// messages table on this machine, with and without its indexes and with no parsing, converting or
// search index around it: the ceiling for any import's end-to-end throughput.
//
//	go test ./bench/sqlite -run XXX -bench Floor -benchtime 1x
package sqlite

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	// The floor opens its connections as chatvault does, without SQLite's per-connection mutex:
	// a floor that chatvault beat by configuring the driver differently would measure nothing.
	// With the mutex the floor took 18-20% longer (2026-12-04: 6.06-6.17 s against 5.14-5.15 s
	// for 1,000,000 rows, alternating).
	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver
)

// messagesTable is the archive's CREATE TABLE messages and its indexes, read from the migration so
// the benchmark follows the real schema.
func messagesTable(b *testing.B) (table string, uniqueUID, byTime string) {
	src, err := os.ReadFile("../../archive/migrations/0001_init.sql")
	if err != nil {
		b.Fatal(err)
	}
	s := regexp.MustCompile(`(?m)--.*$`).ReplaceAllString(string(src), "")
	table = regexp.MustCompile(`(?s)CREATE TABLE messages \(.*?\n\);`).FindString(s)
	byTime = regexp.MustCompile(`CREATE INDEX messages_by_time[^;]*;`).FindString(s)
	uniqueUID = regexp.MustCompile(`,\s*UNIQUE \(conversation_id, uid\)`).FindString(table)
	if table == "" || byTime == "" || uniqueUID == "" {
		b.Fatal("the migration no longer has the messages table this benchmark expects")
	}
	return strings.Replace(table, uniqueUID, "", 1), uniqueUID, byTime
}

var columns = []string{"conversation_id", "uid", "ts", "ts_offset", "ts_assumed", "sender_id", "from_me",
	"kind", "text", "flags", "reply_to", "details", "import_id", "src_pos", "raw"}

// BenchmarkFloor inserts floorRows() chat-like messages in one transaction, 64 rows per prepared
// statement, as the archive's import does.
func BenchmarkFloor(b *testing.B) {
	table, uniqueUID, byTime := messagesTable(b)
	for _, tc := range []struct {
		name          string
		unique, index bool
	}{
		{"archive-schema", true, true},
		{"without-time-index", true, false},
		{"without-uid-index", false, true},
		{"without-indexes", false, false},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ddl := table
			if tc.unique {
				ddl = strings.Replace(table, "\n);", uniqueUID+"\n);", 1)
			}
			if tc.index {
				ddl += "\n" + byTime
			}
			n := floorRows()
			for i := 0; i < b.N; i++ {
				insertAll(b, ddl, n)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// floorRows is how many rows each run inserts: FLOOR_N, or 1,000,000, the size the import targets
// are set at. An import is compared with the floor at its own size (the import scripts pass
// FLOOR_N=N): a larger table costs more per row, with deeper B-trees and a longer checkpoint.
// Measured 2026-12-03, alternating: 241-243k rows/s at 500,000 rows, 216-225k at 1,000,000.
func floorRows() int {
	if n, err := strconv.Atoi(os.Getenv("FLOOR_N")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

func insertAll(b *testing.B, ddl string, n int) {
	path := filepath.Join(b.TempDir(), "a.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=cache_size(-16384)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(ddl); err != nil {
		b.Fatal(err)
	}
	const rows = 64
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(columns)), ",") + "),"
	q := "INSERT INTO messages(" + strings.Join(columns, ",") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(one, rows), ",") + " ON CONFLICT DO NOTHING"
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(q)
	if err != nil {
		b.Fatal(err)
	}
	texts := []string{"ok", "see you tomorrow at the station", "lol", "did you get the passport back?", "👍", "dinner on Sunday"}
	args := make([]any, 0, rows*len(columns))
	for i := 0; i < n; i++ {
		text := texts[i%len(texts)]
		uid := fmt.Sprintf("20190101T%04d-%020x", i/50, uint64(i)*2654435761)
		args = append(args, int64(1), uid, int64(1546330680000+i*60000), int64(0), true, int64(2), false,
			"text", text, int64(0), "", "", int64(1), "line "+fmt.Sprint(i+1), "01/01/2019, 08:18 - Alice: "+text)
		if len(args) == cap(args) {
			if _, err := stmt.Exec(args...); err != nil {
				b.Fatal(err)
			}
			args = args[:0]
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
