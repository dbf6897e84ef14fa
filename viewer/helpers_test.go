package viewer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/dump"
	"github.com/chatvault/chatvault/export/exporttest"
)

const longMessages = 1500

func sampleArchive(t testing.TB) (*archive.Archive, exporttest.Info) {
	return exporttest.Sample(t, longMessages)
}

// dumpOf writes the archive's dump to a folder and opens it as a source, as a snapshot would be.
func dumpOf(t testing.TB, a *archive.Archive) *DumpSource {
	t.Helper()
	ctx := context.Background()
	d, err := dump.Build(ctx, a, dump.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "dump")
	if err := dump.WriteFolder(ctx, d.Root(), dir); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := NewDumpSource(ctx, dump.Folder(dir), "test dump")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// serve starts a server for src and returns it with a client that has been let in.
func serve(t testing.TB, src Source) (*Server, *http.Client) {
	t.Helper()
	s, err := Listen(src, Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Serve(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("opening %s: %s", s.URL(), resp.Status)
	}
	return s, c
}

func base(s *Server) string {
	u, _ := url.Parse(s.URL())
	return "http://" + u.Host
}

func getJSON(t testing.TB, c *http.Client, u string, v any) *http.Response {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s %s", u, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return resp
}

func convID(t testing.TB, src Source, title string) string {
	t.Helper()
	return listed(t, src, title).ID
}

func listed(t testing.TB, src Source, title string) Conversation {
	t.Helper()
	cs, err := src.Conversations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if strings.HasPrefix(c.Title, title) {
			return c
		}
	}
	t.Fatalf("no conversation %q", title)
	return Conversation{}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
