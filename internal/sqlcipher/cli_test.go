package sqlcipher

import (
	"bytes"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The sqlcipher CLI makes the encrypted databases these tests read back. Debian bookworm's
// package is SQLCipher 3.4.1, which cannot make SHA512 (SQLCipher 4 / WeChat 4) files; those
// cases need a SQLCipher 4 CLI (Debian trixie's package, or any build named by
// CHATVAULT_SQLCIPHER).
type cli struct {
	path  string
	major int
}

func findCLI(t *testing.T) cli {
	t.Helper()
	path := os.Getenv("CHATVAULT_SQLCIPHER")
	if path == "" {
		var err error
		if path, err = exec.LookPath("sqlcipher"); err != nil {
			t.Skip("sqlcipher CLI not found: apt-get install sqlcipher (or set CHATVAULT_SQLCIPHER)")
		}
	}
	out, err := exec.Command(path, ":memory:", "PRAGMA cipher_version;").Output()
	if err != nil {
		t.Fatalf("%s: PRAGMA cipher_version: %v", path, err)
	}
	var major int
	if _, err := fmt.Sscanf(string(out), "%d.", &major); err != nil || major < 3 {
		t.Fatalf("%s: cipher_version %q: not SQLCipher 3 or later", path, out)
	}
	return cli{path, major}
}

// run feeds script to the CLI on a new database file and returns the file's bytes.
func (c cli) run(t *testing.T, script string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "enc.db")
	cmd := exec.Command(c.path, path)
	cmd.Stdin = strings.NewReader(".bail on\n" + script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("sqlcipher: %v: %s", err, stderr.String())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Rows the CLI inserts with SQL and the test computes with Go: t_many spans many pages (1500
// rows, plus an index), t_long's bodies spill onto overflow pages.
const (
	manyRows = 1500
	longRows = 12
	dataSQL  = `CREATE TABLE t_small(id INTEGER PRIMARY KEY, name TEXT, n REAL, b BLOB);
INSERT INTO t_small VALUES (1, 'Ann', 1.5, x'00ff10'), (2, '张伟', -2.25, NULL), (3, NULL, 0, x''), (4, 'emoji 😀', 1e10, x'deadbeef');
CREATE TABLE t_many(id INTEGER PRIMARY KEY, v TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<1500)
  INSERT INTO t_many SELECT i, 'row ' || i || ' ' || substr('abcdefghij', 1 + i%10) FROM c;
CREATE INDEX i_many_v ON t_many(v);
CREATE TABLE t_long(id INTEGER PRIMARY KEY, body TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<12)
  INSERT INTO t_long SELECT i, replace(hex(zeroblob(400*i)), '00', '微信 ' || i || ';') FROM c;
`
)

type cliCase struct {
	name    string
	p       Params
	key     []byte // as given to Open
	keySQL  string // the PRAGMA key statement
	pragmas map[int]string
}

// keyChars are the bytes a binary passphrase may hold inside a one-line SQL string literal.
func binaryKey(r *rand.Rand) []byte {
	k := make([]byte, 32)
	for i := range k {
		for k[i] == 0 || k[i] == '\'' || k[i] == '\n' || k[i] == '\r' {
			k[i] = byte(r.IntN(256))
		}
	}
	return k
}

func cliCases() []cliCase {
	r := rand.New(rand.NewPCG(1, 2))
	winKey, macKey, v4Key, rawKey := binaryKey(r), binaryKey(r), binaryKey(r), binaryKey(r)
	hexKey := func(k []byte) string { return `PRAGMA key = "x'` + hex.EncodeToString(k) + `'";` }
	salt := []byte("0123456789abcdef")
	plainHeader := SQLCipher4
	plainHeader.Name, plainHeader.PlaintextHeader, plainHeader.Salt = "SQLCipher 4, plaintext header", 32, salt
	raw4 := SQLCipher4
	raw4.Name, raw4.KDF = "SQLCipher 4, raw key", RawKey
	return []cliCase{
		// WeChat 7+ files say WAL in the header (notes §8): made here with journal_mode=WAL.
		{"android", WeChatAndroid, []byte("1a2b3c4"), "PRAGMA key = '1a2b3c4';", map[int]string{
			3: "PRAGMA cipher_page_size = 1024; PRAGMA kdf_iter = 4000; PRAGMA cipher_use_hmac = OFF; PRAGMA journal_mode = WAL;",
			4: "PRAGMA cipher_compatibility = 1; PRAGMA journal_mode = WAL;"}},
		{"sqlcipher2", SQLCipher2, []byte("pass word"), "PRAGMA key = 'pass word';", map[int]string{
			3: "PRAGMA cipher_page_size = 1024; PRAGMA kdf_iter = 4000;",
			4: "PRAGMA cipher_compatibility = 2;"}},
		{"sqlcipher3", SQLCipher3, []byte("pass word"), "PRAGMA key = 'pass word';", map[int]string{
			3: "", // the 3.x defaults
			4: "PRAGMA cipher_compatibility = 3;"}},
		{"windows3", WeChatWindows3, winKey, "PRAGMA key = '" + string(winKey) + "';", map[int]string{
			3: "PRAGMA cipher_page_size = 4096; PRAGMA kdf_iter = 64000;",
			4: "PRAGMA cipher_compatibility = 3; PRAGMA cipher_page_size = 4096;"}},
		{"mac3", WeChatMac3, macKey, hexKey(macKey), map[int]string{
			3: "PRAGMA cipher_page_size = 1024;",
			4: "PRAGMA cipher_compatibility = 3;"}},
		{"sqlcipher4", SQLCipher4, []byte("pass word"), "PRAGMA key = 'pass word';", map[int]string{
			4: ""}},
		{"wechat4", WeChat4, v4Key, "PRAGMA key = '" + string(v4Key) + "';", map[int]string{
			4: "PRAGMA cipher_page_size = 4096; PRAGMA kdf_iter = 256000; PRAGMA cipher_hmac_algorithm = HMAC_SHA512; PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA512;"}},
		{"raw4", raw4, rawKey, hexKey(rawKey), map[int]string{4: ""}},
		{"plainheader4", plainHeader, []byte("pass word"), "PRAGMA key = 'pass word';", map[int]string{
			4: `PRAGMA cipher_plaintext_header_size = 32; PRAGMA cipher_salt = "x'` + hex.EncodeToString(salt) + `'";`}},
	}
}

func TestCLIDatabases(t *testing.T) {
	c := findCLI(t)
	for _, tc := range cliCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // PBKDF2-SHA512 at 256000 rounds dominates; let the cases share the cores
			pragmas, ok := tc.pragmas[c.major]
			if !ok {
				t.Skipf("needs a SQLCipher 4 CLI; %s is SQLCipher %d (Debian trixie's sqlcipher is 4.x, or set CHATVAULT_SQLCIPHER)", c.path, c.major)
			}
			file := c.run(t, tc.keySQL+"\n"+pragmas+"\n"+dataSQL)
			if tc.p.PlaintextHeader == 0 && bytes.HasPrefix(file, []byte(sqliteMagic)) {
				t.Fatal("the CLI wrote a plain SQLite file")
			}
			if strings.Contains(pragmas, "WAL") {
				checkWALHeader(t, file, tc)
			}
			sdb, closeDB, err := OpenSQL(bytes.NewReader(file), int64(len(file)), tc.key, tc.p)
			if err != nil {
				t.Fatal(err)
			}
			checkRows(t, sdb)
			if err := closeDB(); err != nil {
				t.Fatalf("close: %v", err)
			}
			checkWrongKeys(t, file, tc)
		})
	}
}

// checkRows compares every row with what dataSQL inserted.
func checkRows(t *testing.T, sdb *sql.DB) {
	t.Helper()
	// name and b as text (hex for b) with their types, so NULL, '' and x'' stay apart.
	want := []string{
		"1|text:Ann|1.5|blob:00FF10",
		"2|text:张伟|-2.25|null:",
		"3|null:|0|blob:",
		"4|text:emoji 😀|1e+10|blob:DEADBEEF",
	}
	rows, err := sdb.Query("SELECT id, typeof(name), coalesce(name, ''), n, typeof(b), coalesce(hex(b), '') FROM t_small ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id int
		var n float64
		var nameType, name, bType, b string
		if err := rows.Scan(&id, &nameType, &name, &n, &bType, &b); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d|%s:%s|%v|%s:%s", id, nameType, name, n, bType, b))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("t_small =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	rows, err = sdb.Query("SELECT id, v FROM t_many ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for rows.Next() {
		var id int
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		count++
		if want := fmt.Sprintf("row %d %s", count, "abcdefghij"[count%10:]); id != count || v != want {
			t.Fatalf("t_many row %d = %d %q, want %q", count, id, v, want)
		}
	}
	if err := rows.Err(); err != nil || count != manyRows {
		t.Fatalf("t_many: %d rows, want %d, %v", count, manyRows, err)
	}
	// The index answers too (its pages are read, not the table's).
	var n int
	if err := sdb.QueryRow("SELECT count(*) FROM t_many INDEXED BY i_many_v WHERE v >= 'row 1'").Scan(&n); err != nil || n != manyRows {
		t.Fatalf("index count = %d, %v; want %d", n, err, manyRows)
	}

	rows, err = sdb.Query("SELECT id, body FROM t_long ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	count = 0
	for rows.Next() {
		var id int
		var body string
		if err := rows.Scan(&id, &body); err != nil {
			t.Fatal(err)
		}
		count++
		if want := strings.Repeat(fmt.Sprintf("微信 %d;", count), 400*count); id != count || body != want {
			t.Fatalf("t_long row %d: id %d, body of %d bytes, want %d bytes", count, id, len(body), len(want))
		}
	}
	if err := rows.Err(); err != nil || count != longRows {
		t.Fatalf("t_long: %d rows, want %d, %v", count, longRows, err)
	}
	var check string
	if err := sdb.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
}

// checkWrongKeys opens the file with a key one bit off and with every other preset: each must
// fail with ErrWrongKey.
func checkWrongKeys(t *testing.T, file []byte, tc cliCase) {
	t.Helper()
	r := bytes.NewReader(file)
	bad := bytes.Clone(tc.key)
	bad[len(bad)-1] ^= 1
	if _, err := Open(r, int64(len(file)), bad, tc.p); !errors.Is(err, ErrWrongKey) {
		t.Errorf("key one bit off: err = %v, want ErrWrongKey", err)
	}
	for _, p := range Presets() {
		if sameCipher(p, tc.p) {
			continue
		}
		if _, err := Open(r, int64(len(file)), tc.key, p); !errors.Is(err, ErrWrongKey) {
			t.Errorf("opened with %v: err = %v, want ErrWrongKey", p, err)
		}
	}
	if tc.p.PlaintextHeader == 0 {
		got, err := TryParams(r, int64(len(file)), tc.key, nil)
		if isPreset(tc.p) && (err != nil || !sameCipher(got, tc.p)) {
			t.Errorf("TryParams = %v, %v; want %v", got.Name, err, tc.p.Name)
		}
		if !isPreset(tc.p) && !errors.Is(err, ErrWrongKey) {
			t.Errorf("TryParams over presets = %v, %v; want ErrWrongKey", got.Name, err)
		}
	}
}

func isPreset(p Params) bool {
	for _, q := range Presets() {
		if sameCipher(p, q) {
			return true
		}
	}
	return false
}

// TestFlippedByte changes one ciphertext byte of page 3 in an HMAC database: reading that page
// fails naming it, other pages still read, and a query over it fails.
func TestFlippedByte(t *testing.T) {
	c := findCLI(t)
	tc := cliCases()[2] // SQLCipher 3: runs on the 3.x and 4.x CLIs
	file := c.run(t, tc.keySQL+"\n"+tc.pragmas[c.major]+"\n"+dataSQL)
	ps := tc.p.PageSize
	file[2*ps+100] ^= 0x20
	db, err := Open(bytes.NewReader(file), int64(len(file)), tc.key, tc.p)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, ps)
	if _, err := db.ReadAt(buf, int64(ps)); err != nil {
		t.Fatalf("page 2: %v", err)
	}
	_, err = db.ReadAt(buf, int64(2*ps)+10)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "page 3 ") {
		t.Fatalf("page 3: err = %v, want ErrCorrupt naming page 3", err)
	}
	sdb, closeDB, err := OpenSQL(bytes.NewReader(file), int64(len(file)), tc.key, tc.p)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	var n int
	if err := sdb.QueryRow("SELECT count(*) FROM (SELECT * FROM t_many UNION ALL SELECT id, body FROM t_long)").Scan(&n); err == nil {
		t.Fatalf("reading every row over a corrupt page succeeded (%d rows)", n)
	}
}

// checkWALHeader: ReadAt shows the file's own versions (2/2, WAL), the FS adapter shows 1/1.
func checkWALHeader(t *testing.T, file []byte, tc cliCase) {
	t.Helper()
	db, err := Open(bytes.NewReader(file), int64(len(file)), tc.key, tc.p)
	if err != nil {
		t.Fatal(err)
	}
	hdr := make([]byte, 24)
	if _, err := db.ReadAt(hdr, 0); err != nil || string(hdr[:16]) != sqliteMagic || hdr[18] != 2 || hdr[19] != 2 {
		t.Fatalf("plaintext header %q, %v: want the magic and versions 2/2", hdr, err)
	}
	f, err := db.FS("x.db").Open("x.db")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(f, hdr); err != nil || hdr[18] != 1 || hdr[19] != 1 {
		t.Fatalf("FS header versions %d/%d, %v: want 1/1", hdr[18], hdr[19], err)
	}
}
