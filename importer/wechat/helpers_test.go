package wechat

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
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
