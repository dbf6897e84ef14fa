package wadb

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/whatsapp/wacrypt"
	"github.com/chatvault/chatvault/internal/sqlitefs"
)

// Android importer identity. Bump Version when the mapping from rows to messages changes.
const (
	AndroidName    = "whatsapp-android-db"
	AndroidVersion = "1"
	keyFlag        = "whatsapp-key"
)

type androidImporter struct{}

func init() { importer.Register(androidImporter{}) }

func (androidImporter) Name() string    { return AndroidName }
func (androidImporter) Version() string { return AndroidVersion }
func (androidImporter) Rank() int       { return archive.RankDatabase }
func (androidImporter) Describe() string {
	return "WhatsApp for Android's msgstore.db (plain or .crypt12/14/15 backup with --whatsapp-key), or the WhatsApp folder holding Databases/ and Media/"
}

func (androidImporter) Flags() []importer.Flag {
	return []importer.Flag{{Name: keyFlag, Secret: true, Usage: "WhatsApp backup key (64 digits, or the key / encrypted_backup.key file)"}}
}

// Detect: a file named like msgstore*.db[.cryptNN], a SQLite file with the message tables'
// columns in its schema, or a folder holding one (WhatsApp/, WhatsApp/Databases/).
func (androidImporter) Detect(src importer.Source) int {
	st, err := src.Stat()
	if err != nil {
		return 0
	}
	if st.IsDir() {
		if _, ok := locateAndroid(src); ok {
			return 85
		}
		return 0
	}
	name := path.Base(src.Path)
	if isEncrypted(name) {
		if strings.Contains(name, "msgstore") {
			return 90
		}
		if f, err := src.Open(); err == nil {
			defer f.Close()
			if _, err := wacrypt.ReadHeader(io.LimitReader(f, 4096)); err == nil {
				return 30 // a WhatsApp backup under another name (wa.db's backups fail on import)
			}
		}
		return 0
	}
	if sqliteWith(src.FS, src.Path, "key_remote_jid") || sqliteWith(src.FS, src.Path, "chat_row_id", "key_id", "from_me") {
		if msgstoreName.MatchString(name) {
			return 95
		}
		return 80
	}
	return 0
}

func (a androidImporter) Import(ctx context.Context, src importer.Source, im *archive.Import, opts importer.Options) error {
	files, ok := locateAndroid(src)
	if !ok {
		return importer.Bad(src.String(), "no msgstore.db or msgstore.db.crypt15 here (give the file, the WhatsApp folder or its Databases folder)")
	}
	where := src.String()
	if files.msgstore != src.Path {
		where = filepath.Join(src.String(), filepath.FromSlash(relTo(src.Path, files.msgstore)))
	}
	fsys, name := src.FS, files.msgstore
	var key *wacrypt.Key
	if isEncrypted(name) {
		var err error
		if key, err = backupKey(ctx, where, opts); err != nil {
			return err
		}
		if fsys, name, err = decryptTo(ctx, src.FS, name, where, "msgstore.db", key, opts); err != nil {
			return err
		}
	}
	db, err := sqlitefs.Open(fsys, name)
	if err != nil {
		return importer.Bad(where, "not a readable SQLite database: %v", err)
	}
	defer db.Close()
	// Sorting and grouping (a re-import's checks, automatic join indexes) need a temporary
	// store; the read-only view of the source has no place for temporary files.
	db.ExecContext(ctx, `PRAGMA temp_store = MEMORY`)
	s, err := newSchema(db)
	if err != nil {
		return importer.Bad(where, "not a readable SQLite database: %v", err)
	}
	g := pickGeneration(s)
	if g == genNone {
		return importer.Bad(where, "a SQLite database without WhatsApp's message tables (neither `message` nor `messages`): not a msgstore.db")
	}
	sk := newSink(im, opts, where)
	if files.root != "" {
		sk.mediaFS, sk.mediaRoot = src.FS, files.root
	} else {
		sk.mediaWhy = "the WhatsApp folder with Media/ was not given, only the database"
	}
	im.SetOption("schema", g.String())
	if files.wadb != "" {
		wfs, wname := src.FS, files.wadb
		if isEncrypted(wname) && key != nil {
			// wa.db's backup is encrypted with the same key; without it only names are lost.
			var err error
			if wfs, wname, err = decryptTo(ctx, src.FS, wname, files.wadb, "wa.db", key, opts); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				im.Note(fmt.Sprintf("%s could not be decrypted (%v): contact names come from the message database only", files.wadb, err))
				wfs, wname = nil, ""
			}
		}
		if wfs != nil {
			sk.readWaDB(ctx, wfs, wname, opts)
		}
	}
	r := &androidReader{s: s, sk: sk, gen: g, where: where, ctx: ctx, order: orderBuffer{im: im}}
	if err := r.run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var se *importer.SourceError
		if errors.As(err, &se) {
			return err
		}
		return importer.Bad(where, "%v", err)
	}
	return nil
}

func relTo(base, p string) string {
	if base == "." || base == "" {
		return p
	}
	if len(p) > len(base) && p[:len(base)] == base && p[len(base)] == '/' {
		return p[len(base)+1:]
	}
	return p
}

// backupKey asks for the backup key (--whatsapp-key-file, CHATVAULT_WHATSAPP_KEY or a prompt)
// and parses it: the 64 digits, or the key / encrypted_backup.key file.
func backupKey(ctx context.Context, where string, opts importer.Options) (*wacrypt.Key, error) {
	noKey := importer.Bad(where, "an encrypted backup: give its key with --%s-file (a file holding the 64 digits, or the key / encrypted_backup.key file) or CHATVAULT_WHATSAPP_KEY", keyFlag)
	if opts.Secrets == nil {
		return nil, noKey
	}
	secret, err := opts.Secrets.Secret(ctx, keyFlag, "WhatsApp backup key (64 digits): ")
	if err != nil {
		if errors.Is(err, importer.ErrNoSecret) {
			return nil, noKey
		}
		return nil, err
	}
	key, err := wacrypt.ParseKey(secret)
	clear(secret)
	if err != nil {
		return nil, importer.Bad(where, "--%s: %v", keyFlag, err)
	}
	return key, nil
}

// decryptTo decrypts an encrypted backup into opts.TempDir (private, removed after the import)
// and returns where to open it.
func decryptTo(ctx context.Context, fsys fs.FS, name, where, plain string, key *wacrypt.Key, opts importer.Options) (fs.FS, string, error) {
	if opts.TempDir == "" {
		return nil, "", importer.Bad(where, "an encrypted backup needs a private temporary folder to decrypt into")
	}
	in, err := fsys.Open(name)
	if err != nil {
		return nil, "", importer.Bad(where, "%v", err)
	}
	defer in.Close()
	size := int64(-1)
	if st, err := in.Stat(); err == nil {
		size = st.Size()
	}
	out, err := os.CreateTemp(opts.TempDir, plain+"-*")
	if err != nil {
		return nil, "", err
	}
	defer out.Close()
	w := bufio.NewWriterSize(out, 1<<20)
	if _, err := wacrypt.Decrypt(&ctxReader{ctx: ctx, r: in}, size, key, w); err != nil {
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		return nil, "", importer.Bad(where, "%v", err)
	}
	if err := w.Flush(); err != nil {
		return nil, "", err
	}
	if err := out.Close(); err != nil {
		return nil, "", err
	}
	return os.DirFS(opts.TempDir), filepath.Base(out.Name()), nil
}

// ctxReader stops a long decryption when the import is cancelled.
type ctxReader struct {
	ctx context.Context
	r   interface{ Read([]byte) (int, error) }
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
