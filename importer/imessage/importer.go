package imessage

import (
	"bytes"
	"context"
	"io"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/sqlitefs"
)

// Service is the archive service of every conversation this importer writes; whether a message
// went as iMessage, SMS, MMS or RCS is in its Details.Via.
const Service = "imessage"

type imp struct{}

func init() { importer.Register(imp{}) }

func (imp) Name() string    { return "imessage" }
func (imp) Version() string { return "1" }
func (imp) Describe() string {
	return "Messages database: sms.db from an iPhone backup, chat.db from a Mac (iMessage, SMS)"
}
func (imp) Rank() int { return archive.RankDatabase }

var sqliteHeader = []byte("SQLite format 3\x00")

// Detect opens an SQLite file and looks for the Messages tables: message (with guid and
// handle_id) and handle. Other apps' databases have neither.
func (imp) Detect(src importer.Source) int {
	f, err := src.Open()
	if err != nil {
		return 0
	}
	head := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, head)
	st, serr := f.Stat()
	f.Close()
	if err != nil || serr != nil || st.IsDir() || !bytes.Equal(head, sqliteHeader) {
		return 0
	}
	db, err := sqlitefs.Open(src.FS, src.Path)
	if err != nil {
		return 0
	}
	defer db.Close()
	if !isMessagesDB(db) {
		return 0
	}
	return 90
}

func isMessagesDB(db *sqlitefs.DB) bool {
	t, err := db.Tables()
	if err != nil || !t["message"] || !t["handle"] {
		return false
	}
	c, err := db.Columns("message")
	return err == nil && c["guid"] && c["handle_id"] && c["is_from_me"]
}

// Import reads the database at src.
func (imp) Import(ctx context.Context, src importer.Source, im *archive.Import, opts importer.Options) error {
	if st, err := src.Stat(); err != nil {
		return importer.Bad(src.String(), "%s", err)
	} else if st.IsDir() {
		return importer.Bad(src.String(), "a folder, not a Messages database")
	}
	db, err := sqlitefs.Open(src.FS, src.Path)
	if err != nil {
		return importer.Bad(src.String(), "cannot open as SQLite: %s", err)
	}
	defer db.Close()
	if !isMessagesDB(db) {
		return importer.Bad(src.String(), "not a Messages database (no message and handle tables)")
	}
	r := &reader{ctx: ctx, src: src, db: db, im: im, opts: opts, home: homeOf(src.Path)}
	return r.run()
}
