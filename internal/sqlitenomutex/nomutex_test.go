package sqlitenomutex

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// connMutex is what SQLite reports as the connection's mutex.
func connMutex(t *testing.T, c *sql.Conn) uintptr {
	t.Helper()
	var mu uintptr
	err := c.Raw(func(driverConn any) error {
		db := handle(driverConn)
		if db == 0 {
			return fmt.Errorf("no sqlite3 handle in %T", driverConn)
		}
		tls := libc.NewTLS()
		defer tls.Close()
		mu = sqlite3.Xsqlite3_db_mutex(tls, db)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return mu
}

func TestConnectionsOpenWithoutMutex(t *testing.T) {
	before := dropped.Load()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "a.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	c, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if mu := connMutex(t, c); mu != 0 {
		t.Errorf("connection still has its mutex %#x", mu)
	}
	c.Close()
	if n := dropped.Load(); n <= before {
		t.Errorf("%d connections without their mutex after opening one, %d before", n, before)
	}
}

// Several connections to one WAL database, each used by its own goroutine as database/sql does,
// write and read without the per-connection mutex and see every row.
func TestConcurrentConnectionsStayConsistent(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "a.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(30000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(4)
	if _, err := db.Exec("CREATE TABLE t(k INTEGER PRIMARY KEY, g INTEGER, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	const workers, rows = 4, 300
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rows {
				if _, err := db.Exec("INSERT INTO t(g, v) VALUES (?, ?)", g, fmt.Sprintf("row %d of %d", i, g)); err != nil {
					errs <- err
					return
				}
				var n int
				if err := db.QueryRow("SELECT count(*) FROM t WHERE g = ?", g).Scan(&n); err != nil {
					errs <- err
					return
				}
				if n != i+1 {
					errs <- fmt.Errorf("worker %d sees %d of its rows after writing %d", g, n, i+1)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var n int
	if err := db.QueryRow("SELECT count(DISTINCT v) FROM t").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != workers*rows {
		t.Errorf("%d distinct rows, want %d", n, workers*rows)
	}
}
