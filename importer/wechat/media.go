package wechat

import (
	"bufio"
	"bytes"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/wechat/wxmsg"
)

// mediaStore copies the files messages refer to into the archive.
type mediaStore struct {
	im   *archive.Import
	fsys fs.FS
	max  int64
	// dirs caches each media folder's file names: most messages' files are missing (a cleared
	// cache), and one listing per folder replaces a failed open per message and path.
	dirs  map[string]map[string]bool
	names int // names cached, bounded by maxCachedNames
}

// maxCachedNames bounds the listing cache (some 100 bytes a name).
const maxCachedNames = 200_000

// exists says whether p is in its folder's listing (read once).
func (s *mediaStore) exists(p string) bool {
	dir, name := path.Split(p)
	if s.dirs == nil {
		s.dirs = map[string]map[string]bool{}
	}
	names, ok := s.dirs[dir]
	if !ok {
		if s.names > maxCachedNames {
			s.dirs, s.names = map[string]map[string]bool{}, 0
		}
		names = map[string]bool{}
		if ents, err := fs.ReadDir(s.fsys, path.Clean(dir)); err == nil {
			for _, e := range ents {
				names[e.Name()] = true
			}
			s.names += len(ents)
		}
		s.dirs[dir] = names
	}
	return names[name]
}

// attach finds the first of paths that exists and stores it; none → a missing attachment.
func (s *mediaStore) attach(m *wxmsg.Media, paths []string, data []byte, missing string) (archive.Attachment, error) {
	a := archive.Attachment{Kind: m.Kind, FileName: m.FileName, MIME: m.MIME}
	d := &archive.Details{DurationMS: m.DurationMS, Width: m.Width, Height: m.Height}
	if len(data) > 0 {
		head := data
		if len(head) > 512 {
			head = head[:512]
		}
		mt := sniff(m, "", head)
		sha, size, err := s.im.PutMedia(bytes.NewReader(data), mt, s.max)
		if err != nil {
			return a, err
		}
		a.SHA256, a.Size, a.MIME = sha, size, mt
		a.Details = detailsOrNil(d)
		return a, nil
	}
	for _, p := range paths {
		if !s.exists(p) {
			continue
		}
		f, err := s.fsys.Open(p)
		if err != nil {
			continue
		}
		st, err := f.Stat()
		if err != nil || st.IsDir() {
			f.Close()
			continue
		}
		r := bufio.NewReaderSize(f, 4096)
		head, _ := r.Peek(512)
		var src io.Reader = r
		if strings.HasSuffix(p, ".dat") {
			key, ok := xorKey(head)
			if !ok {
				f.Close()
				d.Missing = datMissing(head)
				continue
			}
			src = &xorReader{r: r, key: key}
			head = xorBytes(head, key)
		}
		mt := sniff(m, p, head)
		sha, size, err := s.im.PutMedia(src, mt, s.max)
		f.Close()
		if err != nil {
			return a, err
		}
		a.SHA256, a.Size, a.MIME = sha, size, mt
		d.Missing = ""
		a.Details = detailsOrNil(d)
		return a, nil
	}
	if d.Missing == "" {
		d.Missing = missing
		if m.Kind == archive.KindSticker {
			d.Missing = "stickers are not stored with the chat; the raw XML holds the CDN address"
		}
	}
	a.Details = detailsOrNil(d)
	return a, nil
}

func detailsOrNil(d *archive.Details) *archive.Details {
	if d.IsEmpty() {
		return nil
	}
	return d
}

// sniff picks the stored file's MIME type: images by content (WeChat's .pic is JPEG or PNG or
// GIF), voice by its header (SILK with WeChat's 0x02 byte, or AMR), files by extension.
func sniff(m *wxmsg.Media, p string, head []byte) string {
	switch m.Kind {
	case archive.KindPhoto, archive.KindGIF, archive.KindSticker:
		if t := http.DetectContentType(head); strings.HasPrefix(t, "image/") {
			return t
		}
	case archive.KindVoice:
		if bytes.HasPrefix(head, []byte("#!AMR")) {
			return "audio/amr"
		}
		if bytes.HasPrefix(head, []byte("\x02#!SILK")) || bytes.HasPrefix(head, []byte("#!SILK")) {
			return "audio/silk"
		}
	case archive.KindDocument:
		if t := mime.TypeByExtension(path.Ext(p)); t != "" {
			return t
		}
		return "application/octet-stream"
	}
	if m.MIME != "" {
		return m.MIME
	}
	return "application/octet-stream"
}
