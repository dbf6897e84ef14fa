package backup

import (
	"bytes"
	"database/sql"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/importer/iphone/backup/backuptest"
)

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// sqliteBytes makes a small real database to read back through the FS with SQLite.
func sqliteBytes(t *testing.T) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "x.sqlite")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE m(id INTEGER PRIMARY KEY, t TEXT)`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 500 {
		if _, err := tx.Exec(`INSERT INTO m(t) VALUES (?)`, strings.Repeat("message ", i%40)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const waGroup = "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"

func sampleFiles(t *testing.T) []backuptest.File {
	return []backuptest.File{
		{Domain: waGroup, Path: "ChatStorage.sqlite", Data: sqliteBytes(t)},
		{Domain: waGroup, Path: "Message/Media/a/b/photo.jpg", Data: randomBytes(1, 3<<20+5), MTime: time.Date(2023, 2, 3, 4, 5, 6, 0, time.UTC)},
		{Domain: waGroup, Path: "Message/Media/a/block16.bin", Data: randomBytes(2, 4096)},
		{Domain: waGroup, Path: "empty.txt", Data: nil},
		{Domain: waGroup, Path: "Library/Preferences", Mode: fs.ModeDir},
		{Domain: waGroup, Path: "link", Data: []byte("/private/var/x"), Mode: fs.ModeSymlink},
		{Domain: "AppDomain-com.tencent.xin", Path: "Documents/LoginInfo2.dat", Data: []byte("wechat"), Mode: 0o600},
		{Domain: "AppDomain-net.whatsapp.WhatsAppSMB", Path: "x", Data: []byte("smb")},
		{Domain: "HomeDomain", Path: "Library/SMS/sms.db", Data: []byte("not really sqlite, 31 bytes....")},
	}
}

func snapshot(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	m := map[string]int64{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, err := d.Info()
		if err != nil {
			return err
		}
		m[p] = st.Size() ^ st.ModTime().UnixNano()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checkRoundTrip reads every written file back through Files and FS.
func checkRoundTrip(t *testing.T, b *Backup, files []backuptest.File) {
	t.Helper()
	recs, err := b.Files("")
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]File{}
	for _, r := range recs {
		byKey[r.Domain+"|"+r.Path] = r
		if r.ID != backuptest.FileID(r.Domain, r.Path) {
			t.Errorf("%s %s: id %s", r.Domain, r.Path, r.ID)
		}
	}
	for _, d := range []string{"", "Message", "Message/Media", "Message/Media/a"} {
		if r, ok := byKey[waGroup+"|"+d]; !ok || !r.IsDir() || r.Flags != FlagDir {
			t.Errorf("folder %q: %+v", d, r)
		}
	}
	for _, f := range files {
		r, ok := byKey[f.Domain+"|"+f.Path]
		if !ok {
			t.Fatalf("%s %s not listed", f.Domain, f.Path)
		}
		fsys := b.FS(f.Domain)
		switch {
		case f.Mode.IsDir():
			st, err := fs.Stat(fsys, f.Path)
			if err != nil || !st.IsDir() {
				t.Errorf("%s: %v %v", f.Path, st, err)
			}
			continue
		case f.Mode&fs.ModeSymlink != 0:
			if !r.IsSymlink() || r.Target != string(f.Data) {
				t.Errorf("symlink %s: %+v", f.Path, r)
			}
			if _, err := fsys.Open(f.Path); !errors.Is(err, errSymlink) {
				t.Errorf("open symlink %s: %v", f.Path, err)
			}
			st, err := fs.Stat(fsys, f.Path)
			if err != nil || st.Mode()&fs.ModeSymlink == 0 {
				t.Errorf("stat symlink: %v %v", st, err)
			}
			continue
		}
		if r.Size != int64(len(f.Data)) || !r.IsRegular() || r.Flags != FlagFile {
			t.Errorf("%s: record %+v", f.Path, r)
		}
		wantPerm := f.Mode.Perm()
		if wantPerm == 0 {
			wantPerm = 0o644
		}
		if r.Mode.Perm() != wantPerm {
			t.Errorf("%s: mode %v want %v", f.Path, r.Mode, wantPerm)
		}
		got, err := fs.ReadFile(fsys, f.Path)
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s: %d bytes read differ from the %d written", f.Path, len(got), len(f.Data))
		}
		st, err := fs.Stat(fsys, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() != int64(len(f.Data)) {
			t.Errorf("%s: stat size %d", f.Path, st.Size())
		}
		if !f.MTime.IsZero() && !st.ModTime().Equal(f.MTime) {
			t.Errorf("%s: mtime %v want %v", f.Path, st.ModTime(), f.MTime)
		}
	}
	// Random reads from the large file, across block and chunk boundaries.
	var big backuptest.File
	for _, f := range files {
		if len(f.Data) > len(big.Data) {
			big = f
		}
	}
	fh, err := b.FS(big.Domain).Open(big.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	ra := fh.(io.ReaderAt)
	sk := fh.(io.ReadSeeker)
	rnd := rand.New(rand.NewPCG(9, 9))
	n := int64(len(big.Data))
	for range 200 {
		off := rnd.Int64N(n)
		l := rnd.IntN(70000)
		switch rnd.IntN(10) {
		case 0:
			l = cbcChunk + 37
		case 1, 2: // from a block boundary, as a copy reads: decrypted in place
			off &^= 15
		case 3:
			off &^= 15
			l = cbcChunk + 64
		}
		buf := make([]byte, l)
		k, err := ra.ReadAt(buf, off)
		want := big.Data[off:min(n, off+int64(l))]
		if k != len(want) || !bytes.Equal(buf[:k], want) {
			t.Fatalf("ReadAt(%d, %d) = %d, %v", off, l, k, err)
		}
		if int64(l) > n-off && err != io.EOF {
			t.Fatalf("ReadAt past the end: err %v, want EOF", err)
		}
		if _, err := sk.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		k, _ = io.ReadFull(sk, buf)
		if !bytes.Equal(buf[:k], want) {
			t.Fatalf("Seek(%d)+Read(%d) differ", off, l)
		}
	}
	if end, _ := sk.Seek(0, io.SeekEnd); end != n {
		t.Errorf("SeekEnd = %d, want %d", end, n)
	}
	if k, err := sk.Read(make([]byte, 10)); k != 0 || err != io.EOF {
		t.Errorf("read at end = %d, %v", k, err)
	}

	// A database read in place by SQLite through the VFS.
	if got := queryDB(t, b.FS(waGroup), "ChatStorage.sqlite", "SELECT count(*) FROM m"); got != 500 {
		t.Errorf("rows = %d", got)
	}

	// Listing.
	es, err := fs.ReadDir(b.FS(waGroup), ".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	want := []string{"ChatStorage.sqlite", "Library", "Message", "empty.txt", "link"}
	if !slices.Equal(names, want) {
		t.Errorf("root lists %v, want %v", names, want)
	}
	var walked []string
	err = fs.WalkDir(b.FS(waGroup), "Message", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		walked = append(walked, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wantWalk := []string{"Message", "Message/Media", "Message/Media/a", "Message/Media/a/b", "Message/Media/a/b/photo.jpg", "Message/Media/a/block16.bin"}
	if !slices.Equal(walked, wantWalk) {
		t.Errorf("walk = %v", walked)
	}

	apps, err := b.AppDomains("net.whatsapp.WhatsApp")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(apps, []string{waGroup}) {
		t.Errorf("AppDomains(WhatsApp) = %v", apps)
	}
	apps, _ = b.AppDomains("com.tencent.xin")
	if !slices.Equal(apps, []string{"AppDomain-com.tencent.xin"}) {
		t.Errorf("AppDomains(WeChat) = %v", apps)
	}
}

func TestPlainRoundTrip(t *testing.T) {
	dir := t.TempDir()
	files := sampleFiles(t)
	opts := backuptest.Options{DeviceName: "Ana's iPhone", Apps: []string{"net.whatsapp.WhatsApp", "com.tencent.xin"}}
	if err := backuptest.Write(dir, opts, files); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	in := b.Info()
	if in.Encrypted || in.DeviceName != "Ana's iPhone" || in.IOSVersion != "17.4.1" || !in.IsFullBackup ||
		!in.Date.Equal(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)) || !slices.Equal(in.Apps, []string{"com.tencent.xin", "net.whatsapp.WhatsApp"}) {
		t.Errorf("info = %+v", in)
	}
	if err := b.Unlock([]byte("ignored")); err != nil {
		t.Errorf("Unlock of a plain backup: %v", err)
	}
	checkRoundTrip(t, b, files)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, dir); !mapsEqual(before, after) {
		t.Errorf("the backup folder changed:\nbefore %v\nafter  %v", keys(before), keys(after))
	}
}

func TestEncryptedRoundTrip(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		t.Run(map[bool]string{false: "iOS10.2+", true: "legacy"}[legacy], func(t *testing.T) {
			dir := t.TempDir()
			files := sampleFiles(t)
			opts := backuptest.Options{Password: "pässwörd", Iter: 7, DPIC: 33, Legacy: legacy, Seed: 42}
			if err := backuptest.Write(dir, opts, files); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			if !legacy {
				head, _ := os.ReadFile(filepath.Join(dir, "Manifest.db"))
				if bytes.HasPrefix(head, []byte("SQLite format 3")) {
					t.Fatal("Manifest.db was written in the clear")
				}
			}
			b, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if !b.Info().Encrypted {
				t.Error("Info.Encrypted = false")
			}
			if _, err := b.Files(""); !errors.Is(err, ErrLocked) {
				t.Errorf("Files before Unlock: %v", err)
			}
			if _, err := fs.ReadFile(b.FS(waGroup), "empty.txt"); !errors.Is(err, ErrLocked) {
				t.Errorf("read before Unlock: %v", err)
			}
			if err := b.Unlock([]byte("password")); !errors.Is(err, ErrWrongPassword) {
				t.Fatalf("wrong password: %v", err)
			}
			if err := b.Unlock([]byte("pässwörd")); err != nil {
				t.Fatal(err)
			}
			checkRoundTrip(t, b, files)
			recs, _ := b.Files(waGroup)
			for _, r := range recs {
				if r.IsRegular() && (len(r.WrappedKey) != 44 || r.Class != 3) {
					t.Errorf("%s: class %d key %d bytes", r.Path, r.Class, len(r.WrappedKey))
				}
			}
			b.Close()
			if after := snapshot(t, dir); !mapsEqual(before, after) {
				t.Errorf("the backup folder changed: %v", keys(after))
			}
		})
	}
}

func TestDamagedContent(t *testing.T) {
	for _, password := range []string{"", "pw"} {
		dir := t.TempDir()
		files := sampleFiles(t)
		if err := backuptest.Write(dir, backuptest.Options{Password: password}, files); err != nil {
			t.Fatal(err)
		}
		b, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if err := b.Unlock([]byte(password)); err != nil {
			t.Fatal(err)
		}
		fsys := b.FS(waGroup)
		if err := os.Remove(backuptest.ContentPath(dir, waGroup, "ChatStorage.sqlite")); err != nil {
			t.Fatal(err)
		}
		_, err = fsys.Open("ChatStorage.sqlite")
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing from the backup") {
			t.Errorf("missing content (password %q): %v", password, err)
		}
		if password == "" {
			continue // plain content is served as stored (see openContent)
		}
		// Cut on a block boundary, and in the middle of a block.
		p := backuptest.ContentPath(dir, waGroup, "Message/Media/a/b/photo.jpg")
		for _, cut := range []int64{16, 5} {
			st, _ := os.Stat(p)
			if err := os.Truncate(p, st.Size()-cut); err != nil {
				t.Fatal(err)
			}
			_, err := fsys.Open("Message/Media/a/b/photo.jpg")
			if err == nil || !strings.Contains(err.Error(), "truncated") {
				t.Errorf("truncated by %d: %v", cut, err)
			}
		}
		// Same length, last block flipped: bad padding.
		q := backuptest.ContentPath(dir, waGroup, "Message/Media/a/block16.bin")
		data, _ := os.ReadFile(q)
		data[len(data)-1] ^= 0xff
		os.WriteFile(q, data, 0o644)
		if _, err := fsys.Open("Message/Media/a/block16.bin"); err == nil || !strings.Contains(err.Error(), "padding") {
			t.Errorf("damaged last block: %v", err)
		}
	}
}

func TestFindLocate(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"00008110-000A1B2C3D4E5F60", "00008110-000A1B2C3D4E5F60-20240501-120000"} {
		if err := backuptest.Write(filepath.Join(root, d), backuptest.Options{}, []backuptest.File{{Domain: "HomeDomain", Path: "a", Data: []byte("x")}}); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(root, "not-a-backup"), 0o755)
	os.WriteFile(filepath.Join(root, "not-a-backup", "Info.plist"), []byte("x"), 0o644)
	got, err := Find(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(root, "00008110-000A1B2C3D4E5F60"), filepath.Join(root, "00008110-000A1B2C3D4E5F60-20240501-120000")}
	if !slices.Equal(got, want) {
		t.Errorf("Find = %v", got)
	}
	if _, err := Find(filepath.Join(root, "nope")); err == nil {
		t.Error("Find on a missing folder: no error")
	}

	home, appdata, profile := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("APPDATA", appdata)
	t.Setenv("USERPROFILE", profile)
	if got := Locate(); len(got) != 0 {
		t.Errorf("Locate with no backup folders = %v", got)
	}
	mac := filepath.Join(home, "Library", "Application Support", "MobileSync", "Backup")
	win := filepath.Join(appdata, "Apple Computer", "MobileSync", "Backup")
	store := filepath.Join(profile, "Apple", "MobileSync", "Backup")
	for _, d := range []string{mac, win, store} {
		os.MkdirAll(d, 0o755)
	}
	got = Locate()
	sort.Strings(got)
	want = []string{mac, win, store}
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("Locate = %v, want %v", got, want)
	}
}

func mapsEqual(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]int64) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
