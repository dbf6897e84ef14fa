package archive

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Chat-like text with Latin and CJK words, to compare how fast FTS5 indexes it.
var benchWords = []string{"hello", "see", "you", "tomorrow", "passport", "meeting", "at", "the", "station", "ok", "lol",
	"dinner", "我们", "明天", "见面", "护照", "丢了", "パスポート", "忘れた", "😀", "love", "yes"}

func benchTexts(n int) []string {
	r := rand.New(rand.NewSource(1))
	out := make([]string, n)
	for i := range out {
		k := 3 + r.Intn(10)
		var b strings.Builder
		for j := 0; j < k; j++ {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(benchWords[r.Intn(len(benchWords))])
		}
		out[i] = b.String()
	}
	return out
}

// BenchmarkIndexTokenizers compares the index this archive uses (unicode61 with CJK characters
// split into single tokens) with FTS5's trigram tokenizer, per 100,000 messages. It documents the
// choice in docs/search.md.
func BenchmarkIndexTokenizers(b *testing.B) {
	texts := benchTexts(500_000)
	for _, tc := range []struct {
		name, tokenize string
		split, staged  bool
		hash           int
		options        string
	}{
		{"unicode61+cjk-split", "unicode61 remove_diacritics 2", true, false, 0, "contentless_delete=1"},
		{"trigram", "trigram", false, false, 0, "contentless_delete=1"},
		{"unicode61+cjk-split,detail=none", "unicode61 remove_diacritics 2', detail='none", true, false, 0, "contentless_delete=1"},
		{"unicode61+cjk-split,staged", "unicode61 remove_diacritics 2", true, true, 0, "contentless_delete=1"},
		{"as-the-archive-does", "unicode61 remove_diacritics 2", true, true, ftsHashBytes, "columnsize=0"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				db, err := openDB(filepath.Join(b.TempDir(), "i.db"), 1)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := db.Exec(`CREATE VIRTUAL TABLE fts USING fts5(body, content='', ` + tc.options + `, tokenize='` + tc.tokenize + `')`); err != nil {
					b.Fatal(err)
				}
				if tc.hash > 0 {
					if _, err := db.Exec(`INSERT INTO fts(fts, rank) VALUES('hashsize', ?)`, tc.hash); err != nil {
						b.Fatal(err)
					}
				}
				if tc.staged {
					indexStaged(b, db, texts)
				} else {
					indexAll(b, db, texts, tc.split)
				}
				var pages int64
				db.QueryRow(`PRAGMA page_count`).Scan(&pages)
				b.ReportMetric(float64(pages*4096)/float64(len(texts)), "index-bytes/msg")
				db.Close()
			}
			b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

func indexAll(b *testing.B, db *sql.DB, texts []string, split bool) {
	tx, _ := db.Begin()
	stmt, err := tx.Prepare(insertIndexSQL(indexBatchRows))
	if err != nil {
		b.Fatal(err)
	}
	args := make([]any, 0, 2*indexBatchRows)
	for i, t := range texts {
		if split {
			t = splitForIndex(t)
		}
		args = append(args, i+1, t)
		if len(args) == cap(args) {
			if _, err := stmt.Exec(args...); err != nil {
				b.Fatal(err)
			}
			args = args[:0]
		}
	}
	tx.Commit()
}

// BenchmarkArchiveInsert measures the archive writer alone (no parsing): batched inserts, dedup
// index and the search index on its own goroutine.
func BenchmarkArchiveInsert(b *testing.B) {
	texts := benchTexts(4096)
	const n = 200_000
	for i := 0; i < b.N; i++ {
		a, err := Open(context.Background(), filepath.Join(b.TempDir(), "a"))
		if err != nil {
			b.Fatal(err)
		}
		im, _ := a.BeginImport(context.Background(), ImportInfo{Importer: "bench", ImporterVersion: "1", SourcePath: "x"})
		cid, _ := im.Conversation(Conversation{Service: "bench", Key: "c", Title: "c"})
		pid, _ := im.Participant(Participant{Service: "bench", Key: "p", Name: "p"})
		for j := 0; j < n; j++ {
			t := texts[j&4095]
			m := Message{ConversationID: cid, UID: fmt.Sprintf("20200101T%08d-%08x", j, j*2654435761), Time: benchTime(j), SenderID: pid,
				Kind: KindText, Text: t, Raw: rawFor(t), SrcPos: "line 1", OffsetKnown: true, OffsetAssumed: true}
			if err := im.AddMessage(&m); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := im.Commit(); err != nil {
			b.Fatal(err)
		}
		a.Close()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
func benchTime(i int) time.Time {
	return time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
}

func rawFor(t string) string {
	if os.Getenv("CV_NORAW") != "" {
		return ""
	}
	return "01/01/2020, 10:00 - p: " + t
}

// indexStaged does what the archive's index writer does: a plain staging table keyed by the
// time-ordered key, moved into FTS5 in key order in large statements (FTS5 flushes its in-memory
// terms at every statement and whenever a row id goes down), and the vocabulary. The messages are
// 20 chats over the same months, one after the other, as an export of several chats arrives.
func indexStaged(b *testing.B, db *sql.DB, texts []string) {
	tx, _ := db.Begin()
	if _, err := tx.Exec(`CREATE TEMP TABLE stage(key INTEGER PRIMARY KEY, body TEXT);
		CREATE TABLE vocab (term TEXT PRIMARY KEY) WITHOUT ROWID`); err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(insertStageSQL(indexBatchRows))
	if err != nil {
		b.Fatal(err)
	}
	vocab := vocabWriter{known: map[string]struct{}{}}
	args := make([]any, 0, 2*indexBatchRows)
	move := func() {
		if _, err := tx.Exec(`INSERT INTO fts(rowid, body) SELECT key, body FROM stage ORDER BY key`); err != nil {
			b.Fatal(err)
		}
		tx.Exec(`DELETE FROM stage`)
		if err := vocab.flush(context.Background(), tx); err != nil {
			b.Fatal(err)
		}
	}
	for i, t := range texts {
		key, err := searchKey(benchTime(i%(len(texts)/20)).UnixMilli(), int64(i+1))
		if err != nil {
			b.Fatal(err)
		}
		t = splitForIndex(t)
		vocab.addText(t)
		args = append(args, key, t)
		if len(args) == cap(args) {
			if _, err := stmt.Exec(args...); err != nil {
				b.Fatal(err)
			}
			args = args[:0]
		}
		if (i+1)%stageRows == 0 {
			move()
		}
	}
	move()
	tx.Commit()
}

func insertStageSQL(rows int) string {
	return "INSERT INTO stage(key, body) VALUES " + strings.TrimSuffix(strings.Repeat("(?,?),", rows), ",")
}

// BenchmarkVocabFlush adds 1,015,808 distinct numbers to the vocabulary 8,192 at a time, as an
// import of messages that each carry a new number (ids, amounts, codes) does.
func BenchmarkVocabFlush(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	const total, per = 124 * 8192, 8192
	terms := make([]string, total)
	for i := range terms {
		terms[i] = fmt.Sprint(r.Int63n(1e12))
	}
	for n := 0; n < b.N; n++ {
		db, err := openDB(filepath.Join(b.TempDir(), "i.db"), 1)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(indexSchema); err != nil {
			b.Fatal(err)
		}
		tx, _ := db.Begin()
		for i := 0; i < total; i += per {
			v := vocabWriter{pending: slices.Clone(terms[i : i+per])}
			if err := v.flush(context.Background(), tx); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "terms/s")
}
