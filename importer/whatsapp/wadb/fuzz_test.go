package wadb

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/whatsapp/wadb/wadbtest"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// FuzzDatabase runs both importers over hostile SQLite files: a schema the fuzzer rewrites
// (tables missing, columns missing or of the wrong type), rows with odd values (text where
// numbers belong, huge blobs and texts, negative ids), and raw bytes instead of a database. The
// import must end with nil or one clear line, never a panic.
func FuzzDatabase(f *testing.F) {
	for _, ddl := range append(append([]string(nil), modernDDL...), legacyDDL...) {
		f.Add(ddl, "text", int64(1), []byte{0x74, 0, 6, 'M', 'e', 'd', 'i', 'a', '/'}, false, false)
	}
	for _, ddl := range wadbtest.IOSDDL {
		f.Add(ddl, "3EB0", int64(5), []byte{0x2a, 0x14, 'x'}, true, false)
	}
	for _, blob := range receiptSeeds() {
		f.Add(wadbtest.IOSDDL[len(wadbtest.IOSDDL)-1], "46", int64(46), blob, true, false)
	}
	f.Add(`CREATE TABLE message (_id TEXT, chat_row_id BLOB, key_id INTEGER, message_type TEXT, text_data BLOB, from_me TEXT)`, "x", int64(-1), bytes.Repeat([]byte{0xff}, 1<<16), false, false)
	f.Add(`CREATE TABLE ZWAMESSAGE (Z_PK TEXT, ZCHATSESSION TEXT, ZMESSAGEDATE TEXT, ZMESSAGETYPE BLOB)`, "1e400", int64(1<<62), []byte{}, true, false)
	f.Add("", "", int64(0), []byte("SQLite format 3\x00\x10\x00\x01\x01\x00\x40\x20\x20"), false, true)
	a := archivetest.Open(f)
	f.Fuzz(func(t *testing.T, ddl, val string, num int64, blob []byte, ios, raw bool) {
		// The values go into every column of every table: bound them so one input stays a few
		// MiB (a 64 KiB blob is still far larger than any field the importers read).
		if len(blob) > 1<<16 || len(val) > 1<<12 || len(ddl) > 1<<12 {
			return
		}
		// A stuck input becomes a crasher the fuzzer keeps, instead of a silent stall.
		stage := "building the database"
		watchdog := time.AfterFunc(30*time.Second, func() { panic("FuzzDatabase: stuck " + stage) })
		defer watchdog.Stop()
		dir := t.TempDir()
		name := "msgstore.db"
		if ios {
			name = "ChatStorage.sqlite"
		}
		p := filepath.Join(dir, name)
		if raw {
			if err := os.WriteFile(p, blob, 0o600); err != nil {
				t.Fatal(err)
			}
		} else {
			hostileDB(t, p, ddl, val, num, blob, ios)
		}
		var imp importer.Importer = androidImporter{}
		if ios {
			imp = iosImporter{}
		}
		stage = "importing"
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, err := importer.Run(ctx, a, imp, importer.LocalSource(p), importer.Options{TZ: time.UTC})
		if err != nil {
			var se *importer.SourceError
			if !errors.As(err, &se) {
				t.Fatalf("not a source error: %v", err)
			}
			if strings.ContainsRune(err.Error(), '\n') {
				t.Fatalf("error is not one line: %q", err)
			}
		}
	})
}

// hostileDB builds the fuzzer's database: the base schema of its kind with one statement
// replaced by the fuzzer's, then rows of its values in every table that takes them.
func hostileDB(t *testing.T, p, ddl, val string, num int64, blob []byte, ios bool) {
	base := modernDDL
	if ios {
		base = wadbtest.IOSDDL
	} else if strings.Contains(ddl, "messages") {
		base = legacyDDL
	}
	hostileFrom(t, p, base, ddl, val, num, blob)
}

// hostileFrom builds a database of the base schema with ddl in place of its table's statement,
// and rows of the fuzzer's values in every table.
func hostileFrom(t *testing.T, p string, base []string, ddl, val string, num int64, blob []byte) {
	db := openNew(t, p)
	defer db.Close()
	replaced := false
	for _, s := range base {
		if !replaced && tableOf(s) != "" && tableOf(s) == tableOf(ddl) {
			s, replaced = ddl, true
		}
		db.Exec(s)
	}
	if !replaced {
		db.Exec(ddl)
	}
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type='table'`)
	if err != nil {
		return
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, tb := range tables {
		cr, err := db.Query(`SELECT name FROM pragma_table_info(?)`, tb)
		if err != nil {
			continue
		}
		var colsList []string
		for cr.Next() {
			var n string
			cr.Scan(&n)
			colsList = append(colsList, `"`+n+`"`)
		}
		cr.Close()
		if len(colsList) == 0 {
			continue
		}
		for i, v := range []any{num, val, blob, 1, nil} {
			args := make([]any, len(colsList))
			for j := range args {
				switch (i + j) % 4 {
				case 0:
					args[j] = v
				case 1:
					args[j] = num + int64(j)
				case 2:
					args[j] = val
				default:
					args[j] = int64(j % 3)
				}
			}
			db.Exec(`INSERT INTO "`+tb+`"(`+strings.Join(colsList, ",")+`) VALUES(`+strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+`)`, args...)
		}
	}
}

func tableOf(ddl string) string {
	f := strings.Fields(ddl)
	for i := 0; i+2 < len(f); i++ {
		if strings.EqualFold(f[i], "CREATE") && strings.EqualFold(f[i+1], "TABLE") {
			return strings.ToLower(strings.TrimSuffix(strings.Fields(strings.ReplaceAll(f[i+2], "(", " ("))[0], "("))
		}
	}
	return ""
}
