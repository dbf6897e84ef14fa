package backuptest

import (
	"database/sql"
	"os"
	"path/filepath"

	"howett.net/plist"
)

// writeManifestDB writes the Files/Properties database (schema of a real iOS 14 Manifest.db),
// then encrypts it whole with the Manifest.db key when the backup has one.
func (w *writer) writeManifestDB(recs []record) error {
	final := filepath.Join(w.dir, "Manifest.db")
	tmp := final + ".plain"
	os.Remove(tmp)
	db, err := sql.Open("sqlite", "file:"+tmp)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB)`,
		`CREATE INDEX FilesDomainIdx ON Files(domain)`,
		`CREATE INDEX FilesRelativePathIdx ON Files(relativePath)`,
		`CREATE INDEX FilesFlagsIdx ON Files(flags)`,
		`CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB)`,
	} {
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	for _, r := range recs {
		if _, err := tx.Exec(`INSERT INTO Files VALUES (?, ?, ?, ?, ?)`, r.id, r.domain, r.path, r.flags, r.blob); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	plain, err := os.ReadFile(tmp)
	if err != nil {
		return err
	}
	os.Remove(tmp)
	if w.manifestDB != nil {
		// SQLite files are whole pages, so no padding is needed (nor added by Apple).
		if plain, err = cbcEncrypt(w.manifestDB, plain); err != nil {
			return err
		}
	}
	return os.WriteFile(final, plain, 0o644)
}

// writePlists writes Info.plist (XML, as some iTunes versions do), Manifest.plist and
// Status.plist (binary).
func (w *writer) writePlists() error {
	o := w.opts
	apps := o.Apps
	if apps == nil {
		apps = []string{}
	}
	info := map[string]any{
		"Build Version":          "21E236",
		"Device Name":            o.DeviceName,
		"Display Name":           o.DeviceName,
		"Product Type":           o.ProductType,
		"Product Version":        o.ProductVersion,
		"Last Backup Date":       o.Date,
		"Serial Number":          "F2LTESTSERIAL",
		"Unique Identifier":      o.UDID,
		"Target Identifier":      o.UDID,
		"Target Type":            "Device",
		"Installed Applications": apps,
		"iTunes Version":         "12.13.1.3",
	}
	applications := map[string]any{}
	for _, a := range apps {
		applications[a] = map[string]any{"CFBundleIdentifier": a}
	}
	manifest := map[string]any{
		"IsEncrypted":    o.Password != "",
		"Version":        "10.0",
		"Date":           o.Date,
		"WasPasscodeSet": true,
		"Applications":   applications,
		"Lockdown": map[string]any{
			"BuildVersion":   "21E236",
			"DeviceName":     o.DeviceName,
			"ProductType":    o.ProductType,
			"ProductVersion": o.ProductVersion,
			"SerialNumber":   "F2LTESTSERIAL",
			"UniqueDeviceID": o.UDID,
		},
	}
	if w.keybag != nil {
		manifest["BackupKeyBag"] = w.keybag
	}
	if w.manifestKy != nil {
		manifest["ManifestKey"] = w.manifestKy
	}
	status := map[string]any{
		"Date":          o.Date,
		"IsFullBackup":  true,
		"Version":       "3.3",
		"UUID":          "6A1C8B0E-7F63-4C51-9C0A-1D2E3F405162",
		"BackupState":   "new",
		"SnapshotState": "finished",
	}
	for _, p := range []struct {
		name   string
		v      any
		format int
	}{
		{"Info.plist", info, plist.XMLFormat},
		{"Manifest.plist", manifest, plist.BinaryFormat},
		{"Status.plist", status, plist.BinaryFormat},
	} {
		b, err := plist.Marshal(p.v, p.format)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(w.dir, p.name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
