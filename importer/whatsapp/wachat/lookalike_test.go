package wachat

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Files with bracketed headers but no seconds are not from WhatsApp's
// exporter (its iPhone export always writes seconds); Scan says what they
// look like instead, and WhatsApp exports look like nothing else.
func TestLookAlike(t *testing.T) {
	dir := fixturesDir(t)
	for _, c := range []struct {
		path, want string
	}{
		{"signal/chatminer-signal-export.txt", LookAlikeSignal},
		{"whatsapp-txt/chatminer-ios-brackets-mmddyy-24h.txt", LookAlikeCopied},
		{"whatsapp-txt/gochatparser-ios-en-gb-lrm.txt", ""},
		{"whatsapp-txt/soda-ios-ddmmyyyy-12h.txt", ""},
		{"whatsapp-txt/pustur-short-chat.txt", ""},
		{"whatsapp-txt/chatminer-android-yyyymmdd-24h.txt", ""},
	} {
		b, err := os.ReadFile(filepath.Join(dir, c.path))
		if err != nil {
			t.Fatal(err)
		}
		l, err := Scan(bytes.NewReader(b), Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if l.LookAlike != c.want {
			t.Errorf("%s: LookAlike %q, want %q", c.path, l.LookAlike, c.want)
		}
	}
	// An iPhone export dated year first (Swedish) writes seconds: WhatsApp.
	l, err := Scan(bytes.NewReader([]byte("[2019-12-24 12:23:45] Jane: hej\n[2019-12-24 12:24:01] John: hej\n")), Options{})
	if err != nil || l.LookAlike != "" {
		t.Errorf("year-first iPhone export: LookAlike %q, err %v; want none", l.LookAlike, err)
	}
}
