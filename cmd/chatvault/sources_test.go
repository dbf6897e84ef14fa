package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/importer/imessage/imessagetest"
	"github.com/chatvault/chatvault/importer/iphone/backup/backuptest"
	"github.com/chatvault/chatvault/schedule/watch"
)

// writeTestBackups puts two backups in a MobileSync-like folder: a plain one with Messages and
// an encrypted one with WhatsApp installed. It returns the folder and the plain backup.
func writeTestBackups(t *testing.T) (string, string) {
	t.Helper()
	root := t.TempDir()
	db := filepath.Join(t.TempDir(), "sms.db")
	if err := imessagetest.Write(db); err != nil {
		t.Fatal(err)
	}
	sms, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	files := []backuptest.File{{Domain: "HomeDomain", Path: "Library/SMS/sms.db", Data: sms}}
	for p, b := range imessagetest.Files() {
		files = append(files, backuptest.File{Domain: "MediaDomain", Path: p, Data: b})
	}
	plain := filepath.Join(root, "00008110-000A1B2C3D4E5F60")
	if err := backuptest.Write(plain, backuptest.Options{DeviceName: "Maria's iPhone", ProductVersion: "17.4.1"}, files); err != nil {
		t.Fatal(err)
	}
	enc := filepath.Join(root, "00008030-0011223344556677")
	if err := backuptest.Write(enc, backuptest.Options{DeviceName: "Old iPhone", ProductVersion: "15.7", Password: "pw", UDID: "00008030-0011223344556677",
		Apps: []string{"net.whatsapp.WhatsApp", "com.example.other"}}, files); err != nil {
		t.Fatal(err)
	}
	return root, plain
}

func TestSourcesListsBackups(t *testing.T) {
	isolate(t)
	root, _ := writeTestBackups(t)
	out := mustCLI(t, "sources", root)
	for _, want := range []string{"Maria's iPhone", "17.4.1", "Messages", "Old iPhone", "15.7", "yes", "WhatsApp, Messages (installed)"} {
		if !strings.Contains(out, want) {
			t.Errorf("sources: no %q in\n%s", want, out)
		}
	}
	var list sourcesList
	if err := json.Unmarshal([]byte(mustCLI(t, "sources", "--json", root)), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Backups) != 2 {
		t.Fatalf("%d backups: %+v", len(list.Backups), list)
	}
	byDevice := map[string]sourceBackup{}
	for _, b := range list.Backups {
		byDevice[b.Device] = b
	}
	if b := byDevice["Maria's iPhone"]; b.Encrypted || b.AppsFrom != "backup" || strings.Join(b.Apps, ",") != "Messages" {
		t.Errorf("plain backup: %+v", b)
	}
	if b := byDevice["Old iPhone"]; !b.Encrypted || b.IOS != "15.7" || strings.Join(b.Apps, ",") != "WhatsApp,Messages" {
		t.Errorf("encrypted backup: %+v", b)
	}
	if out := mustCLI(t, "sources", t.TempDir()); !strings.Contains(out, "No iPhone backups in") {
		t.Errorf("empty folder: %s", out)
	}
}

// `chatvault import` of a backup folder brings in its Messages; an encrypted one with the
// password from --backup-password-file; a wrong password is one line and adds nothing.
func TestImportBackupFolder(t *testing.T) {
	isolate(t)
	root, plain := writeTestBackups(t)
	out := mustCLI(t, "import", plain)
	if !strings.Contains(out, "Messages") {
		t.Errorf("import report does not name Messages:\n%s", out)
	}
	stats := mustCLI(t, "stats", "--json")
	if !strings.Contains(stats, `"messages": 14`) {
		t.Errorf("stats: %s", stats)
	}
	// The same backup again: Messages is not read, and that is no error.
	if out := mustCLI(t, "import", plain); !strings.Contains(out, "Messages: unchanged since its import of") || strings.Contains(out, "Skipped") {
		t.Errorf("the same backup again:\n%s", out)
	}
	var sum importSummary
	if err := json.Unmarshal([]byte(mustCLI(t, "import", "--json", plain)), &sum); err != nil || len(sum.Unchanged) != 1 || len(sum.Skipped) != 0 || sum.Error != nil {
		t.Errorf("the same backup again, --json: %+v %v", sum, err)
	}
	var again importSummary
	if err := json.Unmarshal([]byte(mustCLI(t, "import", "--json", "--reread", plain)), &again); err != nil || len(again.Unchanged) != 0 || again.MessagesPresent != 14 || again.MessagesAdded != 0 {
		t.Errorf("--reread: %+v %v", again, err)
	}
	enc := filepath.Join(root, "00008030-0011223344556677")
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte("wrong\n"), 0o600)
	code, _, errs := cli(t, "import", "--backup-password-file", pwFile, enc)
	if code == 0 || !strings.Contains(errs, "wrong backup password") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("wrong password: exit %d, %q", code, errs)
	}
	os.WriteFile(pwFile, []byte("pw\n"), 0o600)
	code, out, errs = cli(t, "import", "--backup-password-file", pwFile, enc)
	// WhatsApp is installed but not in the backup: listed as skipped (exit code for skipped).
	if !strings.Contains(out, "WhatsApp: installed, but its chats are not in this backup") || strings.Contains(errs, "wrong") {
		t.Errorf("encrypted import: exit %d\n%s%s", code, out, errs)
	}
	if stats := mustCLI(t, "stats", "--json"); !strings.Contains(stats, `"messages": 14`) {
		t.Errorf("the same messages from the encrypted backup were added again: %s", stats)
	}
}

// `watch add` of a backup folder watches the folder Finder keeps backups in; a scheduled run's
// watcher imports the backup, and, after the phone backed up again (new messages, the same
// folder updated in place), only what is new.
func TestWatchedBackupImportedAndUpdated(t *testing.T) {
	isolate(t)
	t.Setenv("CHATVAULT_SERVICE_MANAGER", "none")
	root, plain := writeTestBackups(t)
	os.RemoveAll(filepath.Join(root, "00008030-0011223344556677")) // the encrypted one needs a password
	out := mustCLI(t, "watch", "add", plain)
	if !strings.Contains(out, "is an iPhone backup: watching the folder it is in") || !strings.Contains(mustCLI(t, "watch", "list"), root) {
		t.Fatalf("watch add: %s", out)
	}
	g := &globals{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	jobs := &cliJobs{g: g}
	w := &watch.Watcher{Settle: time.Second}
	l := &watch.Ledger{}
	clock := time.Date(2024, 5, 2, 3, 0, 0, 0, time.UTC)
	scan := func() []watch.File {
		t.Helper()
		var decided []watch.File
		for i := 0; i < 2; i++ { // the first look notes the folder, the second (settled) decides
			clock = clock.Add(time.Minute)
			d, _, err := w.Scan(context.Background(), l, []string{root}, jobs, func() time.Time { return clock })
			if err != nil {
				t.Fatal(err)
			}
			decided = append(decided, d...)
		}
		return decided
	}
	d := scan()
	if len(d) != 1 || d[0].Result != watch.Imported || d[0].Format != "iphone-backup" || d[0].Messages != 14 {
		t.Fatalf("first run: %+v", d)
	}
	if d := scan(); len(d) != 0 {
		t.Errorf("an unchanged backup was looked at again: %+v", d)
	}
	// The next night's backup: one more message, written over the same folder.
	db := filepath.Join(t.TempDir(), "sms.db")
	if err := imessagetest.Write(db); err != nil {
		t.Fatal(err)
	}
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sqldb.Exec(`INSERT INTO message(ROWID, guid, text, handle_id, service, date, is_from_me) VALUES(100, 'NEW-GUID', 'good morning', 1, 'iMessage', 700000000000000000, 0);
		INSERT INTO chat_message_join VALUES(1, 100)`)
	sqldb.Close()
	if err != nil {
		t.Fatal(err)
	}
	sms, _ := os.ReadFile(db)
	files := []backuptest.File{{Domain: "HomeDomain", Path: "Library/SMS/sms.db", Data: sms}}
	for p, b := range imessagetest.Files() {
		files = append(files, backuptest.File{Domain: "MediaDomain", Path: p, Data: b})
	}
	os.Remove(filepath.Join(plain, "Manifest.db"))
	if err := backuptest.Write(plain, backuptest.Options{DeviceName: "Maria's iPhone", Date: time.Date(2024, 5, 2, 1, 0, 0, 0, time.UTC)}, files); err != nil {
		t.Fatal(err)
	}
	d = scan()
	if len(d) != 1 || d[0].Result != watch.Imported || d[0].Messages != 1 {
		t.Fatalf("after the new backup: %+v", d)
	}
	if stats := mustCLI(t, "stats", "--json"); !strings.Contains(stats, `"messages": 15`) {
		t.Errorf("stats: %s", stats)
	}
}
