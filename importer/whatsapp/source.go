package whatsapp

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
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
	path     string // what the user named
	chatName string // the chat text's file name (for titles and warnings)
	openChat func() (io.ReadCloser, error)
	chatSize int64
	media    map[string]mediaFile // by base name, as the chat text refers to them
	closer   io.Closer
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

// Zip bombs: an entry may expand at most this many times its compressed size once it is large.
const (
	maxZipRatio      = 200
	zipRatioMinBytes = 64 << 20
	maxZipEntries    = 1_000_000
)

func openExport(p string) (*export, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	switch {
	case st.IsDir():
		return openFolder(p)
	case strings.EqualFold(filepath.Ext(p), ".zip"):
		return openZip(p)
	default:
		return openText(p, st)
	}
}

func openText(p string, st os.FileInfo) (*export, error) {
	e := &export{path: p, chatName: filepath.Base(p), chatSize: st.Size(), media: map[string]mediaFile{}}
	e.openChat = func() (io.ReadCloser, error) { return os.Open(p) }
	// Media exported next to a loose .txt (an unpacked export) are found by name.
	e.media = folderMedia(filepath.Dir(p))
	return e, nil
}

func openFolder(dir string) (*export, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var texts []string
	for _, d := range entries {
		if d.Type().IsRegular() && strings.EqualFold(filepath.Ext(d.Name()), ".txt") {
			texts = append(texts, d.Name())
		}
	}
	if named := namedChatTexts(texts); len(named) > 1 {
		// A Downloads folder with several exports side by side: each is its own chat.
		// `chatvault import FOLDER` then finds them one by one.
		return nil, importer.Bad(dir, "holds %d chat texts (%s, ...), not one export: import the files, or the folder without --format", len(named), named[0])
	}
	name := pickChatText(texts, func(n string) (io.ReadCloser, error) { return os.Open(filepath.Join(dir, n)) })
	if name == "" {
		return nil, importer.Bad(dir, "no WhatsApp chat text (.txt) in this folder")
	}
	p := filepath.Join(dir, name)
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	e := &export{path: dir, chatName: name, chatSize: st.Size(), media: folderMedia(dir)}
	e.openChat = func() (io.ReadCloser, error) { return os.Open(p) }
	return e, nil
}

// folderMedia lists the regular files in dir. Symbolic links are left out: an export never has
// them, and following one could pull a file from elsewhere on the machine into the archive.
func folderMedia(dir string) map[string]mediaFile {
	media := map[string]mediaFile{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return media
	}
	for _, d := range entries {
		if !d.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, d.Name())
		info, err := d.Info()
		if err != nil {
			continue
		}
		media[d.Name()] = mediaFile{size: info.Size(), open: func() (io.ReadCloser, error) { return os.Open(p) }}
	}
	return media
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

func openZip(p string) (*export, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, importer.Bad(p, "not a readable zip file (truncated or damaged): %v", err)
		}
		return nil, importer.Bad(p, "cannot open zip: %v", err)
	}
	ok := false
	defer func() {
		if !ok {
			zr.Close()
		}
	}()
	if len(zr.File) > maxZipEntries {
		return nil, importer.Bad(p, "zip has %d entries, more than any chat export", len(zr.File))
	}
	e := &export{path: p, media: map[string]mediaFile{}, closer: zr}
	var texts []string
	byName := map[string]*zip.File{}
	for _, f := range zr.File {
		if !importer.SafeEntryName(f.Name) {
			return nil, importer.Bad(p, "zip entry %q points outside the export (absolute path or ..): refusing this file", f.Name)
		}
		if strings.HasPrefix(f.Name, "__MACOSX/") || strings.HasSuffix(f.Name, "/") || f.Mode()&os.ModeSymlink != 0 {
			continue
		}
		if f.UncompressedSize64 > zipRatioMinBytes && f.UncompressedSize64 > maxZipRatio*max(f.CompressedSize64, 1) {
			return nil, importer.Bad(p, "zip entry %q expands %d bytes to %d: refusing a zip bomb", f.Name, f.CompressedSize64, f.UncompressedSize64)
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
	if filepath.Base(e.path) == e.chatName {
		return e.path
	}
	return fmt.Sprintf("%s/%s", e.path, e.chatName)
}
