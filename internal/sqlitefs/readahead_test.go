package sqlitefs

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// countingReaderAt counts the reads that reach the file.
type countingReaderAt struct {
	r     *bytes.Reader
	reads int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	return c.r.ReadAt(p, off)
}

// Every read through the windows returns what the file holds at that offset, with io.EOF exactly
// where a plain ReadAt gives it: pages, reads across a window's end, the file's tail, past it.
func TestReadAheadReturnsTheFileBytes(t *testing.T) {
	data := make([]byte, 5*windowBytes+1234)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rnd.IntN(256))
	}
	file := bytes.NewReader(data)
	a := &readAhead{r: &countingReaderAt{r: file}}
	check := func(off int64, size int) {
		t.Helper()
		want := make([]byte, size)
		wn, werr := file.ReadAt(want, off)
		got := make([]byte, size)
		gn, gerr := a.ReadAt(got, off)
		if gn != wn || (werr == nil) != (gerr == nil) || !bytes.Equal(got[:gn], want[:wn]) {
			t.Fatalf("ReadAt(%d bytes at %d) = %d, %v; the file gives %d, %v", size, off, gn, gerr, wn, werr)
		}
	}
	for i := 0; i < 20000; i++ {
		size := []int{4096, 1024, 100, 16, 1 << 15, 3 * windowBytes}[rnd.IntN(6)]
		check(rnd.Int64N(int64(len(data))+100), size)
	}
	for _, off := range []int64{0, windowBytes - 10, windowBytes, int64(len(data)) - 4096, int64(len(data)) - 10, int64(len(data)), int64(len(data)) + 5} {
		check(off, 4096)
	}
}

// Reading a file page by page in order costs one read per window, not one per page.
func TestReadAheadSequentialPagesShareReads(t *testing.T) {
	data := make([]byte, 64*windowBytes)
	c := &countingReaderAt{r: bytes.NewReader(data)}
	a := &readAhead{r: c}
	page := make([]byte, 4096)
	for off := int64(0); off < int64(len(data)); off += 4096 {
		if n, err := a.ReadAt(page, off); n != len(page) || (err != nil && err != io.EOF) {
			t.Fatalf("page at %d: %d, %v", off, n, err)
		}
	}
	if c.reads != 64 {
		t.Fatalf("%d reads for 64 windows of pages", c.reads)
	}
}
