package backup

import (
	"errors"
	"io"
	"io/fs"
	"testing"

	"github.com/chatvault/chatvault/importer/iphone/backup/backuptest"
)

// A file looked up once is served again from memory: Open after Stat reads the right bytes, a
// missing file stays missing, what a caller does to Sys's record changes nothing, and a closed
// backup answers nothing even for names it remembers.
func TestRecentLookups(t *testing.T) {
	dir := t.TempDir()
	files := []backuptest.File{
		{Domain: "MediaDomain", Path: "Library/SMS/Attachments/aa/01/photo.jpg", Data: []byte("the photo's bytes")},
		{Domain: "MediaDomain", Path: "Library/SMS/Attachments/aa/02/note.caf", Data: []byte("a voice note")},
	}
	if err := backuptest.Write(dir, backuptest.Options{}, files); err != nil {
		t.Fatal(err)
	}
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	fsys := b.FS("MediaDomain")
	const p = "Library/SMS/Attachments/aa/01/photo.jpg"
	st, err := fs.Stat(fsys, p)
	if err != nil {
		t.Fatal(err)
	}
	rec := st.Sys().(*File)
	rec.ID = "0000000000000000000000000000000000000000" // a caller scribbling on the record
	rec.Size = 1
	for range 2 {
		got, err := fs.ReadFile(fsys, p)
		if err != nil || string(got) != "the photo's bytes" {
			t.Fatalf("read after stat: %q, %v", got, err)
		}
	}
	if st2, _ := fs.Stat(fsys, p); st2.Sys().(*File).Size != int64(len("the photo's bytes")) {
		t.Fatalf("remembered record changed through Sys")
	}
	for range 2 {
		if _, err := fsys.Open("Library/SMS/Attachments/aa/03/gone.jpg"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("missing file: %v", err)
		}
	}
	if got, _ := fs.ReadFile(fsys, "Library/SMS/Attachments/aa/02/note.caf"); string(got) != "a voice note" {
		t.Fatalf("second file: %q", got)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if f, err := fsys.Open(p); err == nil {
		io.Copy(io.Discard, f)
		f.Close()
		t.Fatal("a closed backup still opens a remembered file")
	}
}
