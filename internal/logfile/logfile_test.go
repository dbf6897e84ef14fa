package logfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRotates(t *testing.T) {
	dir := t.TempDir()
	w := &Writer{Path: filepath.Join(dir, "chatvault.log"), MaxBytes: 100, Keep: 3}
	line := strings.Repeat("x", 39) + "\n" // 40 bytes: two lines fit in a file
	for i := 0; i < 9; i++ {
		if _, err := w.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "chatvault.log chatvault.log.1 chatvault.log.2" {
		t.Errorf("files %v", names)
	}
	for _, n := range names {
		b, _ := os.ReadFile(filepath.Join(dir, n))
		if len(b) > 100 {
			t.Errorf("%s has %d bytes, more than the limit", n, len(b))
		}
	}
	b, _ := os.ReadFile(w.Path)
	if len(b) != 40 {
		t.Errorf("current file has %d bytes, want the 9th line alone", len(b))
	}
}

func TestLoggerWritesOneLinePerEvent(t *testing.T) {
	w := New(filepath.Join(t.TempDir(), "sub", "chatvault.log"))
	l := Logger(w)
	l.Info("backup done", "vault", "usb", "bytes", 123)
	l.Warn("backup failed", "vault", "nas", "err", "destination unreachable:\nno route")
	b, err := os.ReadFile(w.Path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `msg="backup done" vault=usb bytes=123`) || !strings.Contains(lines[1], `level=WARN`) {
		t.Errorf("log:\n%s", b)
	}
	if st, _ := os.Stat(w.Path); st.Mode().Perm() != 0o600 {
		t.Errorf("log mode %v, want 0600", st.Mode().Perm())
	}
}
