package wacrypt

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// BenchmarkDecrypt measures throughput on 16 MB of barely compressible
// "database" (a real msgstore compresses about 2:1, so inflate costs more
// per input byte there).
func BenchmarkDecrypt(b *testing.B) {
	db := make([]byte, 16<<20)
	copy(db, sqliteMagic)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := len(sqliteMagic); i < len(db); i++ {
		db[i] = byte('a' + rng.IntN(16))
	}
	s := newSynth(30)
	file := s.seal(b, db)
	key := s.key(b)
	b.SetBytes(int64(len(file)))
	b.ResetTimer()
	for range b.N {
		if _, err := Decrypt(bytes.NewReader(file), int64(len(file)), key, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
