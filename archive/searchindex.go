package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
)

const indexName = "index.db"

// searchIndex is the full-text index. It lives in its own SQLite file so that an import can fill
// it on a second connection (and a second core) while the main transaction inserts messages. It is
// derived data: archive.db is the truth, the index records how far it has caught up (the highest
// message id it holds; ids are never reused) and catches up when it is behind or missing.
type searchIndex struct {
	path  string
	db    *sql.DB
	reads *preparedDB // db for searches, statements kept prepared
}

// indexVersion is stored as the index file's user_version. An index of another version is
// deleted and rebuilt from archive.db (it is derived data), so changing the definition below
// only needs this number raised.
const indexVersion = 3

// The FTS5 table holds no copy of the text (it is contentless) and no per-row column sizes
// (columnsize=0: results are ordered by time, never by bm25). Messages are never removed from
// the index one by one, so no contentless_delete. Measured: 35% faster indexing than with both
// (go test ./archive -bench IndexTokenizers).
const indexSchema = `
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vocab (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(body, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2');
`

// ftsHashBytes is how much FTS5 buffers in memory before it writes a segment: larger than the
// 1 MiB default, so a staged move makes one segment instead of several to merge later.
const ftsHashBytes = 4 << 20

func openSearchIndex(ctx context.Context, path string) (*searchIndex, error) {
	db, err := openDB(path, 2)
	if err == nil {
		err = prepareIndex(ctx, db)
		if err != nil {
			db.Close()
		}
	}
	if err != nil {
		// A damaged or outdated index is rebuilt from the archive rather than blocking the user.
		os.Remove(path)
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
		if db, err = openDB(path, 2); err != nil {
			return nil, fmt.Errorf("search index: %w", err)
		}
		if err := prepareIndex(ctx, db); err != nil {
			db.Close()
			return nil, fmt.Errorf("search index: %w", err)
		}
	}
	return &searchIndex{path: path, db: db, reads: newPreparedDB(db)}, nil
}

var errOldIndex = errors.New("search index of another version")

// prepareIndex creates the index in an empty file, or checks that the file holds this version.
func prepareIndex(ctx context.Context, db *sql.DB) error {
	var version, tables int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&tables); err != nil {
		return err
	}
	if tables > 0 {
		if version != indexVersion {
			return errOldIndex
		}
		return nil
	}
	// FTS5 keeps the hash size in its own config table: set once, at creation.
	// One transaction, so a second process never sees the tables without the version.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, indexSchema+fmt.Sprintf(`INSERT INTO fts(fts, rank) VALUES('hashsize', %d); PRAGMA user_version = %d;`, ftsHashBytes, indexVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *searchIndex) close() error {
	s.reads.closeStatements()
	return s.db.Close()
}

func (s *searchIndex) watermark(ctx context.Context) (int64, error) {
	var w int64
	err := s.reads.QueryRowContext(ctx, `SELECT value FROM state WHERE key='indexed_through'`).Scan(&w)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return w, err
}

// indexDoc is one message's searchable text.
type indexDoc struct {
	id   int64
	ts   int64 // the message's time, Unix milliseconds: it orders the index (see searchKey)
	text string
	// again: the message is indexed already (under its earlier text); this adds its new text, so
	// it is found by either. It goes straight into FTS5, past the staging table keyed by id.
	again bool
}

const indexBatchRows = 200

// indexQueue is how many pieces of up to indexPiece documents (a writer's batch) may wait for the
// index: more than arrive while it moves stageRows documents into FTS5 (a few hundred
// milliseconds), so the archive's writer does not stop for the index. With 8, the writer stood
// still during every move. The documents hold only the messages' texts.
const (
	indexQueue = 512
	indexPiece = 64
)

// indexWriter fills the index in its own transaction on its own goroutine.
type indexWriter struct {
	docs   chan []indexDoc
	done   chan error
	tx     *sql.Tx
	ctx    context.Context
	vocab  vocabWriter
	stage  stage
	queued *byteBudget // text in docs, at most indexQueueBytes
}

func (s *searchIndex) begin(ctx context.Context) (*indexWriter, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	w := &indexWriter{docs: make(chan []indexDoc, indexQueue), done: make(chan error, 1), tx: tx, ctx: ctx,
		vocab: vocabWriter{known: map[string]struct{}{}}, queued: newByteBudget()}
	go func() { w.done <- w.run() }()
	return w, nil
}

// FTS5 writes its in-memory terms to disk at the end of every statement, so many small INSERTs
// make many small segments that it then keeps merging. The writer therefore collects documents
// (in memory, see searchstage.go) and moves them into FTS5 with one statement per stageRows
// documents. Measured: 195,000 -> 231,000 msgs/s (archive/searchbench_test.go).
const stageRows = 20_000

func (w *indexWriter) run() error {
	for batch := range w.docs {
		w.queued.give(docBytes(batch))
		if len(batch) > 0 && batch[0].again {
			for _, d := range batch {
				k, err := searchKey(d.ts, d.id)
				if err == nil {
					text := splitForIndex(d.text)
					w.vocab.addText(text)
					_, err = w.tx.ExecContext(w.ctx, insertIndexSQL(1), k, text)
				}
				if err != nil {
					w.drain()
					return fmt.Errorf("search index: %w", err)
				}
			}
			continue
		}
		for _, d := range batch {
			k, err := searchKey(d.ts, d.id)
			if err != nil {
				w.drain()
				return fmt.Errorf("search index: %w", err)
			}
			text := splitForIndex(d.text)
			w.vocab.addText(text)
			w.stage.add(k, text)
		}
		if w.stage.full() {
			if err := w.move(); err != nil {
				w.drain()
				return err
			}
		}
	}
	return w.move()
}

// move writes the staged documents into the full-text index, in key order: FTS5 starts a new
// segment whenever a row id is lower than the one before.
func (w *indexWriter) move() error {
	if w.stage.len() > 0 {
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO fts(rowid, body) SELECT CAST(key AS INTEGER), value FROM json_each(?)`, string(w.stage.json())); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	if err := w.vocab.flush(w.ctx, w.tx); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

func (w *indexWriter) drain() {
	for batch := range w.docs {
		w.queued.give(docBytes(batch))
	}
}

func insertIndexSQL(rows int) string {
	return "INSERT INTO fts(rowid, body) VALUES " + strings.TrimSuffix(strings.Repeat("(?,?),", rows), ",")
}

// add hands documents to the index goroutine. The slice must not be reused by the caller. It goes
// in pieces of at most indexPiece, so the queue holds at most indexQueue*indexPiece documents
// whoever sends (a catch-up reads 5,000 at a time), and at most indexQueueBytes of their text.
func (w *indexWriter) add(docs []indexDoc) {
	for len(docs) > 0 {
		n := min(len(docs), indexPiece)
		piece := docs[:n:n]
		w.queued.take(docBytes(piece), indexQueueBytes)
		w.docs <- piece
		docs = docs[n:]
	}
}

// commit waits for the goroutine, then records the watermark and commits.
func (w *indexWriter) commit(watermark int64) error {
	close(w.docs)
	if err := <-w.done; err != nil {
		w.tx.Rollback()
		return err
	}
	if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO state(key, value) VALUES('indexed_through', ?)
		ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)`, watermark); err != nil {
		w.tx.Rollback()
		return err
	}
	return w.tx.Commit()
}

func (w *indexWriter) abort() {
	close(w.docs)
	<-w.done
	w.tx.Rollback()
}
