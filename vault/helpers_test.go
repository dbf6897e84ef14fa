package vault

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	// age's default scrypt cost (2^18) takes about a second per slot; the
	// tests open vaults dozens of times. The format is the same.
	scryptWorkFactor = 10

	code := m.Run()

	removeKopiaBuild()
	os.Exit(code)
}

const testPassword = "correct horse battery staple"

// fileSpec is one file of a generated tree: literal bytes, or size bytes of
// seeded pseudo-random (incompressible) data made on the fly.
type fileSpec struct {
	data    []byte
	size    int64
	seed    uint64
	mtime   time.Time
	noSize  bool // report Size() == -1
	openErr error
}

func (f fileSpec) length() int64 {
	if f.data != nil {
		return int64(len(f.data))
	}

	return f.size
}

func (f fileSpec) reader() io.Reader {
	if f.data != nil {
		return bytes.NewReader(f.data)
	}

	return io.LimitReader(rand.NewChaCha8(seed32(f.seed)), f.size)
}

func (f fileSpec) bytes() []byte {
	b, _ := io.ReadAll(f.reader())
	return b
}

func seed32(s uint64) [32]byte {
	var b [32]byte
	for i := range 4 {
		v := s + uint64(i)*0x9e3779b97f4a7c15
		for j := range 8 {
			b[i*8+j] = byte(v >> (8 * j))
		}
	}

	return b
}

// treeSpec maps slash paths to files. Directories are implied.
type treeSpec map[string]fileSpec

func (s treeSpec) clone() treeSpec {
	c := make(treeSpec, len(s))
	for k, v := range s {
		c[k] = v
	}

	return c
}

// opens counts File.Open calls per path, so tests can check that unchanged
// files are not read again.
type opens struct {
	mu sync.Mutex
	n  map[string]int
}

func (o *opens) add(p string) {
	o.mu.Lock()
	defer o.mu.Unlock()

	if o.n == nil {
		o.n = map[string]int{}
	}

	o.n[p]++
}

func (o *opens) get() map[string]int {
	o.mu.Lock()
	defer o.mu.Unlock()

	c := map[string]int{}
	for k, v := range o.n {
		c[k] = v
	}

	return c
}

type testDir struct {
	name     string
	modTime  time.Time
	children []Entry
	listed   atomic.Int64
}

func (d *testDir) Name() string       { return d.name }
func (d *testDir) ModTime() time.Time { return d.modTime }

func (d *testDir) Entries(ctx context.Context, fn func(Entry) error) error {
	d.listed.Add(1)

	for _, c := range d.children {
		if err := ctx.Err(); err != nil {
			return err
		}

		if err := fn(c); err != nil {
			return err
		}
	}

	return nil
}

type testFile struct {
	name, path string
	spec       fileSpec
	opens      *opens
}

func (f *testFile) Name() string       { return f.name }
func (f *testFile) ModTime() time.Time { return f.spec.mtime }

func (f *testFile) Size() int64 {
	if f.spec.noSize {
		return -1
	}

	return f.spec.length()
}

func (f *testFile) Open(context.Context) (io.ReadCloser, error) {
	if f.opens != nil {
		f.opens.add(f.path)
	}

	if f.spec.openErr != nil {
		return nil, f.spec.openErr
	}

	return io.NopCloser(f.spec.reader()), nil
}

// build makes a fresh Dir for the spec (each backup needs its own).
func (s treeSpec) build(o *opens) Dir {
	root := &testDir{name: "archive", modTime: time.Unix(1700000000, 0)}
	dirs := map[string]*testDir{"": root}

	var getDir func(p string) *testDir

	getDir = func(p string) *testDir {
		if d, ok := dirs[p]; ok {
			return d
		}

		parent := getDir(strings.TrimSuffix(path.Dir(p), "."))
		d := &testDir{name: path.Base(p), modTime: time.Unix(1700000000, 0)}
		parent.children = append(parent.children, d)
		dirs[p] = d

		return d
	}

	paths := make([]string, 0, len(s))
	for p := range s {
		paths = append(paths, p)
	}

	sort.Strings(paths)

	for _, p := range paths {
		d := getDir(strings.TrimSuffix(path.Dir(p), "."))
		d.children = append(d.children, &testFile{name: path.Base(p), path: p, spec: s[p], opens: o})
	}

	for _, d := range dirs {
		sort.Slice(d.children, func(i, j int) bool { return d.children[i].Name() < d.children[j].Name() })
	}

	return root
}

// chatTree makes a small archive dump shaped like the real one: months of
// JSONL messages per conversation, contacts and content-addressed media.
func chatTree(conversations, months, mediaFiles int, mediaSize int64) treeSpec {
	s := treeSpec{}
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

	s["manifest.json"] = fileSpec{data: []byte(`{"format":1,"archive":"test"}` + "\n"), mtime: base}

	for c := range conversations {
		conv := fmt.Sprintf("conversations/whatsapp/chat-%03d", c)
		s[conv+"/meta.json"] = fileSpec{data: []byte(fmt.Sprintf(`{"title":"Chat %d"}`+"\n", c)), mtime: base}

		for m := range months {
			t := base.AddDate(0, m, 0)

			var b strings.Builder
			for i := range 200 {
				fmt.Fprintf(&b, `{"id":"%d-%d-%d","ts":"%s","from":"+4915112345%02d","text":"message number %d in chat %d, month %d: hello there, how are you?"}`+"\n",
					c, m, i, t.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), i%50, i, c, m)
			}

			s[fmt.Sprintf("%s/%d/%s.jsonl", conv, t.Year(), t.Format("2006-01"))] = fileSpec{data: []byte(b.String()), mtime: t.AddDate(0, 1, 0)}
		}
	}

	s["contacts/whatsapp.jsonl"] = fileSpec{data: []byte(`{"name":"Alice","phone":"+491511234500"}` + "\n"), mtime: base}

	for i := range mediaFiles {
		name := fmt.Sprintf("%064x", uint64(i)*0x9e3779b97f4a7c15+1)
		s["media/"+name[:2]+"/"+name] = fileSpec{size: mediaSize + int64(i*1000), seed: uint64(i) + 1, mtime: base}
	}

	return s
}

// bigMonth is a busy month of one chat as JSONL: n messages with varied
// text, about 170 bytes a line.
func bigMonth(n int, seed uint64) []byte {
	words := strings.Fields("ok yes no maybe tomorrow tonight dinner call me later love you see photo " +
		"where are you on my way running late happy birthday thanks haha lol what why when who")
	rng := rand.New(rand.NewPCG(seed, 3))

	var b strings.Builder

	for i := range n {
		var text []string
		for range 3 + rng.IntN(12) {
			text = append(text, words[rng.IntN(len(words))])
		}

		fmt.Fprintf(&b, `{"id":"%08x","ts":"2023-05-%02dT%02d:%02d:%02dZ","from":"+49151%07d","text":%q}`+"\n",
			rng.Uint32(), 1+i*30/n, rng.IntN(24), rng.IntN(60), rng.IntN(60), rng.IntN(1e7), strings.Join(text, " "))
	}

	return []byte(b.String())
}

type testVault struct {
	dest     Destination
	dir      string // local folder of a filesystem vault
	recovery string
	opts     OpenOptions
}

func testOpenOptions(t testing.TB) OpenOptions {
	return OpenOptions{
		CacheDir: filepath.Join(t.TempDir(), "cache"),
		Hostname: "testhost",
		Username: "tester",
	}
}

// newLocalVault initializes a vault in a temp folder.
func newLocalVault(t testing.TB) testVault {
	t.Helper()

	dir := filepath.Join(t.TempDir(), "vault")

	dest, err := ParseDestination(dir, nil)
	if err != nil {
		t.Fatal(err)
	}

	return initVault(t, dest, dir)
}

func initVault(t testing.TB, dest Destination, dir string) testVault {
	t.Helper()

	opts := testOpenOptions(t)

	rk, err := Init(context.Background(), dest, testPassword, InitOptions{OpenOptions: opts})
	if err != nil {
		t.Fatalf("init %s: %v", dest, err)
	}

	return testVault{dest: dest, dir: dir, recovery: rk, opts: opts}
}

func (tv testVault) open(t testing.TB, s Secret) *Vault {
	t.Helper()

	v, err := Open(context.Background(), tv.dest, s, tv.opts)
	if err != nil {
		t.Fatalf("open %s with %v: %v", tv.dest, s, err)
	}

	t.Cleanup(func() { _ = v.Close(context.Background()) })

	return v
}

func backup(t testing.TB, v *Vault, spec treeSpec, o *opens) SnapshotInfo {
	t.Helper()

	info, err := v.Backup(context.Background(), spec.build(o), BackupOptions{Uncompressed: []string{"media"}})
	if err != nil {
		t.Fatalf("backup: %v", err)
	}

	return info
}

// checkSnapshot reads every file of the snapshot back and compares it with
// the spec, and checks that the snapshot holds no other files.
func checkSnapshot(t testing.TB, v *Vault, id string, spec treeSpec) {
	t.Helper()

	ctx := context.Background()

	r, err := v.OpenSnapshot(ctx, id)
	if err != nil {
		t.Fatalf("open snapshot %s: %v", id, err)
	}

	seen := map[string]bool{}

	err = r.Walk(ctx, "", func(e EntryInfo) error {
		if e.IsDir {
			return nil
		}

		want, ok := spec[e.Path]
		if !ok {
			return fmt.Errorf("unexpected file %s", e.Path)
		}

		seen[e.Path] = true

		f, size, err := r.Open(ctx, e.Path)
		if err != nil {
			return err
		}
		defer f.Close()

		if size != want.length() {
			return fmt.Errorf("%s: size %d, want %d", e.Path, size, want.length())
		}

		if !e.ModTime.Equal(want.mtime) && !want.mtime.IsZero() {
			return fmt.Errorf("%s: mtime %v, want %v", e.Path, e.ModTime, want.mtime)
		}

		if err := sameContent(f, want.reader()); err != nil {
			return fmt.Errorf("%s: %w", e.Path, err)
		}

		return nil
	})
	if err != nil {
		t.Fatalf("snapshot %s: %v", id, err)
	}

	if len(seen) != len(spec) {
		t.Fatalf("snapshot %s holds %d files, want %d", id, len(seen), len(spec))
	}
}

func sameContent(a, b io.Reader) error {
	ba := make([]byte, 64<<10)
	bb := make([]byte, 64<<10)

	var off int64

	for {
		na, ea := io.ReadFull(a, ba)
		nb, eb := io.ReadFull(b, bb)

		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return fmt.Errorf("content differs near byte %d", off)
		}

		off += int64(na)

		if ea != nil || eb != nil {
			if (ea == io.EOF || ea == io.ErrUnexpectedEOF) && (eb == io.EOF || eb == io.ErrUnexpectedEOF) {
				return nil
			}

			return fmt.Errorf("read errors: %v / %v", ea, eb)
		}
	}
}

// filesUnder lists every regular file below dir.
func filesUnder(t testing.TB, dir string) []string {
	t.Helper()

	var out []string

	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}

		if d.Type().IsRegular() {
			out = append(out, p)
		}

		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	return out
}
