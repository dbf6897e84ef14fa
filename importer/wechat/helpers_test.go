package wechat

import (
	"context"
	"database/sql"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/wechat/wechattest"
)

func run(t *testing.T, a *archive.Archive, imp importer.Importer, src importer.Source, opts importer.Options) *archive.Report {
	t.Helper()
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	rep, err := importer.Run(context.Background(), a, imp, src, opts)
	if err != nil {
		t.Fatalf("import %s: %v", src, err)
	}
	return rep
}

// counts runs a query of (key, count) rows into a map.
func counts(t *testing.T, db *sql.DB, q string, args ...any) map[string]int {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}

func one[T any](t *testing.T, db *sql.DB, q string, args ...any) T {
	t.Helper()
	var v T
	if err := db.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// The generated sources are read only by the tests, so each is built once per run (the
// encryption by sqlcipher is the slow part) in a folder removed when the tests end.
var (
	shareRoot string
	shareMu   sync.Mutex
	shared    = map[string]any{}
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wechat-test-")
	if err != nil {
		panic(err)
	}
	shareRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// once builds a shared source the first time it is asked for; a skip or failure is per test.
func once[T any](t *testing.T, name string, build func(dir string) (T, error)) T {
	t.Helper()
	shareMu.Lock()
	defer shareMu.Unlock()
	if v, ok := shared[name]; ok {
		if err, bad := v.(error); bad {
			if err == errSkip {
				t.Skip("sqlcipher not installed: apt-get install -y sqlcipher")
			}
			t.Fatal(err)
		}
		return v.(T)
	}
	dir, err := os.MkdirTemp(shareRoot, name+"-")
	if err != nil {
		t.Fatal(err)
	}
	v, err := build(dir)
	if err != nil {
		shared[name] = err
		if err == errSkip {
			t.Skip("sqlcipher not installed: apt-get install -y sqlcipher")
		}
		t.Fatal(err)
	}
	shared[name] = v
	return v
}

var errSkip = wechattest.ErrNoSQLCipher
