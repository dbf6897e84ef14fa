package viewer

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"time"
)

//go:embed ui
var uiFiles embed.FS

// Options configure a Server.
type Options struct {
	// Addr is the address to listen on; "" is 127.0.0.1 on a random free port.
	Addr string
	// Token is the access secret; "" makes a random one.
	Token string
	// Logf, when set, receives one line per failed request.
	Logf func(format string, args ...any)
}

// Server serves a Source to a browser.
type Server struct {
	src   Source
	token string
	ln    net.Listener
	http  *http.Server
	logf  func(string, ...any)
	voice *voiceCache
}

// Listen starts listening (nothing is served until Serve).
func Listen(src Source, opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &Server{src: src, token: opts.Token, ln: ln, logf: opts.Logf, voice: newVoiceCache()}
	if s.token == "" {
		s.token = newToken()
	}
	if s.logf == nil {
		s.logf = func(string, ...any) {}
	}
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is the address to open, token included. A server listening on every interface is given
// as 127.0.0.1 (the address that works from this machine).
func (s *Server) URL() string {
	host, port, _ := net.SplitHostPort(s.ln.Addr().String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/?token=" + s.token
}

// Token is the access secret.
func (s *Server) Token() string { return s.token }

// Serve serves until ctx ends, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := s.http.Shutdown(sctx)
		if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
			err = e
		}
		return err
	}
}

// Close stops the server at once.
func (s *Server) Close() error { return s.http.Close() }

// Handler is the whole app behind the token guard.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	ui, _ := fs.Sub(uiFiles, "ui")
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		http.ServeFileFS(w, r, ui, "index.html")
	})
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(ui)))
	mux.HandleFunc("GET /api/info", s.api(s.info))
	mux.HandleFunc("GET /api/conversations", s.api(s.conversations))
	mux.HandleFunc("GET /api/messages", s.api(s.messages))
	mux.HandleFunc("GET /api/search", s.api(s.search))
	mux.HandleFunc("GET /media/{sha}", s.media)
	port := ""
	if _, p, err := net.SplitHostPort(s.ln.Addr().String()); err == nil {
		port = p
	}
	return &guard{token: s.token, cookie: "chatvault_" + port, next: mux}
}
