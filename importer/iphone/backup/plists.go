package backup

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"howett.net/plist"
)

// infoPlist is Info.plist: what Finder shows about the device.
type infoPlist struct {
	BuildVersion     string    `plist:"Build Version"`
	DeviceName       string    `plist:"Device Name"`
	DisplayName      string    `plist:"Display Name"`
	ProductType      string    `plist:"Product Type"`
	ProductVersion   string    `plist:"Product Version"`
	LastBackupDate   time.Time `plist:"Last Backup Date"`
	SerialNumber     string    `plist:"Serial Number"`
	UniqueIdentifier string    `plist:"Unique Identifier"`
	TargetIdentifier string    `plist:"Target Identifier"`
	InstalledApps    []string  `plist:"Installed Applications"`
}

// manifestPlist is Manifest.plist: encryption and the device's lockdown record.
type manifestPlist struct {
	IsEncrypted  bool                   `plist:"IsEncrypted"`
	BackupKeyBag []byte                 `plist:"BackupKeyBag"`
	ManifestKey  []byte                 `plist:"ManifestKey"`
	Version      string                 `plist:"Version"`
	Date         time.Time              `plist:"Date"`
	Applications map[string]interface{} `plist:"Applications"`
	Lockdown     struct {
		BuildVersion   string `plist:"BuildVersion"`
		DeviceName     string `plist:"DeviceName"`
		ProductType    string `plist:"ProductType"`
		ProductVersion string `plist:"ProductVersion"`
		SerialNumber   string `plist:"SerialNumber"`
		UniqueDeviceID string `plist:"UniqueDeviceID"`
	} `plist:"Lockdown"`
}

// statusPlist is Status.plist: the state of the last backup run.
type statusPlist struct {
	Date          time.Time `plist:"Date"`
	IsFullBackup  bool      `plist:"IsFullBackup"`
	Version       string    `plist:"Version"`
	UUID          string    `plist:"UUID"`
	BackupState   string    `plist:"BackupState"`
	SnapshotState string    `plist:"SnapshotState"`
}

// maxPlist bounds a top-level plist; real Info.plist files carry app icons and iTunes
// settings and reach a few MiB.
const maxPlist = 64 << 20

// readFileBounded reads a whole file of at most max bytes.
func readFileBounded(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("larger than %d bytes", max)
	}
	return b, nil
}

// decodePlist decodes binary, XML or OpenStep plists; the library's panics on hostile input
// (it recovers most itself) are turned into errors.
func decodePlist(b []byte, name string, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: malformed plist: %v", name, r)
		}
	}()
	if _, err := plist.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

var errNotBackup = errors.New("not an iPhone backup")
