package iphone

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	_ "github.com/chatvault/chatvault/importer/imessage"
	"github.com/chatvault/chatvault/importer/imessage/imessagetest"
	"github.com/chatvault/chatvault/importer/importertest"
	"github.com/chatvault/chatvault/importer/iphone/backup/backuptest"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/fixtures"
)

// password is an importer.Secrets that gives one password (or none).
type password string

func (p password) Secret(ctx context.Context, name, prompt string) ([]byte, error) {
	if name != PasswordFlag {
		return nil, errors.New("asked for " + name)
	}
	if p == "" {
		return nil, importer.ErrNoSecret
	}
	return []byte(p), nil
}

// smsFiles are the generated sms.db in HomeDomain and its attachments in MediaDomain, where an
// iPhone keeps them, plus decoys: look-alike databases in other apps' domains.
func smsFiles(t *testing.T) []backuptest.File {
	t.Helper()
	db := filepath.Join(t.TempDir(), "sms.db")
	if err := imessagetest.Write(db); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	files := []backuptest.File{{Domain: "HomeDomain", Path: "Library/SMS/sms.db", Data: b}}
	for p, data := range imessagetest.Files() {
		files = append(files, backuptest.File{Domain: "MediaDomain", Path: p, Data: data})
	}
	return files
}

func decoys(sms []byte) []backuptest.File {
	return []backuptest.File{
		{Domain: "AppDomain-com.example.lookalike", Path: "Library/SMS/sms.db", Data: sms},
		{Domain: "AppDomain-com.example.lookalike", Path: "ChatStorage.sqlite", Data: []byte("SQLite format 3\x00decoy")},
		{Domain: "AppDomain-com.example.lookalike", Path: "Documents/0123456789abcdef0123456789abcdef/DB/MM.sqlite", Data: []byte("SQLite format 3\x00decoy")},
		{Domain: "AppDomainGroup-group.com.example.shared", Path: "ChatStorage.sqlite", Data: []byte("SQLite format 3\x00decoy")},
	}
}

func writeBackup(t *testing.T, opts backuptest.Options, files []backuptest.File) importer.Source {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "00008110-000A1B2C3D4E5F60")
	if err := backuptest.Write(dir, opts, files); err != nil {
		t.Fatal(err)
	}
	return importer.LocalSource(dir)
}

// writeHome is the same sms.db and attachments as a plain folder (~/Library/SMS/...).
func writeHome(t *testing.T) importer.Source {
	t.Helper()
	home := t.TempDir()
	db := filepath.Join(home, "Library", "SMS", "sms.db")
	os.MkdirAll(filepath.Dir(db), 0o755)
	if err := imessagetest.Write(db); err != nil {
		t.Fatal(err)
	}
	for p, b := range imessagetest.Files() {
		full := filepath.Join(home, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return importer.LocalSource(db)
}

func imessageImporter(t *testing.T) importer.Importer {
	imp, err := importer.ByName("imessage")
	if err != nil {
		t.Fatal(err)
	}
	return imp
}

// Messages read out of a backup (sms.db from HomeDomain, attachments from MediaDomain) give the
// same archive as the same files read from a folder.
func TestConformanceThroughBackup(t *testing.T) {
	importertest.Run(t, importertest.Case{
		Importer:   imessageImporter(t),
		Sources:    []importer.Source{writeHome(t)},
		OwnSamples: []string{"imessage", "ios-backup"},
		Container:  &importertest.Found{Source: writeBackup(t, backuptest.Options{}, smsFiles(t)), Importer: container{}},
	})
}

func runBackup(t *testing.T, a *archive.Archive, src importer.Source, secrets importer.Secrets) ([]*archive.Report, []importer.Skipped, error) {
	t.Helper()
	return importer.RunSource(context.Background(), a, container{}, src, importer.Options{TZ: time.UTC, Secrets: secrets}, false)
}

// An encrypted backup imports to the same archive as a plain one; a wrong password is one line
// and changes nothing; no password says how to give one.
func TestEncryptedBackup(t *testing.T) {
	files := smsFiles(t)
	plain := archivetest.Open(t)
	if _, _, err := runBackup(t, plain, writeBackup(t, backuptest.Options{}, files), nil); err != nil {
		t.Fatal(err)
	}
	enc := writeBackup(t, backuptest.Options{Password: "correct horse", Iter: 10, DPIC: 100, Seed: 7}, files)
	if imp, err := importer.Detect(enc); err != nil || imp.Name() != "iphone-backup" {
		t.Fatalf("Detect: %v %v", imp, err)
	}
	a := archivetest.Open(t)
	before := importertest.Fingerprint(t, a)
	for _, secrets := range []importer.Secrets{password("wrong"), password(""), nil} {
		_, _, err := runBackup(t, a, enc, secrets)
		if err == nil {
			t.Fatalf("imported with password %v", secrets)
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") {
			t.Errorf("error not one line: %q", msg)
		}
		want := "wrong backup password"
		if secrets == nil || secrets == password("") {
			want = "--backup-password-file"
		}
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
		if after := importertest.Fingerprint(t, a); !bytes.Equal(before, after) {
			t.Errorf("a failed import changed the archive")
		}
	}
	reps, _, err := runBackup(t, a, enc, password("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 1 || reps[0].MessagesAdded != imessagetest.DirectMessages+imessagetest.GroupMessages || reps[0].MediaAdded != 4 {
		t.Fatalf("reports: %+v", reps)
	}
	if fp, fe := importertest.Fingerprint(t, plain), importertest.Fingerprint(t, a); !bytes.Equal(fp, fe) {
		t.Errorf("the encrypted backup gives another archive than the plain one")
	}
	reps, skipped, err := runBackup(t, a, enc, password("correct horse"))
	if err != nil || len(reps) != 0 || len(skipped) != 1 || !strings.Contains(skipped[0].Reason, "unchanged since") {
		t.Errorf("second import: %+v, %+v, %v; want Messages skipped as unchanged", reps, skipped, err)
	}
}

// An app whose files the manifest records as they were at its last import is skipped without
// being read; a change of its database, or --reread, reads it again; files of other domains
// or outside the app's paths do not count.
func TestUnchangedAppSkipped(t *testing.T) {
	files := append(smsFiles(t), decoys([]byte("x"))...)
	at := time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC)
	for i := range files {
		files[i].MTime = at
	}
	a := archivetest.Open(t)
	run := func(label string, files []backuptest.File, reread bool) ([]*archive.Report, []importer.Skipped) {
		t.Helper()
		reps, skipped, err := importer.RunSource(context.Background(), a, container{}, writeBackup(t, backuptest.Options{}, files),
			importer.Options{TZ: time.UTC, Reread: reread}, false)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		return reps, skipped
	}
	if reps, _ := run("first", files, false); len(reps) != 1 || reps[0].MessagesAdded == 0 {
		t.Fatalf("first import: %+v", reps)
	}
	// Tonight's backup: the same Messages files, another app's file changed.
	tonight := slices.Clone(files)
	for i := range tonight {
		if tonight[i].Domain != "HomeDomain" && tonight[i].Domain != "MediaDomain" {
			tonight[i].Data, tonight[i].MTime = []byte("changed"), at.Add(time.Hour)
		}
	}
	reps, skipped := run("unchanged", tonight, false)
	if len(reps) != 0 || len(skipped) != 1 || !strings.Contains(skipped[0].Reason, "unchanged since") || !strings.HasSuffix(skipped[0].Path, ": Messages") {
		t.Errorf("unchanged Messages: reports %+v, skipped %+v; want Messages skipped as unchanged", reps, skipped)
	}
	if reps, skipped := run("reread", tonight, true); len(reps) != 1 || len(skipped) != 0 || reps[0].MessagesAdded != 0 || reps[0].MessagesPresent == 0 {
		t.Errorf("--reread: reports %+v, skipped %+v; want Messages read again, nothing added", reps, skipped)
	}
	changed := slices.Clone(files)
	for i := range changed {
		if changed[i].Path == "Library/SMS/sms.db" && changed[i].Domain == "HomeDomain" {
			changed[i].MTime = at.Add(24 * time.Hour)
		}
	}
	if reps, skipped := run("changed", changed, false); len(reps) != 1 || len(skipped) != 0 {
		t.Errorf("sms.db changed: reports %+v, skipped %+v; want Messages read", reps, skipped)
	}
}

// Apps are found by domain and path: the look-alike databases of another app are not taken
// for WhatsApp, WeChat or Messages; an installed app without data is listed as skipped.
func TestDecoysIgnored(t *testing.T) {
	files := smsFiles(t)
	src := writeBackup(t, backuptest.Options{Apps: []string{"net.whatsapp.WhatsApp", "com.example.lookalike"}}, append(decoys(files[0].Data), files[1:]...))
	parts, err := container{}.Expand(context.Background(), src, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 1 || parts[0].Skipped != "installed, but its chats are not in this backup" || !strings.HasSuffix(parts[0].Source.String(), ": WhatsApp") {
		t.Fatalf("parts: %+v", parts)
	}
	// With sms.db in HomeDomain, Messages is found, and only it.
	src = writeBackup(t, backuptest.Options{}, append(decoys(files[0].Data), files...))
	parts, err = container{}.Expand(context.Background(), src, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 1 || parts[0].Importer == nil || parts[0].Importer.Name() != "imessage" || parts[0].Source.Path != "Library/SMS/sms.db" {
		t.Fatalf("parts: %+v", parts)
	}
	// An empty backup says there is nothing.
	src = writeBackup(t, backuptest.Options{}, decoys(files[0].Data))
	parts, err = container{}.Expand(context.Background(), src, importer.Options{})
	if err != nil || len(parts) != 1 || !strings.HasPrefix(parts[0].Skipped, "no chats") {
		t.Fatalf("parts: %+v, %v", parts, err)
	}
}

// The mvt test backup (real, iOS 14.3): Messages imports its one message (sqlite3: SELECT
// count(*) FROM message → 1); WhatsApp goes to whatsapp-ios-db, listed as skipped when that
// importer is not linked in. Nothing is written into the backup folder.
func TestMVTBackup(t *testing.T) {
	dir := fixtures.Path(t, "ios-backup/mvt-backup")
	before := snapshot(t, dir)
	src := importer.LocalSource(dir)
	if imp, err := importer.Detect(src); err != nil || imp.Name() != "iphone-backup" {
		t.Fatalf("Detect: %v %v", imp, err)
	}
	a := archivetest.Open(t)
	reps, skipped, err := runBackup(t, a, src, nil)
	_, waErr := importer.ByName("whatsapp-ios-db")
	if err != nil && waErr != nil {
		t.Fatal(err)
	}
	var msgs *archive.Report
	for _, r := range reps {
		if r.Source == "iPhone backup iPhone: Messages" {
			msgs = r
		}
	}
	if msgs == nil || msgs.MessagesAdded != 1 {
		t.Fatalf("Messages: %+v", reps)
	}
	if waErr != nil {
		if len(skipped) != 1 || skipped[0].Path != "iPhone backup iPhone: WhatsApp" || skipped[0].Reason != "chatvault cannot read WhatsApp yet" {
			t.Errorf("skipped: %+v", skipped)
		}
	} else if len(reps) != 2 {
		t.Errorf("whatsapp-ios-db is linked in, yet WhatsApp was not imported: %+v %+v", reps, skipped)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("the backup folder changed:\n%s\n---\n%s", before, after)
	}
}

// snapshot lists a folder's files with sizes and times.
func snapshot(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		b.WriteString(p + " " + fi.ModTime().String() + " " + string(rune('0'+fi.Size()%10)) + "\n")
		return nil
	})
	return b.String()
}

func TestDetect(t *testing.T) {
	files := smsFiles(t)
	src := writeBackup(t, backuptest.Options{}, files)
	if (container{}).Detect(src) != 100 {
		t.Error("a backup folder is not detected")
	}
	if (container{}).Detect(src.Sub("Info.plist")) != 0 {
		t.Error("a file is detected as a backup")
	}
	if (container{}).Detect(importer.LocalSource(t.TempDir())) != 0 {
		t.Error("an empty folder is detected as a backup")
	}
}

// The container claims no other format's sample (WhatsApp export folders, Telegram exports).
func TestDetectZeroOnOtherFormats(t *testing.T) {
	for _, s := range importertest.OtherSamples(t, []string{"ios-backup"}) {
		if score := (container{}).Detect(s); score != 0 {
			t.Errorf("Detect scores %d on %s", score, s)
		}
	}
}
