package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A folder with several exports side by side (a Downloads folder): every chat is imported, each
// with the media files it names.
func TestImportFolderOfSeveralExports(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	files := map[string]string{
		"WhatsApp Chat with Alice.txt": "24/12/2023, 18:30 - Alice: IMG-20231224-WA0001.jpg (file attached)\n24/12/2023, 18:31 - Me: nice\n",
		"WhatsApp Chat with Bob.txt":   "25/12/2023, 09:00 - Bob: PTT-20231225-WA0002.opus (file attached)\n25/12/2023, 09:01 - Me: thanks\n",
		"IMG-20231224-WA0001.jpg":      "a photo",
		"PTT-20231225-WA0002.opus":     "a voice note",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mustCLI(t, "import", dir)
	out := mustCLI(t, "stats", "--json")
	for _, want := range []string{`"conversations": 2`, `"messages": 4`, `"attachments": 2`, `"media_missing": 0`, `"media_files": 2`} {
		if !strings.Contains(out, want) {
			t.Errorf("stats after importing the folder: want %s in\n%s", want, out)
		}
	}
	if !strings.Contains(mustCLI(t, "show", "Bob"), "PTT-20231225-WA0002.opus") {
		t.Errorf("Bob's voice note is not there")
	}
	if code, _, errs := cli(t, "import", "--format", "whatsapp-txt", dir); code != exitBadInput || !strings.Contains(errs, "holds 2 chat texts") {
		t.Errorf("the folder as one export: exit %d, %s", code, errs)
	}
}
