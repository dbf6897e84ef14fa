// Package backuptest writes synthetic iPhone backups (plain or encrypted) for tests of the
// backup reader and of the importers that read app data out of backups.
//
// The layout follows the documented scheme, not the reader's code, so the reader is tested
// against the format. Sources of each fact (see the project's notes, iphone-backup.md):
//   - folder layout, Manifest.db schema, fileID = SHA-1(domain + "-" + relativePath), content at
//     <id[:2]>/<id>: the real mvt test backup (mvt-project/mvt tests/artifacts/ios_backup);
//   - MBFile records as NSKeyedArchiver binary plists ($archiver, $version 100000, $top root
//     UID 1, $objects with "$null" first; EncryptionKey as an NSMutableData dict whose NS.data
//     holds 4-byte little-endian class + wrapped key): the same Manifest.db's records;
//   - keybag TLV (tag, big-endian length; VERS, TYPE, UUID, HMCK, WRAP, SALT, ITER, DPWT,
//     DPIC, DPSL, then per class UUID, CLAS, WRAP, KTYP, WPKY): pyiosbackup's keybag.py and
//     its test keybag, iphone_backup_decrypt's google_iphone_dataprotection.py;
//   - key derivation (PBKDF2-HMAC-SHA256 over DPSL/DPIC, then PBKDF2-HMAC-SHA1 over
//     SALT/ITER), AES key wrap (RFC 3394) of class keys, ManifestKey = LE32 class + wrapped
//     key, Manifest.db and files in AES-256-CBC with a zero IV, files PKCS#7-padded:
//     iphone_backup_decrypt (iphone_backup.py), mvt decrypt.py, crabapple crypto.rs;
//   - Info.plist / Manifest.plist / Status.plist keys: the mvt Info.plist, crabapple
//     manifest_plist.rs, pyiosbackup.
package backuptest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"time"

	"howett.net/plist"

	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver, as chatvault opens it
)

// File is one entry to put into the backup.
type File struct {
	Domain string      // e.g. "HomeDomain", "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"
	Path   string      // relative to the domain, slash-separated
	Data   []byte      // content; for a symlink, its target
	Mode   fs.FileMode // 0 means a regular file 0644; fs.ModeDir for a folder, fs.ModeSymlink for a link
	MTime  time.Time   // zero means Options.Date
}

// Options describe the backup. The zero value writes a plain backup.
type Options struct {
	// Password, when not empty, makes an encrypted backup.
	Password string
	// Iteration counts stored in the keybag; zero means 10 (ITER) and 100 (DPIC) so tests
	// stay fast. Real keybags use 10,000 and 10,000,000.
	Iter, DPIC int
	// Legacy writes a keybag without DPSL/DPIC (before iOS 10.2: PBKDF2-HMAC-SHA1 only) and no
	// ManifestKey: Manifest.db stays plain while the files are encrypted.
	Legacy bool
	// Seed makes keys, salts and UUIDs deterministic.
	Seed uint64

	DeviceName, ProductType, ProductVersion, UDID string
	Date                                          time.Time // zero means 2024-05-01 12:00 UTC
	Apps                                          []string  // Installed Applications
}

// FileID is the name the backup stores a file's content under: hex SHA-1 of domain-path.
func FileID(domain, relPath string) string {
	h := sha1.Sum([]byte(domain + "-" + relPath))
	return hex.EncodeToString(h[:])
}

// ContentPath is where the content of domain/relPath lives inside the backup folder dir.
func ContentPath(dir, domain, relPath string) string {
	id := FileID(domain, relPath)
	return filepath.Join(dir, id[:2], id)
}

// Protection classes used for files and for Manifest.db (NSFileProtection
// CompleteUntilFirstUserAuthentication and None).
const (
	fileClass     = 3
	manifestClass = 4
)

// Write creates the backup in dir (created if needed): Info.plist, Manifest.plist,
// Status.plist, Manifest.db and the content files. Parent folders get records of their own,
// domain roots included, as in real backups.
func Write(dir string, opts Options, files []File) error {
	if opts.Date.IsZero() {
		opts.Date = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	}
	if opts.DeviceName == "" {
		opts.DeviceName = "Test iPhone"
	}
	if opts.ProductType == "" {
		opts.ProductType = "iPhone14,2"
	}
	if opts.ProductVersion == "" {
		opts.ProductVersion = "17.4.1"
	}
	if opts.UDID == "" {
		opts.UDID = "00008110-000A1B2C3D4E5F60"
	}
	if opts.Iter == 0 {
		opts.Iter = 10
	}
	if opts.DPIC == 0 {
		opts.DPIC = 100
	}
	w := &writer{dir: dir, opts: opts, rnd: rand.New(rand.NewChaCha8(seed(opts.Seed)))}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if opts.Password != "" {
		if err := w.makeKeybag(); err != nil {
			return err
		}
	}
	recs, err := w.records(files)
	if err != nil {
		return err
	}
	if err := w.writeManifestDB(recs); err != nil {
		return err
	}
	return w.writePlists()
}

func seed(s uint64) [32]byte {
	var b [32]byte
	binary.LittleEndian.PutUint64(b[:], s)
	return b
}

type writer struct {
	dir        string
	opts       Options
	rnd        *rand.Rand
	keybag     []byte
	classKeys  map[uint32][]byte
	manifestDB []byte // Manifest.db key, nil when plain
	manifestKy []byte // ManifestKey blob for Manifest.plist
}

func (w *writer) random(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(w.rnd.Uint32())
	}
	return b
}

type record struct {
	id, domain, path string
	flags            int
	blob             []byte
}

// records builds the Files rows (adding parent folders) and writes the content files.
func (w *writer) records(files []File) ([]record, error) {
	type key struct{ domain, path string }
	seen := map[key]bool{}
	var recs []record
	addDir := func(domain, p string, mtime time.Time) error {
		if seen[key{domain, p}] {
			return nil
		}
		seen[key{domain, p}] = true
		blob, err := w.mbFile(p, 0o040755, 0, mtime, nil, "")
		if err != nil {
			return err
		}
		recs = append(recs, record{FileID(domain, p), domain, p, 2, blob})
		return nil
	}
	for _, f := range files {
		if !fs.ValidPath(f.Path) || f.Path == "." {
			return nil, fmt.Errorf("backuptest: bad path %q", f.Path)
		}
		mtime := f.MTime
		if mtime.IsZero() {
			mtime = w.opts.Date
		}
		// Parent folders, root ("") first.
		parts := []string{""}
		for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
			parts = append(parts, d)
		}
		sort.Strings(parts)
		for _, d := range parts {
			if err := addDir(f.Domain, d, w.opts.Date); err != nil {
				return nil, err
			}
		}
		switch {
		case f.Mode.IsDir():
			if err := addDir(f.Domain, f.Path, mtime); err != nil {
				return nil, err
			}
		case f.Mode&fs.ModeSymlink != 0:
			blob, err := w.mbFile(f.Path, 0o120755, int64(len(f.Data)), mtime, nil, string(f.Data))
			if err != nil {
				return nil, err
			}
			recs = append(recs, record{FileID(f.Domain, f.Path), f.Domain, f.Path, 4, blob})
		default:
			if seen[key{f.Domain, f.Path}] {
				return nil, fmt.Errorf("backuptest: %s %s given twice", f.Domain, f.Path)
			}
			seen[key{f.Domain, f.Path}] = true
			perm := f.Mode.Perm()
			if perm == 0 {
				perm = 0o644
			}
			encKey, err := w.writeContent(f)
			if err != nil {
				return nil, err
			}
			blob, err := w.mbFile(f.Path, 0o100000|uint32(perm), int64(len(f.Data)), mtime, encKey, "")
			if err != nil {
				return nil, err
			}
			recs = append(recs, record{FileID(f.Domain, f.Path), f.Domain, f.Path, 1, blob})
		}
	}
	return recs, nil
}

// writeContent stores the file at <id[:2]>/<id>, encrypted with a fresh key when the backup is,
// and returns the EncryptionKey blob (nil when plain).
func (w *writer) writeContent(f File) ([]byte, error) {
	p := ContentPath(w.dir, f.Domain, f.Path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	if w.classKeys == nil {
		return nil, os.WriteFile(p, f.Data, 0o644)
	}
	fileKey := w.random(32)
	ct, err := cbcEncrypt(fileKey, pkcs7(f.Data))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(p, ct, 0o644); err != nil {
		return nil, err
	}
	return w.classWrap(fileClass, fileKey)
}

// classWrap is LE32(class) || RFC 3394 wrap of key under that class key.
func (w *writer) classWrap(class uint32, key []byte) ([]byte, error) {
	wrapped, err := wrapKey(w.classKeys[class], key)
	if err != nil {
		return nil, err
	}
	return append(binary.LittleEndian.AppendUint32(nil, class), wrapped...), nil
}

func pkcs7(b []byte) []byte {
	n := 16 - len(b)%16
	return append(append([]byte{}, b...), bytes.Repeat([]byte{byte(n)}, n)...)
}

// cbcEncrypt is AES-256-CBC with a 16-byte zero IV over whole blocks.
func cbcEncrypt(key, plain []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, make([]byte, 16)).CryptBlocks(out, plain)
	return out, nil
}

// mbFile archives one MBFile record with NSKeyedArchiver's layout.
func (w *writer) mbFile(relPath string, mode uint32, size int64, mtime time.Time, encKey []byte, target string) ([]byte, error) {
	objects := []any{"$null"}
	add := func(o any) plist.UID {
		objects = append(objects, o)
		return plist.UID(len(objects) - 1)
	}
	root := map[string]any{
		"Size":             size,
		"Mode":             int64(mode),
		"LastModified":     mtime.Unix(),
		"LastStatusChange": mtime.Unix(),
		"Birth":            mtime.Unix(),
		"Flags":            int64(0),
		"GroupID":          int64(501),
		"UserID":           int64(501),
		"InodeNumber":      int64(w.rnd.Uint32()),
		"ProtectionClass":  int64(0),
	}
	if mode&0o170000 == 0o100000 {
		root["ProtectionClass"] = int64(fileClass)
	}
	add(root)
	root["RelativePath"] = add(relPath)
	root["$class"] = add(map[string]any{"$classname": "MBFile", "$classes": []any{"MBFile", "NSObject"}})
	if encKey != nil {
		data := map[string]any{"NS.data": encKey}
		ref := add(data)
		data["$class"] = add(map[string]any{"$classname": "NSMutableData", "$classes": []any{"NSMutableData", "NSData", "NSObject"}})
		root["EncryptionKey"] = ref
	}
	if target != "" {
		root["Target"] = add(target)
	}
	archive := map[string]any{
		"$archiver": "NSKeyedArchiver",
		"$version":  int64(100000),
		"$top":      map[string]any{"root": plist.UID(1)},
		"$objects":  objects,
	}
	return plist.Marshal(archive, plist.BinaryFormat)
}
