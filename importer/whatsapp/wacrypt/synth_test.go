package wacrypt

import (
	"bytes"
	"compress/zlib"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	_ "modernc.org/sqlite"
)

// synth describes a crypt15 backup the tests build themselves, following
// the documented layout (varint length, BackupPrefix, AES-256-GCM with a
// 16-byte nonce over zlib, tag, optional MD5).
type synth struct {
	root     [32]byte
	iv       [16]byte
	keyType  int64 // field 1; -1 to leave out
	keyType6 int64 // field 6; -1 to leave out
	passkey  bool  // field 5
	noIV     bool
	noMD5    bool
	raw      bool // store the database uncompressed
	level    int  // zlib level
}

func newSynth(seed uint64) synth {
	rng := rand.New(rand.NewPCG(seed, 99))
	s := synth{keyType: 1, keyType6: -1, level: zlib.DefaultCompression}
	fillRand(rng, s.root[:])
	fillRand(rng, s.iv[:])
	return s
}

func (s synth) key(t testing.TB) *Key {
	k, err := ParseKey(fmt.Appendf(nil, "%x", s.root))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (s synth) prefix() []byte {
	var p []byte
	if s.keyType >= 0 {
		p = protowire.AppendTag(p, prefixKeyType, protowire.VarintType)
		p = protowire.AppendVarint(p, uint64(s.keyType))
	}
	if !s.noIV {
		var iv []byte
		iv = protowire.AppendTag(iv, c15IV, protowire.BytesType)
		iv = protowire.AppendBytes(iv, s.iv[:])
		p = protowire.AppendTag(p, prefixC15, protowire.BytesType)
		p = protowire.AppendBytes(p, iv)
	}
	var info []byte
	info = protowire.AppendTag(info, infoAppVersion, protowire.BytesType)
	info = protowire.AppendString(info, "2.24.2.76")
	info = protowire.AppendTag(info, infoJIDSuffix, protowire.BytesType)
	info = protowire.AppendString(info, "42")
	for f := protowire.Number(5); f <= 40; f++ {
		info = protowire.AppendTag(info, f, protowire.VarintType)
		info = protowire.AppendVarint(info, uint64(f%2))
	}
	p = protowire.AppendTag(p, prefixInfo, protowire.BytesType)
	p = protowire.AppendBytes(p, info)
	if s.passkey {
		p = protowire.AppendTag(p, prefixPasskey, protowire.BytesType)
		p = protowire.AppendBytes(p, []byte{0x0a, 0x03, 'a', 'b', 'c'})
	}
	if s.keyType6 >= 0 {
		p = protowire.AppendTag(p, prefixKeyTypeNew, protowire.VarintType)
		p = protowire.AppendVarint(p, uint64(s.keyType6))
	}
	return protowire.AppendBytes(nil, p) // varint length, then the message
}

// seal builds the whole backup file around plain.
func (s synth) seal(t testing.TB, plain []byte) []byte {
	t.Helper()
	data := plain
	if !s.raw {
		var z bytes.Buffer
		zw, err := zlib.NewWriterLevel(&z, s.level)
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(plain)
		zw.Close()
		data = z.Bytes()
	}
	k, err := s.key(t).backupKey()
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(k)
	g, err := cipher.NewGCMWithNonceSize(block, 16)
	if err != nil {
		t.Fatal(err)
	}
	file := g.Seal(s.prefix(), s.iv[:], data, nil)
	if !s.noMD5 {
		sum := md5.Sum(file)
		file = append(file, sum[:]...)
	}
	return file
}

// makeDB writes a real SQLite database of about size bytes (rows of
// random text, which zlib cannot shrink much) and returns its bytes.
func makeDB(t testing.TB, size int, seed uint64) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "msgstore.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(seed, 7))
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`CREATE TABLE message (_id INTEGER PRIMARY KEY, text_data TEXT)`); err != nil {
		t.Fatal(err)
	}
	const letters = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?"
	row := make([]byte, 900)
	for i := 0; i*len(row) < size; i++ {
		for j := range row {
			row[j] = letters[rng.IntN(len(letters))]
		}
		if _, err := tx.Exec(`INSERT INTO message (_id, text_data) VALUES (?, ?)`, i+1, string(row)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// countRows opens a decrypted database and counts its messages.
func countRows(t testing.TB, dbBytes []byte) int {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.db")
	if err := os.WriteFile(path, dbBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM message`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
