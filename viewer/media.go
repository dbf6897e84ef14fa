package viewer

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/chatvault/chatvault/export"
)

// media serves a media file by its SHA-256, with ranges (audio and video seek with them). Only
// image, audio and video types are served as themselves; anything else (an .html or .svg
// attachment included) is a download of application/octet-stream, in a sandbox, so no file from
// a chat can run script with the viewer's origin. A SILK voice note is served as WAV (see
// voice.go); one that does not convert is offered as the download of its original bytes.
func (s *Server) media(w http.ResponseWriter, r *http.Request) {
	sha := r.PathValue("sha")
	m, err := s.src.OpenMedia(r.Context(), sha)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			http.Error(w, "404 no such media file", http.StatusNotFound)
			return
		}
		s.logf("viewer: media %s: %v", sha, err)
		http.Error(w, "500 the media file could not be read", http.StatusInternalServerError)
		return
	}
	defer m.Close()
	ext, typ := export.SafeType(m.Type, "")
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; media-src 'self'; img-src 'self'; sandbox")
	h.Set("Cache-Control", "private, max-age=31536000, immutable") // named by content: never changes
	if export.ToWAV(m.Type) {
		wav, err := s.voice.wav(r.Context(), sha, m)
		if err == nil {
			h.Set("Content-Type", "audio/wav")
			http.ServeContent(w, r, "", m.ModTime, bytes.NewReader(wav))
			return
		}
		if r.Context().Err() != nil {
			return
		}
		s.logf("viewer: voice note %s: %v", sha, err)
		if _, err := m.Seek(0, io.SeekStart); err != nil {
			http.Error(w, "500 the media file could not be read", http.StatusInternalServerError)
			return
		}
	}
	if export.Shown(typ) != "" {
		h.Set("Content-Type", typ)
	} else {
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", `attachment; filename="`+sha+"."+ext+`"`)
	}
	http.ServeContent(w, r, "", m.ModTime, m)
}
