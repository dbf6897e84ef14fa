// Command searchbench measures chatvault's search on a generated archive of N messages, side by
// side with plain SQLite FTS5 over the same messages (the peer). It generates the archive once
// into -dir and reuses it.
//
//	go run ./bench/search/searchbench -n 1000000 -dir /tmp/chatvault-bench-search
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/chatvault/chatvault/archive"
	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver, as chatvault opens it
)

// Words of the generated chat text. "photo" is put in about 30% of messages (the common word),
// "zebracorn" in about one in 100,000 (the rare word), 护照 inside Chinese sentences in about 2%.
var words = strings.Fields(`a to and of in is it you that for on was with this as at be have but not are they what we so
do if my all me your can just about like out no up one get when there time know how go more them would now see who
some well really good think lunch dinner tomorrow tonight flight hotel beach train birthday party cake meeting home
work kids school weekend coffee love thanks okay sure maybe later call soon great nice funny amazing yes haha lol`)

var cjk = []string{"我的护照丢了", "明天见面吧", "パスポートを忘れた", "我们去吃饭", "护照在哪里"}

const (
	chats   = 20
	exports = 4
)

var start = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)

func main() {
	n := flag.Int("n", 1_000_000, "messages")
	dir := flag.String("dir", "/tmp/chatvault-bench-search", "cache folder for the generated archive and the peer")
	runs := flag.Int("runs", 50, "runs per query")
	only := flag.String("only", "", "run only the queries whose name contains this (e.g. rare)")
	flag.Parse()
	if err := run(*n, *dir, *runs, *only); err != nil {
		fmt.Fprintln(os.Stderr, "searchbench:", err)
		os.Exit(1)
	}
}

func run(n int, dir string, runs int, only string) error {
	ctx := context.Background()
	root := filepath.Join(dir, fmt.Sprint(n))
	if _, err := os.Stat(filepath.Join(root, "done")); err != nil {
		os.RemoveAll(root)
		if err := os.MkdirAll(root, 0o755); err != nil {
			return err
		}
		t0 := time.Now()
		if err := generate(ctx, root, n); err != nil {
			return err
		}
		fmt.Printf("generated %d messages in %s\n", n, time.Since(t0).Round(time.Second))
		if err := os.WriteFile(filepath.Join(root, "done"), nil, 0o644); err != nil {
			return err
		}
	}
	a, err := archive.Open(ctx, filepath.Join(root, "archive"))
	if err != nil {
		return err
	}
	defer a.Close()
	peer, err := sql.Open("sqlite", filepath.Join(root, "peer.db"))
	if err != nil {
		return err
	}
	defer peer.Close()
	peer.SetMaxOpenConns(1)
	// Chat 3 (the third made, in both) and a month in the middle of the span.
	const chat = 3
	since := start.AddDate(0, 40, 0)
	until := since.AddDate(0, 1, 0)
	type query struct {
		name string
		q    archive.SearchQuery
		peer string
		args []any
	}
	const join = `SELECT m.id FROM fts JOIN messages m ON m.id = fts.rowid WHERE fts MATCH ?`
	queries := []query{
		{"common word (photo, ~30%)", archive.SearchQuery{Text: "photo", Limit: 20}, join + ` ORDER BY m.ts DESC LIMIT 20`, []any{`"photo"*`}},
		{"rare word (zebracorn)", archive.SearchQuery{Text: "zebracorn", Limit: 20}, join + ` ORDER BY m.ts DESC LIMIT 20`, []any{`"zebracorn"*`}},
		{"in-chat common word", archive.SearchQuery{Text: "photo", Limit: 20, ConversationID: chat}, join + ` AND m.conversation_id = ? ORDER BY m.ts DESC LIMIT 20`, []any{`"photo"*`, chat}},
		{"CJK substring (护照)", archive.SearchQuery{Text: "护照", Limit: 20}, join + ` ORDER BY m.ts DESC LIMIT 20`, []any{`"护 照"`}},
		{"date-bounded common word (1 month)", archive.SearchQuery{Text: "photo", Limit: 20, Since: since, Until: until}, join + ` AND m.ts >= ? AND m.ts < ? ORDER BY m.ts DESC LIMIT 20`, []any{`"photo"*`, since.UnixMilli(), until.UnixMilli()}},
	}
	fmt.Printf("search at %d messages, %d runs each, alternating; load average before: %s", n, runs, loadavg())
	fmt.Printf("%-36s %10s %10s %10s %10s %7s\n", "query", "p50", "p95", "peer p50", "peer p95", "p95/peer")
	for _, q := range queries {
		if !strings.Contains(q.name, only) {
			continue
		}
		var ours, theirs []time.Duration
		for i := 0; i < runs+1; i++ { // the first run of each warms the caches and is not counted
			t0 := time.Now()
			hits, err := a.Search(ctx, q.q)
			if err != nil {
				return fmt.Errorf("%s: %w", q.name, err)
			}
			d := time.Since(t0)
			t0 = time.Now()
			rows, err := peer.QueryContext(ctx, q.peer, q.args...)
			if err != nil {
				return fmt.Errorf("peer %s: %w", q.name, err)
			}
			np := 0
			for rows.Next() {
				np++
			}
			if err := rows.Close(); err != nil {
				return err
			}
			dp := time.Since(t0)
			if len(hits) != np {
				return fmt.Errorf("%s: %d hits, the peer %d", q.name, len(hits), np)
			}
			if i > 0 {
				ours, theirs = append(ours, d), append(theirs, dp)
			}
		}
		p50, p95 := pct(ours, 50), pct(ours, 95)
		pp50, pp95 := pct(theirs, 50), pct(theirs, 95)
		fmt.Printf("%-36s %10s %10s %10s %10s %6.2fx\n", q.name, ms(p50), ms(p95), ms(pp50), ms(pp95), float64(p95)/float64(pp95))
	}
	fmt.Printf("load average after: %s", loadavg())
	return nil
}

func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[(len(s)*p+99)/100-1]
}

func ms(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) // a rare word's time is a few tenths
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown\n"
	}
	return string(b)
}

// text is one generated message.
func text(r *rand.Rand) string {
	var b strings.Builder
	k := 3 + r.IntN(10)
	for j := 0; j < k; j++ {
		if j > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	if r.IntN(100) < 30 {
		b.WriteString(" photo")
	}
	if r.IntN(100_000) == 0 {
		b.WriteString(" zebracorn")
	}
	if r.IntN(100) < 4 {
		b.WriteString(" " + cjk[r.IntN(len(cjk))])
	}
	return b.String()
}

// generate writes the archive through its import API in exports newest first (so message ids do
// not follow time, as when an older export is imported later), and the peer: the same messages in
// a plain table with a (conversation_id, ts) index and a contentless FTS5 table over the text.
func generate(ctx context.Context, root string, n int) error {
	a, err := archive.Open(ctx, filepath.Join(root, "archive"))
	if err != nil {
		return err
	}
	defer a.Close()
	peer, err := sql.Open("sqlite", filepath.Join(root, "peer.db"))
	if err != nil {
		return err
	}
	defer peer.Close()
	peer.SetMaxOpenConns(1)
	if _, err := peer.Exec(`PRAGMA journal_mode=WAL;
		CREATE TABLE messages (id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL, ts INTEGER NOT NULL);
		CREATE INDEX messages_by_time ON messages(conversation_id, ts);
		CREATE VIRTUAL TABLE fts USING fts5(body, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2');`); err != nil {
		return err
	}
	// n messages spread evenly over 8 years, across 20 chats.
	span := 8 * 365 * 24 * time.Hour
	step := span / time.Duration(n)
	per := n / exports
	for e := exports - 1; e >= 0; e-- {
		if err := generateExport(ctx, a, peer, e, e*per, min(n, (e+1)*per), step); err != nil {
			return err
		}
		if e == 0 && exports*per < n {
			if err := generateExport(ctx, a, peer, exports, exports*per, n, step); err != nil {
				return err
			}
		}
	}
	return nil
}

func generateExport(ctx context.Context, a *archive.Archive, peer *sql.DB, e, from, to int, step time.Duration) error {
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "searchbench", ImporterVersion: "1", SourcePath: fmt.Sprintf("export-%d", e)})
	if err != nil {
		return err
	}
	var convs, people [chats]int64
	for c := range convs {
		if convs[c], err = im.Conversation(archive.Conversation{Service: "bench", Key: fmt.Sprintf("chat%d", c), Title: fmt.Sprintf("Chat %d", c), Kind: archive.ConvGroup}); err != nil {
			im.Rollback()
			return err
		}
		if people[c], err = im.Participant(archive.Participant{Service: "bench", Key: fmt.Sprintf("p%d", c), Name: fmt.Sprintf("Person %d", c)}); err != nil {
			im.Rollback()
			return err
		}
	}
	var rows []row
	for i := from; i < to; i++ {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		c := r.IntN(chats)
		at := start.Add(time.Duration(i)*step + time.Duration(r.IntN(int(step/time.Millisecond)+1))*time.Millisecond)
		m := archive.Message{ConversationID: convs[c], UID: fmt.Sprintf("m%d", i), Time: at, SenderID: people[c],
			Kind: archive.KindText, Text: text(r), SrcPos: fmt.Sprintf("line %d", i-from+1)}
		if err := im.AddMessage(&m); err != nil {
			im.Rollback()
			return err
		}
		rows = append(rows, row{int64(c + 1), at.UnixMilli(), m.Text})
	}
	if _, err := im.Commit(); err != nil {
		return err
	}
	return fillPeer(peer, rows)
}

// nextID mirrors the archive's ids: both number messages in the order they are added.
var nextID int64

type row struct {
	conv, ts int64
	text     string
}

func fillPeer(peer *sql.DB, rows []row) error {
	tx, err := peer.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	msg, err := tx.Prepare(`INSERT INTO messages(id, conversation_id, ts) VALUES(?,?,?)`)
	if err != nil {
		return err
	}
	fts, err := tx.Prepare(`INSERT INTO fts(rowid, body) VALUES(?,?)`)
	if err != nil {
		return err
	}
	for _, r := range rows {
		nextID++
		if _, err := msg.Exec(nextID, r.conv, r.ts); err != nil {
			return err
		}
		if _, err := fts.Exec(nextID, splitCJK(r.text)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// splitCJK writes each Chinese and Japanese character as a word of its own, as the archive's index
// does, so the peer finds 护照 inside a sentence by the same phrase query.
func splitCJK(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			b.WriteString(" " + string(r) + " ")
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
