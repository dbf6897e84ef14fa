package wechat

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/sqlcipher"
)

// desktopImporter reads WeChat for Windows and macOS, 3.x and 4.x: the SQLCipher databases of
// one account folder, with the key the user supplies (notes §9). chatvault does not read keys out
// of a running WeChat.
type desktopImporter struct{}

func (desktopImporter) Name() string    { return "wechat-desktop" }
func (desktopImporter) Version() string { return "1" }
func (desktopImporter) Describe() string {
	return "WeChat for Windows/macOS 3.x and 4.x: the account folder's databases, with the key given by --wechat-key-file (chatvault does not take keys out of a running WeChat)"
}
func (desktopImporter) Rank() int { return archive.RankDatabase }

func (desktopImporter) Flags() []importer.Flag {
	return []importer.Flag{{Name: "wechat-key", Secret: true,
		Usage: "WeChat desktop database key (64 hex digits; chatvault never reads it out of a running WeChat, see docs/importers/wechat.md)"}}
}

var (
	winMsgRe   = regexp.MustCompile(`^MSG[0-9]{1,3}\.db$`)
	winMediaRe = regexp.MustCompile(`^MediaMSG[0-9]{1,3}\.db$`)
	v4MsgRe    = regexp.MustCompile(`^message_[0-9]{1,3}\.db$`)
	macMsgRe   = regexp.MustCompile(`^msg_[0-9]{1,3}\.db$`)
)

// desktopFiles are one account's databases by role.
type desktopFiles struct {
	Messages []string // MSG<n>.db, message_<n>.db, msg_<n>.db
	Media    []string // MediaMSG<n>.db (Windows 3.x voice)
	Contacts []string // MicroMsg.db, contact.db
	Root     string   // the account folder (files' paths in BytesExtra are relative to its parent)
}

func (f desktopFiles) all() []string {
	return append(append(append([]string(nil), f.Contacts...), f.Messages...), f.Media...)
}

// findDesktop walks the source (at most 5 levels, 5000 entries) for the databases.
func findDesktop(src importer.Source) desktopFiles {
	var out desktopFiles
	st, err := src.Stat()
	if err != nil {
		return out
	}
	classify := func(p string) {
		b := path.Base(p)
		switch {
		case winMsgRe.MatchString(b) || v4MsgRe.MatchString(b) || macMsgRe.MatchString(b):
			out.Messages = append(out.Messages, p)
		case winMediaRe.MatchString(b):
			out.Media = append(out.Media, p)
		case b == "MicroMsg.db" || b == "contact.db":
			out.Contacts = append(out.Contacts, p)
		}
	}
	if !st.IsDir() {
		classify(src.Path)
		out.Root = path.Dir(src.Path)
		return out
	}
	out.Root = src.Path
	n := 0
	base := strings.Count(src.Path, "/")
	fs.WalkDir(src.FS, src.Path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		n++
		if n > 5000 {
			return fs.SkipAll
		}
		if d.IsDir() {
			if strings.Count(p, "/")-base > 4 || d.Name() == "FileStorage" || d.Name() == "msg" && p != src.Path {
				return fs.SkipDir
			}
			return nil
		}
		classify(p)
		return nil
	})
	sort.Strings(out.Messages)
	sort.Strings(out.Media)
	sort.Strings(out.Contacts)
	return out
}

// desktopMarkers are where an account folder's first message database sits, by version
// (notes §9): Detect looks only there, so walking a big folder stays linear.
var desktopMarkers = []string{"Msg/Multi/MSG0.db", "Multi/MSG0.db", "MSG0.db", "db_storage/message/message_0.db",
	"message/message_0.db", "Message/msg_0.db"}

func (desktopImporter) Detect(src importer.Source) int {
	var p string
	if st, err := src.Stat(); err != nil {
		return 0
	} else if st.IsDir() {
		for _, m := range desktopMarkers {
			q := path.Join(src.Path, m)
			if st, err := fs.Stat(src.FS, q); err == nil && !st.IsDir() {
				p = q
				break
			}
		}
	} else if b := path.Base(src.Path); winMsgRe.MatchString(b) || v4MsgRe.MatchString(b) || macMsgRe.MatchString(b) {
		p = src.Path
	}
	if p == "" {
		return 0
	}
	fl, err := src.FS.Open(p)
	if err != nil {
		return 0
	}
	defer fl.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(fl, head); err != nil || string(head) == "SQLite format 3\x00" {
		return 0
	}
	return 70
}

// desktopParams are the page formats tried with the user's key, in this order.
var desktopParams = []sqlcipher.Params{sqlcipher.WeChatWindows3, sqlcipher.WeChat4, sqlcipher.WeChatMac3}

func (x desktopImporter) Import(ctx context.Context, src importer.Source, im *archive.Import, opts importer.Options) error {
	files := findDesktop(src)
	if len(files.Messages) == 0 {
		return importer.Bad(src.String(), "no WeChat desktop message database (MSG0.db, message_0.db or msg_0.db) in it")
	}
	if opts.Secrets == nil {
		return importer.Bad(src.String(), "encrypted: give the key with --wechat-key-file, --wechat-key-command or CHATVAULT_WECHAT_KEY (64 hex digits); chatvault does not read it out of a running WeChat")
	}
	secret, err := opts.Secrets.Secret(ctx, "wechat-key", "WeChat database key (64 hex digits): ")
	if err != nil {
		if errors.Is(err, importer.ErrNoSecret) {
			return importer.Bad(src.String(), "encrypted: give the key with --wechat-key-file, --wechat-key-command or CHATVAULT_WECHAT_KEY (64 hex digits); chatvault does not read it out of a running WeChat")
		}
		return err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(secret)))
	if err != nil || len(key) != 32 {
		return importer.Bad(src.String(), "the WeChat key must be 64 hex digits (32 bytes)")
	}
	name := func(p string) string {
		return src.Sub(strings.TrimPrefix(strings.TrimPrefix(p, src.Path), "/")).String()
	}
	if !src.IsDir() {
		name = func(string) string { return src.String() }
	}
	// Check the key on page 1 of every file before reading anything.
	type opened struct {
		db    *sql.DB
		close func() error
	}
	dbs := map[string]opened{}
	defer func() {
		for _, o := range dbs {
			o.close()
		}
	}()
	for _, p := range files.all() {
		ra, size, done, err := readerAt(src.FS, p, opts.TempDir)
		if err != nil {
			return importer.Bad(name(p), "cannot read: %v", err)
		}
		defer done()
		db, closer, err := openDesktop(ra, size, key)
		if err != nil {
			if errors.Is(err, sqlcipher.ErrWrongKey) {
				return importer.Bad(name(p), "the key does not open it (tried WeChat Windows 3.x, WeChat 4.x and macOS 3.x page formats): check the key belongs to this account")
			}
			return importer.Bad(name(p), "not a WeChat database this key opens: %s", firstLine(err.Error()))
		}
		dbs[p] = opened{db, closer}
	}
	d := &desktopReader{writer: newWriter(im, src.String(), opts, src.FS, "not in the account folder"), ctx: ctx, root: files.Root, name: name}
	d.me = opts.Me
	if d.me == "" {
		d.me = ownFromPath(src.String() + "/" + files.Root)
	}
	var contacts, messages, media []dbHandle
	for _, p := range files.Contacts {
		contacts = append(contacts, dbHandle{p, dbs[p].db})
	}
	for _, p := range files.Messages {
		messages = append(messages, dbHandle{p, dbs[p].db})
	}
	for _, p := range files.Media {
		media = append(media, dbHandle{p, dbs[p].db})
	}
	if err := d.read(contacts, messages, media); err != nil {
		var se *importer.SourceError
		if ctx.Err() != nil || errors.As(err, &se) {
			return err
		}
		return importer.Bad(src.String(), "%v", err)
	}
	d.finish()
	return nil
}

// openDesktop opens a database with the first page format the key fits (each try derives the
// key once and checks page 1).
func openDesktop(ra io.ReaderAt, size int64, key []byte) (*sql.DB, func() error, error) {
	var errs []error
	allWrong := true
	for _, p := range desktopParams {
		db, closer, err := sqlcipher.OpenSQL(ra, size, key, p)
		if err == nil {
			return db, closer, nil
		}
		errs = append(errs, err)
		allWrong = allWrong && errors.Is(err, sqlcipher.ErrWrongKey)
	}
	if allWrong {
		return nil, nil, sqlcipher.ErrWrongKey
	}
	return nil, nil, errors.Join(errs...)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

var wxidInPath = regexp.MustCompile(`(wxid_[A-Za-z0-9]+)`)

// ownFromPath reads the account's username from its folder name: "WeChat Files/wxid_x" (3.x),
// "xwechat_files/wxid_x_ab12" (4.x; notes §9).
func ownFromPath(p string) string {
	if m := wxidInPath.FindAllString(p, -1); len(m) > 0 {
		return m[len(m)-1]
	}
	return ""
}
