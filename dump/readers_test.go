package dump

import (
	"bytes"
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// Months render from more than one read snapshot at once. One opened after an import committed
// must not be used for the month the import changed: the dump shows the archive as it was when
// it was built, and its manifest holds that month's digest.
func TestMonthsRenderAsBuiltWhileAnImportCommits(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	ctx := context.Background()
	a := openArchive(t, "a")
	fillArchive(t, a, 100)
	dir1 := filepath.Join(t.TempDir(), "1")
	dumpTo(t, a, Options{}, dir1)

	d, err := Build(ctx, a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	if d.ChangedMonths != 0 || len(d.readers.all) != 0 {
		t.Fatalf("nothing changed, yet %d months measured and %d snapshots opened", d.ChangedMonths, len(d.readers.all))
	}

	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "test", ImporterVersion: "7", SourcePath: "/exports/later.zip"})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := im.Conversation(archive.Conversation{Service: "telegram", Key: "12345", Title: "Bob", Kind: archive.ConvDirect})
	if err != nil {
		t.Fatal(err)
	}
	late := time.Date(2023, 12, 29, 12, 0, 0, 0, time.UTC)
	if err := im.AddMessage(&archive.Message{ConversationID: conv, UID: "late", Time: late, Kind: archive.KindText, Text: "arrived later"}); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}

	// The reader opened now sees the changed month as changed, and the others as measured.
	months, err := d.snap.DumpMonths(ctx, conv)
	if err != nil {
		t.Fatal(err)
	}
	fromExtra := 0
	for _, mm := range months {
		v, release := d.readers.get(ctx, mm)
		if mm.Month == "2023-12" && v != d.snap.View {
			t.Errorf("the changed month would render from a snapshot taken after the change")
		}
		if v != d.snap.View {
			fromExtra++
		}
		release()
	}
	if fromExtra != len(months)-1 {
		t.Errorf("%d of %d unchanged months render from the extra snapshot", fromExtra, len(months)-1)
	}

	dir2 := filepath.Join(t.TempDir(), "2")
	if err := WriteFolder(ctx, d.Root(), dir2); err != nil {
		t.Fatal(err)
	}
	one, two := folderFiles(t, dir1), folderFiles(t, dir2)
	if len(one) != len(two) {
		t.Fatalf("%d files, then %d", len(one), len(two))
	}
	for p, b := range one {
		if !bytes.Equal(b, two[p]) {
			t.Errorf("%s differs from the dump before the import", p)
		}
	}

	// The import did change that month: the next dump has it.
	dir3 := filepath.Join(t.TempDir(), "3")
	dumpTo(t, a, Options{}, dir3)
	after := folderFiles(t, dir3)
	if p := firstMonth(after, "telegram", "2023-12"); p == "" || !strings.Contains(string(after[p]), "arrived later") {
		t.Fatalf("the next dump lacks the new message in %q", p)
	}
}
