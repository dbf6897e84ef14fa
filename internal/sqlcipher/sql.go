package sqlcipher

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"

	"modernc.org/sqlite/vfs"

	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver, as chatvault opens it
)

// OpenSQL opens the encrypted database read-only as a *sql.DB through modernc.org/sqlite's
// read-only VFS; nothing decrypted touches the disk. Call close when done: it closes the
// *sql.DB first and then unregisters the VFS, which refuses while any connection is open.
func OpenSQL(r io.ReaderAt, size int64, key []byte, p Params) (*sql.DB, func() error, error) {
	db, err := Open(r, size, key, p)
	if err != nil {
		return nil, nil, err
	}
	const name = "main.db"
	vname, vfsys, err := vfs.New(db.FS(name))
	if err != nil {
		return nil, nil, fmt.Errorf("sqlcipher: registering the VFS: %w", err)
	}
	// immutable=1: no locks, no journal or WAL lookups; the file cannot change under us.
	dsn := "file:" + name + "?" + url.Values{"vfs": {vname}, "mode": {"ro"}, "immutable": {"1"}}.Encode()
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, nil, errors.Join(fmt.Errorf("sqlcipher: opening through SQLite: %w", err), vfsys.Close())
	}
	closeAll := func() error {
		// Order matters: vfs.FS.Close refuses (ErrInUse) while a connection holds a file.
		return errors.Join(sdb.Close(), vfsys.Close())
	}
	// Touch the schema now so a database SQLite cannot read fails here, not at the first query.
	var n int
	if err := sdb.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		return nil, nil, errors.Join(fmt.Errorf("sqlcipher: reading the schema: %w", err), closeAll())
	}
	return sdb, closeAll, nil
}
