package vault

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// gateFile is a file whose Open waits, up to a deadline, until want files are open at once, and
// records the most it saw.
type gateFile struct {
	name string
	g    *gate
}

type gate struct {
	mu       sync.Mutex
	open     int
	most     int
	want     int
	deadline time.Time
}

func (f *gateFile) Name() string       { return f.name }
func (f *gateFile) ModTime() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }
func (f *gateFile) Size() int64        { return 5 }

func (f *gateFile) Open(context.Context) (io.ReadCloser, error) {
	g := f.g
	g.mu.Lock()
	g.open++
	g.most = max(g.most, g.open)
	for g.most < g.want && time.Now().Before(g.deadline) { // once reached, the gate stays open
		g.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		g.mu.Lock()
	}
	g.mu.Unlock()
	return &gateReader{Reader: strings.NewReader("bytes"), g: g}, nil
}

type gateReader struct {
	io.Reader
	g *gate
}

func (r *gateReader) Close() error {
	r.g.mu.Lock()
	r.g.open--
	r.g.mu.Unlock()
	return nil
}

// An upload reads at least three files at once whatever the number of CPUs: an archive's many
// small media files are bound by the disk's latency (parallelReads). With kopia's default, one
// per CPU, a 2-core machine read them one at a time.
func TestUploadReadsThreeFilesAtOnce(t *testing.T) {
	v := newLocalVault(t).open(t, Password(testPassword))
	g := &gate{want: 3, deadline: time.Now().Add(10 * time.Second)}
	media := &testDir{name: "media", modTime: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	for i := 0; i < 16; i++ {
		media.children = append(media.children, &gateFile{name: fmt.Sprintf("%02d", i), g: g})
	}
	root := &testDir{name: ".", modTime: media.modTime, children: []Entry{media}}
	if _, err := v.Backup(context.Background(), root, BackupOptions{Uncompressed: []string{"media"}}); err != nil {
		t.Fatal(err)
	}
	if g.most < 3 {
		t.Fatalf("at most %d files were open at once, want 3", g.most)
	}
}
