package backup

import (
	"database/sql"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chatvault/chatvault/internal/fixtures"
	"modernc.org/sqlite/vfs"
)

func openFixture(t *testing.T) *Backup {
	t.Helper()
	dir := fixtures.Path(t, "ios-backup/mvt-backup")
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestFixtureInfo(t *testing.T) {
	b := openFixture(t)
	in := b.Info()
	if in.ProductType != "iPhone9,3" || in.IOSVersion != "14.3" || in.Encrypted {
		t.Errorf("info = %+v", in)
	}
	if in.Date.IsZero() || in.Date.Year() < 2019 || in.Date.After(time.Now()) {
		t.Errorf("date = %v", in.Date)
	}
	for _, app := range []string{"net.whatsapp.WhatsApp", "ph.telegra.Telegraph"} {
		if !slices.Contains(in.Apps, app) {
			t.Errorf("apps lack %s: %v", app, in.Apps)
		}
	}
	if len(in.UDID) != 40 {
		t.Errorf("UDID = %q", in.UDID)
	}
}

func TestFixtureFiles(t *testing.T) {
	b := openFixture(t)
	all, err := b.Files("")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3721 {
		t.Fatalf("%d records, want 3721", len(all))
	}
	kinds := map[string]int{}
	for _, f := range all {
		switch {
		case f.IsRegular():
			kinds["file"]++
			if len(f.WrappedKey) != 44 || uint32(f.WrappedKey[0]) != f.Class {
				t.Fatalf("%s %s: key %x class %d", f.Domain, f.Path, f.WrappedKey, f.Class)
			}
		case f.IsDir():
			kinds["dir"]++
		case f.IsSymlink():
			kinds["link"]++
			if f.Target == "" {
				t.Errorf("symlink %s %s has no target", f.Domain, f.Path)
			}
		}
	}
	if kinds["file"] != 1089 || kinds["dir"] != 2618 || kinds["link"] != 14 {
		t.Errorf("kinds = %v", kinds)
	}
	wa, err := b.AppDomains("net.whatsapp.WhatsApp")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(wa, "AppDomainGroup-group.net.whatsapp.WhatsApp.shared") || !slices.Contains(wa, "AppDomain-net.whatsapp.WhatsApp") {
		t.Errorf("WhatsApp domains = %v", wa)
	}
	for _, d := range wa {
		if matchesApp(d, "net.whatsapp.WhatsAppSMB") {
			t.Errorf("%s matched WhatsApp Business", d)
		}
	}
	doms, err := b.Domains()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(doms, "HomeDomain") || !slices.IsSorted(doms) {
		t.Errorf("domains = %v", doms)
	}
}

// queryDB opens a database inside a backup domain through modernc.org/sqlite/vfs.
func queryDB(t *testing.T, fsys fs.FS, name, query string) int {
	t.Helper()
	vname, v, err := vfs.New(fsys)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := v.Close(); err != nil {
			t.Error(err)
		}
	}()
	db, err := sql.Open("sqlite", "file:"+name+"?vfs="+vname+"&mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return n
}

func TestFixtureDatabases(t *testing.T) {
	b := openFixture(t)
	wa := b.FS("AppDomainGroup-group.net.whatsapp.WhatsApp.shared")
	if n := queryDB(t, wa, "ChatStorage.sqlite", "SELECT count(*) FROM ZWAMESSAGE"); n != 3 {
		t.Errorf("ChatStorage messages = %d, want 3", n)
	}
	home := b.FS("HomeDomain")
	if n := queryDB(t, home, "Library/SMS/sms.db", "SELECT count(*) FROM message"); n != 1 {
		t.Errorf("sms.db messages = %d, want 1", n)
	}
	st, err := fs.Stat(home, "Library/SMS/sms.db")
	if err != nil {
		t.Fatal(err)
	}
	if st.ModTime().Year() < 2015 || !st.Mode().IsRegular() {
		t.Errorf("sms.db stat: %v %v", st.ModTime(), st.Mode())
	}
	// Listed in the manifest but trimmed from the fixture: a not-exist error naming the content.
	_, err = fs.ReadFile(wa, "CallHistory.sqlite")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing content: %v", err)
	}
	if _, err := fs.Stat(wa, "NoSuchFile"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("no record: %v", err)
	}
	es, err := fs.ReadDir(home, "Library/SMS")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	if !slices.Contains(names, "sms.db") {
		t.Errorf("Library/SMS lists %v", names)
	}
	for _, bad := range []string{"../HomeDomain/x", "/etc/passwd", "a/../b", ""} {
		if _, err := wa.Open(bad); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Open(%q) = %v, want invalid", bad, err)
		}
	}
}

func TestNotABackup(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); !errors.Is(err, errNotBackup) {
		t.Errorf("empty folder: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing folder: %v", err)
	}
}
