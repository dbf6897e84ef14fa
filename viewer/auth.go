package viewer

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// newToken makes the 128-bit secret every request must carry.
func newToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// guard lets a request through only with the token and a Host header that names this machine.
//
// The token comes in the URL the viewer prints (?token=...); the first such request gets it back
// as an HttpOnly, SameSite=Strict cookie, and a page request is redirected to the same address
// without the token, so it does not linger in the address bar. Every later request (the API,
// media) carries the cookie. Without either: 403.
//
// The Host check defends against DNS rebinding: a web page on evil.example that points its own
// name at 127.0.0.1 reaches this port from the browser, but its requests say "Host: evil.example".
// Only IP literals and "localhost" are accepted.
type guard struct {
	token  string
	cookie string
	next   http.Handler
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	if !hostAllowed(r.Host) {
		http.Error(w, "403 forbidden: this address is not the viewer's (open the URL chatvault view printed)", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "405 method not allowed: the viewer only reads", http.StatusMethodNotAllowed)
		return
	}
	if t := r.URL.Query().Get("token"); t != "" && g.valid(t) {
		http.SetCookie(w, &http.Cookie{Name: g.cookie, Value: g.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		if !strings.HasPrefix(r.URL.Path, "/api/") && !strings.HasPrefix(r.URL.Path, "/media/") {
			q := r.URL.Query()
			q.Del("token")
			u := url.URL{Path: r.URL.Path, RawQuery: q.Encode(), Fragment: r.URL.Fragment}
			http.Redirect(w, r, u.String(), http.StatusSeeOther)
			return
		}
		g.next.ServeHTTP(w, r)
		return
	}
	if c, err := r.Cookie(g.cookie); err == nil && g.valid(c.Value) {
		g.next.ServeHTTP(w, r)
		return
	}
	http.Error(w, "403 forbidden: open the address chatvault view printed (it carries the access token)", http.StatusForbidden)
}

func (g *guard) valid(t string) bool {
	return len(t) == len(g.token) && subtle.ConstantTimeCompare([]byte(t), []byte(g.token)) == 1
}

func hostAllowed(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.EqualFold(h, "localhost") || net.ParseIP(h) != nil
}

// IsLoopback reports whether a listen address only accepts connections from this machine.
func IsLoopback(addr string) bool {
	h, _, err := net.SplitHostPort(addr)
	if err != nil {
		h = addr
	}
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// securityHeaders apply to every response: pages may load only the viewer's own files, run no
// inline script, be framed by nobody, and nothing is sniffed into a more dangerous type.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}
