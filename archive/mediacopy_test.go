package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// Files of several copy buffers, and of sizes around a buffer's, are stored byte for byte under
// the SHA-256 of their bytes, whatever sizes the source's reads return; the size limit holds at
// its exact boundary.
func TestMediaCopiedAcrossBuffers(t *testing.T) {
	a := openTemp(t)
	im, err := a.BeginImport(context.Background(), ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "x"})
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var want [][]byte
	for _, n := range []int{0, 1, mediaCopyBuffer - 1, mediaCopyBuffer, mediaCopyBuffer + 1, 3*mediaCopyBuffer + 12345} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(rnd.Uint32())
		}
		want = append(want, data)
	}
	var shas []string
	for i, data := range want {
		var r io.Reader = bytes.NewReader(data)
		if i%2 == 1 {
			r = iotest.HalfReader(r) // short reads
		}
		sha, size, err := im.PutMedia(r, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if sha != hex.EncodeToString(sum[:]) || size != int64(len(data)) {
			t.Fatalf("file of %d bytes stored as %s, %d bytes", len(data), sha, size)
		}
		shas = append(shas, sha)
	}
	big := want[len(want)-1]
	limit := int64(2*mediaCopyBuffer + 7)
	if _, size, err := im.PutMedia(bytes.NewReader(big[:limit]), "", limit); err != nil || size != limit {
		t.Fatalf("file of exactly the limit: %d, %v", size, err)
	}
	if _, _, err := im.PutMedia(bytes.NewReader(big[:limit+1]), "", limit); !errors.Is(err, ErrMediaTooLarge) {
		t.Fatalf("file one byte over the limit: %v", err)
	}
	if _, _, err := im.PutMedia(iotest.TimeoutReader(bytes.NewReader(big)), "", 0); !errors.Is(err, iotest.ErrTimeout) {
		t.Fatalf("failing read: %v", err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	for i, sha := range shas {
		f, err := a.OpenMedia(sha)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(f)
		f.Close()
		if err != nil || !bytes.Equal(got, want[i]) {
			t.Fatalf("stored file %d differs (%d bytes, want %d): %v", i, len(got), len(want[i]), err)
		}
	}
	if left := stagedFiles(t, a); len(left) != 0 {
		t.Fatalf("staged files left behind: %v", left)
	}
}
