package html

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
	"github.com/chatvault/chatvault/internal/silk"
)

// mediaCopier copies attachments' files into media/ under names chatvault makes, once each. A
// previous export's copy is hard-linked instead of copied again (a link, not a move, so a failed
// export leaves the previous one whole). Whether a file is already there
// is asked of the file system, not remembered, so memory does not grow with the media count.
type mediaCopier struct {
	e *exporter
}

func (e *exporter) mediaCopier() *mediaCopier { return &mediaCopier{e: e} }

func (c *mediaCopier) view(a archive.Attachment) (mediaView, error) {
	e := c.e
	name := export.CleanName(a.FileName)
	v := mediaView{Name: name, Icon: icon(a.Kind), Size: humanSize(a.Size)}
	switch {
	case a.SHA256 == "":
		v.Missing = "not included"
		if a.Details != nil && a.Details.Missing != "" {
			v.Missing = "not included: " + a.Details.Missing
		}
		e.rep.MediaMissing++
		return v, nil
	case e.opts.WithoutMedia:
		v.Missing = "exported without media"
		return v, nil
	case !archive.ValidSHA256(a.SHA256):
		v.Missing = "damaged reference"
		return v, nil
	}
	ext, typ := export.SafeType(a.MIME, a.FileName)
	file := a.SHA256 + "." + ext
	if v.Name == "" {
		v.Name = file
	}
	if export.ToWAV(a.MIME) && a.Kind != archive.KindDocument {
		wav := a.SHA256 + ".wav"
		ok, err := c.ensureWAV(a.SHA256, wav)
		if err != nil {
			return v, err
		}
		if ok { // else: the original bytes, offered for download
			ext, typ, file = "wav", "audio/wav", wav
		}
	}
	ok, err := c.ensure(a.SHA256, file)
	if err != nil {
		return v, err
	}
	if !ok {
		v.Missing = "file not found in the archive"
		e.rep.MediaMissing++
		return v, nil
	}
	v.Href = "../../media/" + file
	v.Shown = export.Shown(typ)
	if a.Kind == archive.KindDocument || a.Kind == archive.KindContact {
		v.Shown = "" // a document that happens to be an image is still offered as a file
	}
	return v, nil
}

// ensureWAV puts a voice note in place converted to WAV (see internal/silk); false when the
// archive does not have it or it does not convert (then the export offers its original bytes;
// the report counts it).
func (c *mediaCopier) ensureWAV(sha, file string) (bool, error) {
	e := c.e
	dst := filepath.Join(e.root, "media", file)
	if _, err := os.Stat(dst); err == nil {
		return true, nil
	}
	if e.previous != "" {
		if old := filepath.Join(e.previous, "media", file); os.MkdirAll(filepath.Dir(dst), 0o755) == nil && os.Link(old, dst) == nil {
			st, _ := os.Stat(dst)
			e.rep.MediaFiles++
			e.rep.MediaBytes += st.Size()
			return true, nil
		}
	}
	src, err := e.a.OpenMedia(sha)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	wav, err := silk.ToWAV(e.ctx, src)
	src.Close()
	if err != nil {
		if e.ctx.Err() != nil {
			return false, e.ctx.Err()
		}
		e.rep.VoiceNotConverted++
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return false, err
	}
	if err := os.WriteFile(dst, wav, 0o644); err != nil {
		os.Remove(dst)
		return false, err
	}
	e.rep.MediaFiles++
	e.rep.MediaBytes += int64(len(wav))
	return true, nil
}

// ensure puts the media file in place; false when the archive does not have it.
func (c *mediaCopier) ensure(sha, file string) (bool, error) {
	e := c.e
	dst := filepath.Join(e.root, "media", file)
	if _, err := os.Stat(dst); err == nil {
		return true, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return false, err
	}
	if e.previous != "" {
		old := filepath.Join(e.previous, "media", file)
		if st, err := os.Stat(old); err == nil && st.Mode().IsRegular() && os.Link(old, dst) == nil {
			e.rep.MediaFiles++
			e.rep.MediaBytes += st.Size()
			return true, nil
		}
	}
	src, err := e.a.OpenMedia(sha)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer src.Close()
	f, err := os.Create(dst)
	if err != nil {
		return false, err
	}
	n, err := io.Copy(f, src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return false, err
	}
	e.rep.MediaFiles++
	e.rep.MediaBytes += n
	return true, nil
}
