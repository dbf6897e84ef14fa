package wadb

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chatvault/chatvault/internal/sqlitefs"
)

// cols builds a SELECT list of wanted columns. A column the table lacks is not selected and
// reads as NULL, so one query reads every schema generation without carrying dozens of constant
// NULLs per row. Values are scanned as any and converted leniently: a hostile file may hold text
// where a number belongs.
type cols struct {
	names  []string // selected columns, in select order
	quoted []string // their names as JSON strings, for the raw record
	expr   []string
	index  map[string]int // every wanted column -> its place in names, -1 when not selected
}

func (c *cols) add(expr, name string, ok bool) {
	if c.index == nil {
		c.index = map[string]int{}
	}
	if !ok {
		if _, dup := c.index[name]; !dup {
			c.index[name] = -1
		}
		return
	}
	c.index[name] = len(c.names)
	c.names = append(c.names, name)
	c.quoted = append(c.quoted, strconv.Quote(name))
	c.expr = append(c.expr, expr)
}

// from adds table alias's columns, each as alias_column.
func (c *cols) from(have map[string]bool, alias string, names ...string) {
	for _, n := range names {
		c.add(alias+"."+n, alias+"_"+n, have[n])
	}
}

func (c *cols) list() string {
	if len(c.expr) == 0 {
		return "NULL"
	}
	return strings.Join(c.expr, ", ")
}

// row is one scanned row.
type row struct {
	c    *cols
	vals []any
	p    []any // pointers to vals, for Scan
}

func newRow(c *cols) *row {
	n := max(len(c.names), 1) // list() selects one NULL when no column is there
	r := &row{c: c, vals: make([]any, n), p: make([]any, n)}
	for i := range r.vals {
		r.p[i] = &r.vals[i]
	}
	return r
}

func (r *row) ptrs() []any { return r.p }

func (r *row) get(name string) any {
	i, ok := r.c.index[name]
	if !ok {
		panic("wadb: column " + name + " not selected") // a programming error, not bad input
	}
	if i < 0 {
		return nil
	}
	return r.vals[i]
}

func (r *row) null(name string) bool { return r.get(name) == nil }

func (r *row) str(name string) string { return asString(r.get(name)) }

func (r *row) int(name string) int64 { return asInt(r.get(name)) }

func (r *row) float(name string) float64 { return asFloat(r.get(name)) }

func asString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		if x > -9e18 && x < 9e18 {
			return int64(x)
		}
	case string:
		n, _ := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return n
	case []byte:
		n, _ := strconv.ParseInt(strings.TrimSpace(string(x)), 10, 64)
		return n
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

func asFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	case string:
		f, _ := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f
	case []byte:
		f, _ := strconv.ParseFloat(strings.TrimSpace(string(x)), 64)
		return f
	}
	return 0
}

// schema is what a database has: its tables and, on demand, their columns.
type schema struct {
	db     *sqlitefs.DB
	tables map[string]bool
	cols   map[string]map[string]bool
}

func newSchema(db *sqlitefs.DB) (*schema, error) {
	t, err := db.Tables()
	if err != nil {
		return nil, err
	}
	return &schema{db: db, tables: t, cols: map[string]map[string]bool{}}, nil
}

func (s *schema) columns(table string) map[string]bool {
	if c, ok := s.cols[table]; ok {
		return c
	}
	c := map[string]bool{}
	if s.tables[table] {
		if got, err := s.db.Columns(table); err == nil {
			c = got
		}
	}
	s.cols[table] = c
	return c
}

// hasCols says whether table exists with every one of names.
func (s *schema) hasCols(table string, names ...string) bool {
	c := s.columns(table)
	for _, n := range names {
		if !c[n] {
			return false
		}
	}
	return s.tables[table]
}

// empty reports whether a table has no rows (or cannot be read).
func (s *schema) empty(table string) bool {
	var one int
	return s.db.QueryRow(`SELECT 1 FROM "`+table+`" LIMIT 1`).Scan(&one) != nil
}
