package whatsapp

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
)

// export is an opened WhatsApp export: its chat text and the media files that came with it,
// whether a loose .txt, a .zip or an unpacked folder.
type export struct {
	src      importer.Source
	path     string // what the user named
	chatName string // the chat text's file name (for titles and warnings)
	openChat func() (io.ReadCloser, error)
	chatSize int64
	media    map[string]mediaFile // by base name, as the chat text refers to them
	// lazyMedia lists the media when the chat first names one (loose texts).
	lazyMedia func() map[string]mediaFile
	closer    io.Closer
	used      map[string]bool // media the chat named
	subdirs   []string        // folders inside an unpacked export: never read
}

type mediaFile struct {
	size int64
	open func() (io.ReadCloser, error)
}

func (e *export) Close() error {
	if e.closer != nil {
		return e.closer.Close()
	}
	return nil
}

// What can be wrong with a zip, each said in its own words: a truncated download, a bomb and a
// zip-slip archive are different problems with different fixes.
var (
	errZipDamaged  = errors.New("damaged or incomplete zip file (an interrupted download? download or copy it again)")
	errZipTooLarge = errors.New("zip too large when unpacked")
	errZipUnsafe   = errors.New("zip with unsafe paths")
)

// Zip bombs: an entry may expand at most this many times its compressed size once it is large.
const (
	maxZipRatio      = 200
	zipRatioMinBytes = 64 << 20
	maxZipEntries    = 1_000_000
)

func openExport(src importer.Source) (*export, error) {
	st, err := src.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case st.IsDir():
		return openFolder(src)
	case strings.EqualFold(path.Ext(src.Path), ".zip"):
		return openZip(src, st.Size())
	default:
		return openText(src, st)
	}
}

func openText(src importer.Source, st fs.FileInfo) (*export, error) {
	e := &export{src: src, path: src.String(), chatName: path.Base(src.Path), chatSize: st.Size()}
	e.openChat = func() (io.ReadCloser, error) { return src.Open() }
	// Media exported next to a loose .txt (an unpacked export) are found by name, listed only
	// when the chat names one: a Downloads folder of 10,000 texts is not listed 10,000 times.
	dir := path.Dir(src.Path)
	e.lazyMedia = func() map[string]mediaFile { return folderMedia(src.FS, dir) }
	return e, nil
}

func openFolder(src importer.Source) (*export, error) {
	entries, err := fs.ReadDir(src.FS, src.Path)
	if err != nil {
		return nil, err
	}
	var texts []string
	for _, d := range entries {
		if d.Type().IsRegular() && strings.EqualFold(path.Ext(d.Name()), ".txt") {
			texts = append(texts, d.Name())
		}
	}
	open := func(n string) (io.ReadCloser, error) { return src.FS.Open(path.Join(src.Path, n)) }
	if chats := chatTexts(texts, open); len(chats) > 1 {
		// A Downloads folder with several exports side by side: each is its own chat, and
		// `chatvault import FOLDER` finds them one by one.
		return nil, importer.Bad(src.String(), "holds %d chat texts (%s, ...), not one export: import the files, or the folder without --format", len(chats), chats[0])
	}
	name := pickChatText(texts, open)
	if name == "" {
		return nil, importer.Bad(src.String(), "no WhatsApp chat text (.txt) in this folder")
	}
	p := path.Join(src.Path, name)
	st, err := fs.Stat(src.FS, p)
	if err != nil {
		return nil, err
	}
	e := &export{src: src, path: src.String(), chatName: name, chatSize: st.Size(), media: folderMedia(src.FS, src.Path)}
	for _, d := range entries {
		if d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			e.subdirs = append(e.subdirs, d.Name()+"/")
		}
	}
	e.openChat = func() (io.ReadCloser, error) { return src.FS.Open(p) }
	return e, nil
}

// chatTexts are the texts of a folder that are chats: named as WhatsApp names them, or, when
// none is, those that start with message headers. More than one means the folder is several
// exports, not one.
func chatTexts(names []string, open func(name string) (io.ReadCloser, error)) []string {
	if named := namedChatTexts(names); len(named) > 0 {
		return named
	}
	var out []string
	sort.Strings(names)
	for i, n := range names {
		if i == maxSniffedTexts && len(out) > 1 {
			break
		}
		if headersAtStart(open, n) > 0 {
			out = append(out, n)
		}
	}
	return out
}

// folderMedia lists the regular files in dir. Symbolic links are left out: an export never has
// them, and following one could pull a file from elsewhere on the machine into the archive.
func folderMedia(fsys fs.FS, dir string) map[string]mediaFile {
	media := map[string]mediaFile{}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return media
	}
	for _, d := range entries {
		if !d.Type().IsRegular() {
			continue
		}
		p := path.Join(dir, d.Name())
		info, err := d.Info()
		if err != nil {
			continue
		}
		media[d.Name()] = mediaFile{size: info.Size(), open: func() (io.ReadCloser, error) { return fsys.Open(p) }}
	}
	return media
}

// mediaFile finds a media file by the name the chat gives it.
func (e *export) mediaFile(name string) (mediaFile, bool) {
	if e.media == nil && e.lazyMedia != nil {
		e.media = e.lazyMedia()
	}
	f, ok := e.media[name]
	if ok {
		if e.used == nil {
			e.used = map[string]bool{}
		}
		e.used[name] = true
	}
	return f, ok
}

// unused names the files of a zip or folder export that no message named (besides the chat
// text), and the folders inside an unpacked one: not imported, so the report says so rather than dropping them without a word. A loose
// text's folder is not the export's own and is not listed.
func (e *export) unused() []string {
	if e.lazyMedia != nil {
		return nil
	}
	out := append([]string(nil), e.subdirs...)
	for name := range e.media {
		if name != e.chatName && !e.used[name] && !ignorableFile(name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// ignorableFile: system litter a copy or an unzip leaves, which nobody would miss.
func ignorableFile(name string) bool {
	switch strings.ToLower(name) {
	case ".ds_store", "thumbs.db", "desktop.ini":
		return true
	}
	return strings.HasPrefix(name, "._")
}

// pickChatText chooses the chat among .txt names: WhatsApp calls it _chat.txt (iOS) or
// "WhatsApp Chat with NAME.txt" (Android, localised); any single .txt will do. When the names
// do not tell (a renamed chat next to a shared .txt document), the text whose start has the most
// message headers is the chat.
func pickChatText(names []string, open func(name string) (io.ReadCloser, error)) string {
	sort.Strings(names)
	for _, n := range names {
		if strings.EqualFold(path.Base(n), "_chat.txt") {
			return n
		}
	}
	if named := namedChatTexts(names); len(named) > 0 {
		return named[0]
	}
	if len(names) == 1 {
		return names[0]
	}
	best, most := "", 0
	for i, n := range names {
		if i == maxSniffedTexts {
			break
		}
		if h := headersAtStart(open, n); h > most {
			best, most = n, h
		}
	}
	return best
}

// namedChatTexts are the texts named as WhatsApp names its exports (_chat.txt, or a name with
// "WhatsApp" in any language), sorted.
func namedChatTexts(names []string) []string {
	var out []string
	for _, n := range names {
		base := strings.ToLower(path.Base(n))
		if base == "_chat.txt" || strings.Contains(base, "whatsapp") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// maxSniffedTexts bounds how many .txt files are read to find the chat.
const maxSniffedTexts = 32

// headersAtStart counts the message headers in the first 64 KiB of a text.
func headersAtStart(open func(name string) (io.ReadCloser, error), name string) int {
	r, err := open(name)
	if err != nil {
		return 0
	}
	defer r.Close()
	layout, err := wachat.Scan(io.LimitReader(r, 64<<10), wachat.Options{})
	if err != nil {
		return 0
	}
	return layout.Headers
}

func openZip(src importer.Source, size int64) (*export, error) {
	p := src.String()
	f, err := src.Open()
	if err != nil {
		return nil, importer.Bad(p, "cannot open zip: %v", err)
	}
	ra, ok := f.(io.ReaderAt)
	if !ok {
		f.Close()
		return nil, importer.Bad(p, "cannot read this zip where it is: extract it first")
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		f.Close()
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, importer.Bad(p, "%w: %v", errZipDamaged, err)
		}
		return nil, importer.Bad(p, "cannot open zip: %v", err)
	}
	ok = false
	defer func() {
		if !ok {
			f.Close()
		}
	}()
	if len(zr.File) > maxZipEntries {
		return nil, importer.Bad(p, "zip has %d entries, more than any chat export", len(zr.File))
	}
	e := &export{src: src, path: p, media: map[string]mediaFile{}, closer: f}
	var texts []string
	byName := map[string]*zip.File{}
	for _, f := range zr.File {
		if !importer.SafeEntryName(f.Name) {
			return nil, importer.Bad(p, "%w: entry %q points outside the export (absolute path or ..): refusing this file", errZipUnsafe, f.Name)
		}
		if strings.HasPrefix(f.Name, "__MACOSX/") || strings.HasSuffix(f.Name, "/") || f.Mode()&os.ModeSymlink != 0 {
			continue
		}
		if f.UncompressedSize64 > zipRatioMinBytes && f.UncompressedSize64 > maxZipRatio*max(f.CompressedSize64, 1) {
			return nil, importer.Bad(p, "%w: entry %q expands %d bytes to %d, refusing a zip bomb", errZipTooLarge, f.Name, f.CompressedSize64, f.UncompressedSize64)
		}
		if strings.EqualFold(path.Ext(f.Name), ".txt") {
			texts = append(texts, f.Name)
		}
		byName[f.Name] = f
		base := path.Base(f.Name)
		e.media[base] = mediaFile{size: int64(f.UncompressedSize64), open: f.Open}
	}
	if named := namedChatTexts(texts); len(named) > 1 {
		return nil, importer.Bad(p, "holds %d chat texts (%s, ...), not one export: unzip it and import the folder", len(named), path.Base(named[0]))
	}
	name := pickChatText(texts, func(n string) (io.ReadCloser, error) { return byName[n].Open() })
	if name == "" {
		return nil, importer.Bad(p, "no WhatsApp chat text (.txt) in this zip")
	}
	chat := byName[name]
	e.chatName = path.Base(name)
	e.chatSize = int64(chat.UncompressedSize64)
	e.openChat = chat.Open
	ok = true
	return e, nil
}

// where names the chat text for warnings: the file itself, or the zip and the entry in it.
func (e *export) where() string {
	if filepath.Base(e.path) == e.chatName || path.Base(e.src.Path) == e.chatName {
		return e.path
	}
	return fmt.Sprintf("%s/%s", e.path, e.chatName)
}
