// Package sqlitenomutex is how chatvault gets its "sqlite" driver: import it (for its effect)
// instead of modernc.org/sqlite, which it registers. It drops SQLite's per-connection mutex from
// every connection the driver opens in this process (internal/archtest keeps every package on
// this one way in).
//
// Why: the driver opens every connection with SQLITE_OPEN_FULLMUTEX, so SQLite locks and unlocks
// a recursive mutex around every bind, step and column read. In pure Go that mutex is an emulated
// pthread mutex: 6.4% of a Telegram import's CPU (docs/archive.md, "How an import uses the cores"). The
// lock buys nothing: database/sql never uses one driver connection from two goroutines at once,
// and the driver's own per-connection state is not safe for that anyway (its doc says so), so
// every connection is already used as SQLite's "multi-thread" mode requires. What stays
// thread-safe without it: SQLite's global mutexes (allocator, page cache, WAL shared memory,
// opened with the library, not with the connection), and sqlite3_interrupt, which the driver calls
// from another goroutine when a context ends and which takes no mutex.
//
// How: SQLite's NOMUTEX mode is a connection whose db->mutex is NULL; every
// sqlite3_mutex_enter(db->mutex) is then a no-op. The driver offers no flag for it, so a
// connection hook reads the handle and clears the field, after checking that the field it found is
// the one sqlite3_db_mutex reports. If the driver's layout ever changes so that the check fails,
// the connection keeps its mutex: slower, never unsafe.
package sqlitenomutex

import (
	"reflect"
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// mutexOffset is where db->mutex sits in SQLite's connection struct, on this platform.
const mutexOffset = unsafe.Offsetof(sqlite3.Tsqlite3{}.Fmutex)

// dropped counts connections that lost their mutex (the tests read it).
var dropped atomic.Int64

func init() {
	sqlite.RegisterConnectionHook(func(conn sqlite.ExecQuerierContext, _ string) error {
		if drop(conn) {
			dropped.Add(1)
		}
		return nil
	})
}

// drop clears conn's mutex and reports whether it did.
func drop(conn any) bool {
	db := handle(conn)
	if db == 0 {
		return false
	}
	tls := libc.NewTLS()
	defer tls.Close()
	mu := sqlite3.Xsqlite3_db_mutex(tls, db)
	if mu == 0 || libc.AtomicLoadNUintptr(db+mutexOffset, 0) != mu {
		return false // already without one, or not the layout this package was written for
	}
	libc.AtomicStoreNUintptr(db+mutexOffset, 0, 0)
	sqlite3.Xsqlite3_mutex_free(tls, mu)
	return true
}

// handle is the driver connection's sqlite3* (its unexported db field), or 0 if conn is not the
// driver's connection type as this package knows it.
func handle(conn any) uintptr {
	v := reflect.ValueOf(conn)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return 0
	}
	f := v.Elem().FieldByName("db")
	if !f.IsValid() || f.Kind() != reflect.Uintptr {
		return 0
	}
	return uintptr(f.Uint())
}
