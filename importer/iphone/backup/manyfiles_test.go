package backup

import (
	"fmt"
	"testing"

	"github.com/chatvault/chatvault/importer/iphone/backup/backuptest"
)

// A domain of many files lists whole and in order: SQLite's sorter spills to a temporary file
// past a few megabytes of records, and the read-only VFS of Manifest.db has none to give (a
// MediaDomain of 40,000 files failed with "disk I/O error").
func TestFilesOfALargeDomain(t *testing.T) {
	const n = 12000
	files := make([]backuptest.File, 0, n+1)
	for i := n - 1; i >= 0; i-- { // written in reverse, so an unsorted list shows
		files = append(files, backuptest.File{Domain: "MediaDomain", Path: fmt.Sprintf("Library/SMS/Attachments/%05d.jpg", i)})
	}
	files = append(files, backuptest.File{Domain: "HomeDomain", Path: "Library/SMS/sms.db", Data: []byte("x")})
	dir := t.TempDir()
	if err := backuptest.Write(dir, backuptest.Options{}, files); err != nil {
		t.Fatal(err)
	}
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, err := b.Files("")
	if err != nil {
		t.Fatal(err)
	}
	var media []File
	for _, f := range got {
		if f.Domain == "MediaDomain" && f.IsRegular() {
			media = append(media, f)
		}
	}
	if len(media) != n || got[0].Domain != "HomeDomain" {
		t.Fatalf("%d media files listed (want %d), first record %s %s", len(media), n, got[0].Domain, got[0].Path)
	}
	for i, f := range media {
		if want := fmt.Sprintf("Library/SMS/Attachments/%05d.jpg", i); f.Path != want {
			t.Fatalf("record %d is %s, want %s", i, f.Path, want)
		}
	}
}
