package sqlcipher

import (
	"errors"
	"os"
	"testing"

	"github.com/chatvault/chatvault/internal/fixtures"
)

// The fixture from chg-hou/EnMicroMsg.db-Password-Cracker (MANIFEST.tsv): passphrase 00001ef,
// WeChat Android parameters. Its schema and row count, as Debian's sqlcipher 3.4.1 CLI shows them:
// test_table (test_col text primary key) with its autoindex, no rows.
const crackerFixture = "wechat/enmicromsg-cracker-sqlcipher2-test.db"

func TestCrackerFixture(t *testing.T) {
	f, err := os.Open(fixtures.Path(t, crackerFixture))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	sdb, closeDB, err := OpenSQL(f, st.Size(), []byte("00001ef"), WeChatAndroid)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	rows, err := sdb.Query("SELECT type, name FROM sqlite_master ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var typ, name string
		if err := rows.Scan(&typ, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, typ+" "+name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"index sqlite_autoindex_test_table_1", "table test_table"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("schema = %q, want %q", got, want)
	}
	var sqlText string
	var n int
	if err := sdb.QueryRow("SELECT sql FROM sqlite_master WHERE name = 'test_table'").Scan(&sqlText); err != nil {
		t.Fatal(err)
	}
	if sqlText != "CREATE TABLE test_table (test_col text primary key)" {
		t.Errorf("test_table sql = %q", sqlText)
	}
	if err := sdb.QueryRow("SELECT count(*) FROM test_table").Scan(&n); err != nil || n != 0 {
		t.Fatalf("count(*) FROM test_table = %d, %v; want 0", n, err)
	}
	if err := closeDB(); err != nil {
		t.Fatalf("close: %v", err)
	}

	// The neighbouring passphrase, and the right one with HMAC on, are refused as wrong keys.
	for _, c := range []struct {
		key string
		p   Params
	}{{"00001ee", WeChatAndroid}, {"00001ef", SQLCipher2}, {"00001ef", SQLCipher3}} {
		if _, err := Open(f, st.Size(), []byte(c.key), c.p); !errors.Is(err, ErrWrongKey) {
			t.Errorf("key %s with %v: err = %v, want ErrWrongKey", c.key, c.p, err)
		}
	}
	p, err := TryParams(f, st.Size(), []byte("00001ef"), nil)
	if err != nil || p.Name != WeChatAndroid.Name {
		t.Errorf("TryParams = %v, %v; want %v", p.Name, err, WeChatAndroid.Name)
	}
}
