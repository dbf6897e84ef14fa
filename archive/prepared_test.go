package archive

import (
	"context"
	"fmt"
	"testing"
)

// Past maxPrepared statement texts, queries still run (unprepared), and kept ones are reused.
func TestPreparedDBKeepsAtMostMaxPrepared(t *testing.T) {
	a := openTemp(t)
	ctx := context.Background()
	for i := range maxPrepared + 10 {
		var n int
		if err := a.reads.QueryRowContext(ctx, fmt.Sprintf("SELECT %d", i)).Scan(&n); err != nil || n != i {
			t.Fatalf("query %d: %d, %v", i, n, err)
		}
	}
	if len(a.reads.stmts) != maxPrepared {
		t.Fatalf("%d statements kept, want %d", len(a.reads.stmts), maxPrepared)
	}
	st, err := a.reads.stmt(ctx, "SELECT 0")
	if err != nil || st == nil || st != a.reads.stmts["SELECT 0"] {
		t.Fatalf("a kept statement is not reused: %v %v", st, err)
	}
	rows, err := a.reads.QueryContext(ctx, "SELECT value FROM json_each(?)", jsonIDs([]int64{3, -1, 9007199254740993}))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if fmt.Sprint(got) != "[3 -1 9007199254740993]" {
		t.Fatalf("json id list read back as %v", got)
	}
}
