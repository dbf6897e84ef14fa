package tgjson

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestLargeExportBoundedMemory reads a 64 MiB export from a file (TGJSON_LARGE_MB=200 for a
// 200 MB one) and checks the heap in use never exceeds a quarter of the file's size.
func TestLargeExportBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a 64 MiB file; run without -short")
	}
	size := int64(64)
	if s, err := strconv.Atoi(os.Getenv("TGJSON_LARGE_MB")); err == nil && s > 0 {
		size = int64(s)
	}
	size <<= 20
	path := filepath.Join(t.TempDir(), "result.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := writeExport(f, size, 5000)
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	st, _ := in.Stat()

	runtime.GC()
	const limit = 16 << 20
	var ms runtime.MemStats
	var peak uint64
	r := NewReader(in, Options{})
	var got []int
	var n int
	lastID := int64(0)
	for {
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch it.Kind {
		case KindChatStart:
			got = append(got, 0)
		case KindMessage:
			got[len(got)-1]++
			n++
			if it.Message.ID != lastID+1 || it.Message.Invalid != nil {
				t.Fatalf("message %d after %d (%v)", it.Message.ID, lastID, it.Message.Invalid)
			}
			lastID = it.Message.ID
			if n%50000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
	}
	runtime.ReadMemStats(&ms)
	peak = max(peak, ms.HeapInuse)
	if len(got) != len(counts) {
		t.Fatalf("%d chats, want %d", len(got), len(counts))
	}
	for i := range got {
		if got[i] != counts[i] {
			t.Fatalf("chat %d: %d messages, want %d", i, got[i], counts[i])
		}
	}
	if r.Offset() != st.Size() { // the final newline is passed over with the closing brace
		t.Errorf("offset at the end %d, file size %d", r.Offset(), st.Size())
	}
	t.Logf("%d MB, %d messages, peak heap in use %d MiB", st.Size()>>20, n, peak>>20)
	if peak > limit {
		t.Fatalf("heap in use reached %d MiB, more than %d MiB", peak>>20, limit>>20)
	}
}

// One huge message of short tokens, each followed by whitespace: the filter's marks stay bounded
// (it passes the rest of the whitespace on) and the message's record is still compact, as is the
// next one's.
func TestWhitespaceMarksBounded(t *testing.T) {
	const bound = 1 << 16 // 1 MiB of marks, 512 KiB of kept positions
	for _, tok := range []string{`"", `, `1 ,`, `"", 1 , `} {
		var b bytes.Buffer
		b.WriteString(`{"type": "personal_chat", "id": 1, "messages": [{"id": 1, "x": [`)
		b.WriteString(strings.Repeat(tok, 2<<20/len(tok)))
		b.WriteString(`1]}, {"id": 2, "y": 1 }]}`) // whitespace after the cap, in the next message
		r := NewReader(bytes.NewReader(b.Bytes()), Options{})
		messages, maxMarks, maxKept := 0, 0, 0
		for {
			it, err := r.Next()
			maxMarks = max(maxMarks, len(r.f.marks)-r.f.head)
			maxKept = max(maxKept, len(r.f.kept))
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if it.Kind != KindMessage {
				continue
			}
			messages++
			raw := it.Message.Raw
			if it.Message.ID == 2 {
				if string(raw) != `{"id":2,"y":1}` {
					t.Fatalf("%q: second record %q", tok, raw)
				}
				continue
			}
			if c := appendCompact(nil, raw); !bytes.Equal(c, raw) || it.Message.Invalid != nil {
				t.Fatalf("%q: the record keeps whitespace between tokens (%v)", tok, it.Message.Invalid)
			}
			if want := strings.ReplaceAll(tok, " ", "") + "1]}"; !bytes.HasSuffix(raw, []byte(want)) {
				t.Fatalf("%q: record ends %q", tok, raw[len(raw)-20:])
			}
		}
		if messages != 2 || maxMarks > bound+1 || maxKept > bound {
			t.Fatalf("%q: %d messages; up to %d marks and %d kept positions pending, bound %d", tok, messages, maxMarks, maxKept, bound)
		}
	}
}
