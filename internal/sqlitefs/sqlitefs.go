// Package sqlitefs opens SQLite databases read-only from a file-system view (a folder, the inside
// of a decrypted phone backup), so importers read app databases without a host path and without
// ever writing to them.
package sqlitefs

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"modernc.org/sqlite/vfs"

	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver, as chatvault opens it
)

// DB is a database opened from an fs.FS. Close it (it closes the connection, then unregisters the
// file system from SQLite).
type DB struct {
	*sql.DB
	fsys *vfs.FS
}

// Open opens the database at name (slash-separated, relative to fsys) read-only and immutable:
// SQLite neither writes nor looks for a journal beside it. Its temporary storage (sorts of big
// tables) stays in memory: the file view has nowhere to put it, and decrypted rows must not
// spill into /tmp. A database in WAL mode is read as its
// main file holds it (what a backup or a copied file holds).
func Open(fsys fs.FS, name string) (*DB, error) {
	if !fs.ValidPath(name) {
		return nil, fmt.Errorf("%s: not a valid path", name)
	}
	vname, vfsys, err := vfs.New(walAsRollback{fsys})
	if err != nil {
		return nil, err
	}
	dsn := "file:" + (&url.URL{Path: name}).EscapedPath() + "?vfs=" + url.QueryEscape(vname) + "&mode=ro&immutable=1&_pragma=temp_store(MEMORY)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		vfsys.Close()
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		vfsys.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &DB{DB: db, fsys: vfsys}, nil
}

// Close closes the database and releases its file system.
func (d *DB) Close() error {
	return errors.Join(d.DB.Close(), d.fsys.Close())
}

// Tables lists the database's table names (lower case), so an importer chooses what to read by
// what exists, never by app version.
func (d *DB) Tables() (map[string]bool, error) {
	return d.names(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view')`)
}

// Columns lists a table's column names (lower case).
func (d *DB) Columns(table string) (map[string]bool, error) {
	return d.names(`SELECT name FROM pragma_table_info(?)`, table)
}

// IndexLeads lists (lower case) the columns of table that lead one of its indexes: a lookup by
// such a column is a seek, by any other a scan of the table. Importers ask before they look up
// one row per message, which on a table without the index is quadratic.
func (d *DB) IndexLeads(table string) (map[string]bool, error) {
	return d.names(`SELECT i.name FROM pragma_index_list(?) l, pragma_index_info(l.name) i WHERE i.seqno = 0`, table)
}

// names runs a query of one text column and returns its values, lower case.
func (d *DB) names(query string, args ...any) (map[string]bool, error) {
	rows, err := d.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[strings.ToLower(n)] = true
	}
	return out, rows.Err()
}
