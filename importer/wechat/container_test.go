package wechat

import (
	"io/fs"
	"os"
	"testing"
	"testing/fstest"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// The iPhone-backup container hands over the app domain as a file system whose root is the
// domain (Path "."), not a host folder: the same counts come out.
func TestIOSFromFileSystemRoot(t *testing.T) {
	dir, exp := writeIOS(t)
	m := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(dir + "/" + p)
		m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	src := importer.Source{FS: m, Path: ".", Name: "iPhone backup test: AppDomain-com.tencent.xin"}
	if (iosImporter{}).Detect(src) == 0 {
		t.Fatal("Detect does not recognise the domain root")
	}
	a := archivetest.Open(t)
	rep := run(t, a, iosImporter{}, src, importer.Options{})
	if rep.MessagesAdded != exp.Messages {
		t.Errorf("added %d, want %d", rep.MessagesAdded, exp.Messages)
	}
	if n := one[int](t, archivetest.SQL(t, a), `SELECT count(*) FROM attachments WHERE sha256 IS NOT NULL`); n != 5 {
		t.Errorf("%d stored files, want 5 (photo, voice, video, pdf, group photo)", n)
	}
}
