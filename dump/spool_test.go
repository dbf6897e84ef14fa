package dump

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
)

// monthNodes is every month file of the dump's tree, by path.
func monthNodes(t *testing.T, d *Dump) map[string]*fileNode {
	t.Helper()
	out := map[string]*fileNode{}
	var walk func(prefix string, dir *dirNode)
	walk = func(prefix string, dir *dirNode) {
		for _, c := range dir.children {
			switch c := c.(type) {
			case *dirNode:
				walk(prefix+c.name+"/", c)
			case *fileNode:
				if strings.HasSuffix(c.name, ".jsonl") && strings.HasPrefix(prefix, "conversations/") {
					out[prefix+c.name] = c
				}
			}
		}
	}
	walk("", d.root)
	return out
}

func readNode(ctx context.Context, f *fileNode) ([]byte, error) {
	r, err := f.open(ctx)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// spoolBytes is everything the spool's files hold.
func spoolBytes(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// firstDump is a dump of two years of months, none measured before, with its spool.
func firstDump(t *testing.T) *Dump {
	t.Helper()
	a := openArchive(t, "a")
	fillArchive(t, a, 700)
	d, err := Build(context.Background(), a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.spool == nil {
		t.Fatalf("no spool for %d stale months", len(d.measured))
	}
	return d
}

// A first dump keeps what measuring rendered: each month read back is the bytes rendering it
// again gives, the spool holds none of the text in the clear, and it is gone when the dump closes.
func TestSpooledMonthsAreWhatRenderingGives(t *testing.T) {
	ctx := context.Background()
	d := firstDump(t)
	sp := d.spool
	if len(sp.at) != len(d.measured) {
		t.Fatalf("%d of %d measured months spooled", len(sp.at), len(d.measured))
	}
	held := spoolBytes(t, sp.dir)
	if len(held) == 0 {
		t.Fatal("the spool's files are empty")
	}
	for _, plain := range []string{"filler 1", "Happy new year", `"uid"`} {
		if bytes.Contains(held, []byte(plain)) {
			t.Errorf("the spool holds %q in the clear", plain)
		}
	}
	nodes := monthNodes(t, d)
	if len(nodes) < spoolMinMonths {
		t.Fatalf("only %d month files", len(nodes))
	}
	for p, f := range nodes {
		spooled, err := readNode(ctx, f)
		if err != nil {
			t.Fatalf("%s from the spool: %v", p, err)
		}
		d.spool = nil // render it again, on the same snapshot
		rendered, err := readNode(ctx, f)
		d.spool = sp
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(spooled, rendered) || int64(len(spooled)) != f.size {
			t.Fatalf("%s: %d bytes from the spool, %d rendered, size %d", p, len(spooled), len(rendered), f.size)
		}
	}
	if err := d.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sp.dir); !os.IsNotExist(err) {
		t.Fatalf("the spool is still there after Close: %v", err)
	}
}

// A spooled month whose bytes changed on disk fails its read; it is never handed to the upload
// as if it were what was measured.
func TestChangedSpoolFailsTheRead(t *testing.T) {
	ctx := context.Background()
	d := firstDump(t)
	defer d.Close(ctx)
	for p, f := range monthNodes(t, d) {
		ref := d.spool.at[monthID{idOf(t, d, p), f.name[:7]}]
		if ref.file == nil {
			t.Fatalf("%s is not in the spool", p)
		}
		b := make([]byte, 1)
		if _, err := ref.file.f.ReadAt(b, ref.off+f.size/2); err != nil {
			t.Fatal(err)
		}
		b[0] ^= 0x20
		if _, err := ref.file.f.WriteAt(b, ref.off+f.size/2); err != nil {
			t.Fatal(err)
		}
		if _, err := readNode(ctx, f); err == nil || !strings.Contains(err.Error(), "changed on disk") {
			t.Fatalf("%s read back after a change: %v", p, err)
		}
		return
	}
}

// idOf is the conversation id of a month file's path.
func idOf(t *testing.T, d *Dump, monthPath string) int64 {
	t.Helper()
	convs, err := d.snap.ConversationList(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range convs {
		if strings.HasPrefix(monthPath, conversationDir(c.Service, c.Key)+"/") {
			return c.ID
		}
	}
	t.Fatalf("no conversation for %s", monthPath)
	return 0
}

// A spool with less room than the months keeps what fits; the rest are rendered again, and the
// dump is the same either way.
func TestFullSpoolRendersTheRest(t *testing.T) {
	ctx := context.Background()
	a := openArchive(t, "a")
	fillArchive(t, a, 700)
	whole := folderFiles(t, func() string {
		dir := t.TempDir()
		dumpTo(t, a, Options{}, dir)
		return dir
	}())
	defer func(f func(string, int64) int64) { spoolLimit = f }(spoolLimit)
	spoolLimit = func(string, int64) int64 { return 2000 }
	forgetDigests(t, a)
	d, err := Build(ctx, a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.spool == nil || len(d.spool.at) == 0 || len(d.spool.at) >= len(d.measured) {
		t.Fatalf("spool with a 2000-byte limit: %v", d.spool)
	}
	dir := t.TempDir()
	if err := WriteFolder(ctx, d.Root(), dir); err != nil {
		t.Fatal(err)
	}
	d.Close(ctx)
	got := folderFiles(t, dir)
	if len(got) != len(whole) {
		t.Fatalf("%d files, %d with a whole spool", len(got), len(whole))
	}
	for p, b := range whole {
		if !bytes.Equal(got[p], b) {
			t.Fatalf("%s differs with a small spool", p)
		}
	}
}

// forgetDigests makes every month stale again, as a first backup finds them.
func forgetDigests(t *testing.T, a *archive.Archive) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(a.Dir(), "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE dump_months SET digest_of = 0`); err != nil {
		t.Fatal(err)
	}
}

// With no room on the disk for the media and a spool, there is no spool, and no folder is left
// behind for it.
func TestNoRoomNoSpool(t *testing.T) {
	a := openArchive(t, "a")
	if s := newSpool(a.PrivateTemp, 1<<62); s != nil {
		s.close()
		t.Fatal("a spool beside 4 EiB of media")
	}
	entries, err := os.ReadDir(filepath.Join(a.Dir(), "tmp"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".lock") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// A dump built only for its manifest measures its months without keeping them.
func TestManifestOnlyKeepsNoSpool(t *testing.T) {
	ctx := context.Background()
	a := openArchive(t, "a")
	fillArchive(t, a, 700)
	d, err := Build(ctx, a, Options{ManifestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	if d.spool != nil || len(d.measured) < spoolMinMonths {
		t.Fatalf("spool %v for %d measured months", d.spool, len(d.measured))
	}
	if entries, _ := os.ReadDir(filepath.Join(a.Dir(), "tmp")); len(entries) > 0 {
		t.Fatalf("%d entries in the archive's tmp folder", len(entries))
	}
}
