package iphone

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sync"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/iphone/backup"
)

// PasswordFlag is the secret the password of an encrypted backup is asked for by.
const PasswordFlag = "backup-password"

type container struct{}

func init() { importer.Register(container{}) }

func (container) Name() string    { return "iphone-backup" }
func (container) Version() string { return "1" }
func (container) Describe() string {
	return "iPhone backup folder (Finder/iTunes, plain or encrypted): WhatsApp, WeChat and Messages in one go"
}
func (container) Rank() int { return archive.RankDatabase }
func (container) Flags() []importer.Flag {
	return []importer.Flag{{Name: PasswordFlag, Secret: true, Usage: "iPhone backup password"}}
}

// Detect claims a folder holding Manifest.db (or the Manifest.mbdb of iOS 9 and older, so the
// user hears why it cannot be read) and Info.plist. Manifest.plist is not required: trimmed
// copies (the mvt test backup) lack it.
func (container) Detect(src importer.Source) int {
	if !src.IsDir() {
		return 0
	}
	has := func(name string) bool {
		st, err := fs.Stat(src.FS, path.Join(src.Path, name))
		return err == nil && st.Mode().IsRegular()
	}
	if has("Info.plist") && (has("Manifest.db") || has("Manifest.mbdb")) {
		return 100
	}
	return 0
}

// Import is not called for a container (importer.RunSource expands it).
func (container) Import(ctx context.Context, src importer.Source, im *archive.Import, opts importer.Options) error {
	return importer.Bad(src.String(), "an iPhone backup holds several databases: import it as a whole (importer.RunSource)")
}

// Expand opens the backup and lists one part per chat app.
func (c container) Expand(ctx context.Context, src importer.Source, opts importer.Options) ([]importer.Part, error) {
	dir, ok := hostDir(src)
	if !ok {
		return nil, importer.Bad(src.String(), "an iPhone backup is read from a folder on this computer")
	}
	b, err := backup.Open(dir)
	if err != nil {
		return nil, importer.Bad(src.String(), "%s", err)
	}
	info := b.Info()
	if info.Encrypted {
		if err := unlock(ctx, b, src, opts); err != nil {
			b.Close()
			return nil, err
		}
	}
	parts, err := findApps(ctx, b, info)
	if err != nil {
		b.Close()
		return nil, importer.Bad(src.String(), "%s", err)
	}
	closeAfter(b, parts)
	return parts, nil
}

// unlock asks for the password and unlocks the backup. The key derivation takes seconds on
// real backups (10,000,000 rounds of PBKDF2-SHA256): the command line says so before it asks.
func unlock(ctx context.Context, b *backup.Backup, src importer.Source, opts importer.Options) error {
	howto := fmt.Sprintf("give its password with --%s-file, --%s-command or CHATVAULT_BACKUP_PASSWORD", PasswordFlag, PasswordFlag)
	if opts.Secrets == nil {
		return importer.Bad(src.String(), "the backup is encrypted: %s", howto)
	}
	pw, err := opts.Secrets.Secret(ctx, PasswordFlag, fmt.Sprintf("Password of the iPhone backup of %s", deviceName(b.Info())))
	if errors.Is(err, importer.ErrNoSecret) {
		return importer.Bad(src.String(), "the backup is encrypted: %s", howto)
	}
	if err != nil {
		return err
	}
	if opts.Progress != nil {
		opts.Progress(0, 1) // shows that the (long) key derivation is under way
	}
	err = b.Unlock(pw)
	clear(pw)
	if errors.Is(err, backup.ErrWrongPassword) {
		return importer.Bad(src.String(), "wrong backup password")
	}
	if err != nil {
		return importer.Bad(src.String(), "%s", err)
	}
	return ctx.Err()
}

func deviceName(in backup.Info) string {
	if in.DeviceName != "" {
		return in.DeviceName
	}
	return "iPhone"
}

// hostDir is the folder on this machine a source names. Backups are read with host paths
// (the content files are opened for random access and decrypted in place), so the source must
// be a folder of os.DirFS, as importer.LocalSource and importer.Find give.
func hostDir(src importer.Source) (string, bool) {
	if fmt.Sprintf("%T", src.FS) != "os.dirFS" {
		return "", false
	}
	return filepath.Join(fmt.Sprint(src.FS), filepath.FromSlash(src.Path)), true
}

// closeAfter closes the backup once every part that reads it has been imported (or at once
// when none does).
func closeAfter(b *backup.Backup, parts []importer.Part) {
	n := 0
	for _, p := range parts {
		if p.Skipped == "" {
			n++
		}
	}
	if n == 0 {
		b.Close()
		return
	}
	cl := &closer{b: b, left: n}
	for i := range parts {
		if parts[i].Skipped == "" {
			ci := &closingImporter{Importer: parts[i].Importer, c: cl}
			parts[i].Importer, parts[i].Unused = ci, ci.done
		}
	}
}

type closer struct {
	mu   sync.Mutex
	b    *backup.Backup
	left int
}

func (c *closer) done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.left--; c.left == 0 {
		c.b.Close()
	}
}

// closingImporter is a part's importer that counts the part as done after its import. It keeps
// the inner importer's name, version and rank.
type closingImporter struct {
	importer.Importer
	c    *closer
	once sync.Once
}

func (ci *closingImporter) Rank() int { return importer.RankOf(ci.Importer) }

func (ci *closingImporter) Import(ctx context.Context, src importer.Source, im *archive.Import, opts importer.Options) error {
	defer ci.done()
	return ci.Importer.Import(ctx, src, im, opts)
}

// done counts the part as done, once: after its import, or when it is left out unchanged.
func (ci *closingImporter) done() { ci.once.Do(ci.c.done) }
