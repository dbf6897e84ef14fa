package backup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Locate returns the default backup folders of this machine that exist: on macOS
// ~/Library/Application Support/MobileSync/Backup (reading it needs Full Disk Access), on
// Windows %APPDATA%\Apple Computer\MobileSync\Backup (iTunes from apple.com) and
// %USERPROFILE%\Apple\MobileSync\Backup (Microsoft Store iTunes, Apple Devices app).
func Locate() []string {
	var cands []string
	if home, err := os.UserHomeDir(); err == nil {
		cands = append(cands, filepath.Join(home, "Library", "Application Support", "MobileSync", "Backup"))
	}
	if d := os.Getenv("APPDATA"); d != "" {
		cands = append(cands, filepath.Join(d, "Apple Computer", "MobileSync", "Backup"))
	}
	if d := os.Getenv("USERPROFILE"); d != "" {
		cands = append(cands, filepath.Join(d, "Apple", "MobileSync", "Backup"))
	}
	var out []string
	seen := map[string]bool{}
	for _, c := range cands {
		if st, err := os.Stat(c); err == nil && st.IsDir() && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// Find lists the backup folders directly under root (one per device, plus dated copies such as
// <udid>-20180801-210921), and root itself when it is one: folders holding Info.plist and
// Manifest.db or Manifest.mbdb. A root that cannot be read (on macOS, no Full Disk Access)
// is an error, not an empty list.
func Find(root string) ([]string, error) {
	var out []string
	if isBackup(root) {
		out = append(out, root)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return nil, fmt.Errorf("listing iPhone backups in %s: %w (on macOS, give the program Full Disk Access)", root, err)
		}
		return nil, fmt.Errorf("listing iPhone backups in %s: %w", root, err)
	}
	for _, e := range entries {
		p := filepath.Join(root, e.Name())
		if e.IsDir() && isBackup(p) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out, nil
}

func isBackup(dir string) bool {
	return exists(filepath.Join(dir, "Info.plist")) &&
		(exists(filepath.Join(dir, "Manifest.db")) || exists(filepath.Join(dir, "Manifest.mbdb")))
}
