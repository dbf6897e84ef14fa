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
		mt := a.MIME
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
		mt = sniff(m, p, head)
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
	if *d == (archive.Details{}) {
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
