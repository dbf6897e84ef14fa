package testsrv

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/net/webdav"
)

// WebDAVServer is a running WebDAV server over a temporary folder, with basic authentication.
type WebDAVServer struct {
	URL         string // webdav://127.0.0.1:port/ (webdavs:// for TLS)
	Username    string
	Password    string
	Fingerprint string // TLS only: SHA-256 of the self-signed certificate, hex
	Dir         string // what the server stores, as files
}

// WebDAV starts golang.org/x/net/webdav's server (the implementation many Go file servers
// embed) on 127.0.0.1 with a random port, over plain HTTP or, with useTLS, HTTPS with a
// self-signed certificate. It stops when the test ends.
func WebDAV(t testing.TB, useTLS bool) WebDAVServer {
	t.Helper()
	s := WebDAVServer{Username: "chatvault", Password: "dav-" + randomHex(12), Dir: t.TempDir()}
	dav := &webdav.Handler{FileSystem: webdav.Dir(s.Dir), LockSystem: webdav.NewMemLS()}
	auth := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != s.Username || p != s.Password {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		dav.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: auth}}
	scheme := "webdav://"
	if useTLS {
		srv.StartTLS()
		scheme = "webdavs://"
		cert := srv.TLS.Certificates[0]
		sum := sha256.Sum256(leaf(t, cert))
		s.Fingerprint = hex.EncodeToString(sum[:])
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	s.URL = scheme + strings.TrimPrefix(strings.TrimPrefix(srv.URL, "https://"), "http://") + "/"
	return s
}

func leaf(t testing.TB, c tls.Certificate) []byte {
	if len(c.Certificate) == 0 {
		t.Fatal("test server has no certificate")
	}
	return c.Certificate[0]
}
