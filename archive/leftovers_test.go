package archive

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// stagedFiles lists the files waiting in the media store's staging folders (lock files aside).
func stagedFiles(t *testing.T, a *Archive) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(filepath.Join(a.Dir(), "media", ".tmp"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !strings.HasSuffix(p, ".lock") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// What a killed process staged is removed by the next one to open the archive; what a living
// process stages is not.
func TestLeftoversOfDeadProcessesRemoved(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// A living process's staging folder: this archive's own, held open.
	if _, _, err := a.media.stage(strings.NewReader("living"), 0); err != nil {
		t.Fatal(err)
	}
	tmp, err := a.PrivateTemp("import-")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(tmp, "decrypted.db"), []byte("secret"), 0o600)

	// A dead process's: a folder whose lock file nobody holds, and a loose file of an older
	// chatvault.
	dead := filepath.Join(dir, "media", ".tmp", "p-dead")
	os.MkdirAll(dead, 0o700)
	os.WriteFile(filepath.Join(dead, "incoming-1"), []byte("half a photo"), 0o600)
	os.WriteFile(dead+".lock", nil, 0o600)
	os.WriteFile(filepath.Join(dir, "media", ".tmp", "incoming-old"), []byte("x"), 0o600)
	deadTmp := filepath.Join(dir, "tmp", "import-dead")
	os.MkdirAll(deadTmp, 0o700)
	os.WriteFile(filepath.Join(deadTmp, "msgstore.db"), []byte("decrypted"), 0o600)

	// A second process (this test binary, re-run) opens the same archive while the first lives.
	cmd := exec.Command(os.Args[0], "-test.run", "^TestHelperOpenArchive$")
	cmd.Env = append(os.Environ(), "CHATVAULT_TEST_OPEN="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("second process: %v\n%s", err, out)
	}
	for _, p := range []string{dead, filepath.Join(dir, "media", ".tmp", "incoming-old"), deadTmp} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s: left by a dead process, still there (%v)", p, err)
		}
	}
	if len(stagedFiles(t, a)) != 1 {
		t.Errorf("the living process's staged file was touched: %v", stagedFiles(t, a))
	}
	if _, err := os.Stat(filepath.Join(tmp, "decrypted.db")); err != nil {
		t.Errorf("the living process's private folder was touched: %v", err)
	}
	a.Close()
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("private folder outlives Close: %v", err)
	}
}

// TestHelperOpenArchive is run as a second process by the test above.
func TestHelperOpenArchive(t *testing.T) {
	dir := os.Getenv("CHATVAULT_TEST_OPEN")
	if dir == "" {
		t.Skip("helper process only")
	}
	a, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	a.Close()
}
