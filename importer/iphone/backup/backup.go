package backup

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"modernc.org/sqlite/vfs"
)

// ErrLocked is returned by Files, Domains and file reads of an encrypted backup before Unlock.
var ErrLocked = errors.New("backup is encrypted: call Unlock with the backup password first")

// Info is what the backup says about the device and the backup run.
type Info struct {
	DeviceName   string
	ProductType  string // e.g. iPhone9,3
	IOSVersion   string // e.g. 14.3
	BuildVersion string
	SerialNumber string
	UDID         string
	Date         time.Time // last backup date
	IsFullBackup bool      // from Status.plist; false when it is absent
	Encrypted    bool
	Apps         []string // bundle ids of the installed apps, sorted
}

// Backup is an opened backup folder. Its methods are safe for concurrent use.
type Backup struct {
	dir      string
	info     Info
	manifest manifestPlist
	kb       *keybag // nil for plain backups

	unlockMu sync.Mutex // serialises Unlock, which fills the keybag's class keys

	mu     sync.Mutex
	db     *sql.DB
	dbVFS  *vfs.FS
	stmts  *lookupStmts // prepared with db: every media file is looked up once or twice
	closed bool

	recent recentLookups
}

// Open reads the plists of the backup in dir. A plain backup is ready to read; an encrypted one
// needs Unlock first. Nothing is written into dir.
func Open(dir string) (*Backup, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("iPhone backup %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("iPhone backup %s: %w: not a folder", dir, errNotBackup)
	}
	if !exists(filepath.Join(dir, "Manifest.db")) {
		if exists(filepath.Join(dir, "Manifest.mbdb")) {
			return nil, fmt.Errorf("iPhone backup %s: Manifest.mbdb backups (iOS 9 and older) are not supported", dir)
		}
		return nil, fmt.Errorf("iPhone backup %s: %w: no Manifest.db", dir, errNotBackup)
	}
	// Manifest.plist and Status.plist are in every backup Finder writes, but trimmed copies
	// (the mvt test backup) lack them; without Manifest.plist the backup is taken as plain.
	var raw [3][]byte
	for i, name := range []string{"Info.plist", "Manifest.plist", "Status.plist"} {
		raw[i], err = readFileBounded(filepath.Join(dir, name), maxPlist)
		if errors.Is(err, fs.ErrNotExist) {
			if i == 0 {
				return nil, fmt.Errorf("iPhone backup %s: %w: no Info.plist", dir, errNotBackup)
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("iPhone backup %s: %s: %w", dir, name, err)
		}
	}
	b := &Backup{dir: dir}
	if b.info, b.manifest, b.kb, err = parsePlists(raw[0], raw[1], raw[2]); err != nil {
		return nil, fmt.Errorf("iPhone backup %s: %w", dir, err)
	}
	if b.kb != nil {
		return b, nil
	}
	if err := b.openManifestDB(nil); err != nil {
		return nil, err
	}
	return b, nil
}

// parsePlists reads Info.plist, Manifest.plist and Status.plist (nil when absent) and the
// keybag of an encrypted backup.
func parsePlists(info, manifest, status []byte) (Info, manifestPlist, *keybag, error) {
	var (
		ip infoPlist
		mp manifestPlist
		sp statusPlist
	)
	if err := decodePlist(info, "Info.plist", &ip); err != nil {
		return Info{}, mp, nil, err
	}
	if manifest != nil {
		if err := decodePlist(manifest, "Manifest.plist", &mp); err != nil {
			return Info{}, mp, nil, err
		}
	}
	if status != nil {
		if err := decodePlist(status, "Status.plist", &sp); err != nil {
			return Info{}, mp, nil, err
		}
	}
	in := makeInfo(&ip, &mp, &sp)
	if !mp.IsEncrypted {
		return in, mp, nil, nil
	}
	if len(mp.BackupKeyBag) == 0 {
		return in, mp, nil, fmt.Errorf("Manifest.plist: encrypted but has no BackupKeyBag")
	}
	kb, err := parseKeybag(mp.BackupKeyBag)
	if err != nil {
		return in, mp, nil, fmt.Errorf("Manifest.plist BackupKeyBag: %w", err)
	}
	return in, mp, kb, nil
}

func makeInfo(ip *infoPlist, mp *manifestPlist, sp *statusPlist) Info {
	first := func(s ...string) string {
		for _, v := range s {
			if v != "" {
				return v
			}
		}
		return ""
	}
	in := Info{
		DeviceName:   first(ip.DeviceName, mp.Lockdown.DeviceName, ip.DisplayName),
		ProductType:  first(ip.ProductType, mp.Lockdown.ProductType),
		IOSVersion:   first(ip.ProductVersion, mp.Lockdown.ProductVersion),
		BuildVersion: first(ip.BuildVersion, mp.Lockdown.BuildVersion),
		SerialNumber: first(ip.SerialNumber, mp.Lockdown.SerialNumber),
		UDID:         first(ip.UniqueIdentifier, mp.Lockdown.UniqueDeviceID, ip.TargetIdentifier),
		Date:         ip.LastBackupDate,
		IsFullBackup: sp.IsFullBackup,
		Encrypted:    mp.IsEncrypted,
	}
	for _, d := range []time.Time{sp.Date, mp.Date} {
		if in.Date.IsZero() {
			in.Date = d
		}
	}
	apps := map[string]bool{}
	for _, a := range ip.InstalledApps {
		apps[a] = true
	}
	for a := range mp.Applications {
		apps[a] = true
	}
	for a := range apps {
		if a != "" {
			in.Apps = append(in.Apps, a)
		}
	}
	sort.Strings(in.Apps)
	return in
}

// Info returns what the backup's plists say about the device.
func (b *Backup) Info() Info {
	in := b.info
	in.Apps = append([]string(nil), b.info.Apps...)
	return in
}

// Dir is the backup folder.
func (b *Backup) Dir() string { return b.dir }

// Close releases the manifest database. Files still open through FS keep working until closed.
func (b *Backup) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	var err error
	if b.stmts != nil {
		b.stmts.close()
		b.stmts = nil
	}
	if b.db != nil {
		err = b.db.Close()
		b.db = nil
	}
	if b.dbVFS != nil {
		err = errors.Join(err, b.dbVFS.Close())
		b.dbVFS = nil
	}
	return err
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
