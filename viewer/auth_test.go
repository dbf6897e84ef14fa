package viewer

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestAccessNeedsToken(t *testing.T) {
	a, _ := sampleArchive(t)
	s, c := serve(t, NewArchiveSource(a))
	root := base(s)
	for _, p := range []string{"/", "/api/conversations", "/api/messages?c=1", "/api/search?q=passport", "/media/" + strings.Repeat("a", 64), "/assets/app.js"} {
		resp, err := http.Get(root + p) // no cookie, no token
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s without token: %s, want 403", p, resp.Status)
		}
		resp, err = http.Get(root + p + sep(p) + "token=" + strings.Repeat("0", 32))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s with a wrong token: %s, want 403", p, resp.Status)
		}
	}
	// The cookie the first visit set lets the client in; the token left the address.
	resp, err := c.Get(root + "/api/conversations")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("with the cookie: %s", resp.Status)
	}
	var cookie *http.Cookie
	for _, k := range c.Jar.Cookies(resp.Request.URL) {
		cookie = k
	}
	if cookie == nil {
		t.Fatal("no cookie set")
	}
}

func sep(p string) string {
	if strings.Contains(p, "?") {
		return "&"
	}
	return "?"
}

func TestCookieFlagsAndRedirect(t *testing.T) {
	a, _ := sampleArchive(t)
	s, _ := serve(t, NewArchiveSource(a))
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || strings.Contains(resp.Header.Get("Location"), "token") {
		t.Errorf("first visit: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	set := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(set, want) {
			t.Errorf("cookie %q lacks %s", set, want)
		}
	}
}

func TestDNSRebindingRefused(t *testing.T) {
	a, _ := sampleArchive(t)
	s, c := serve(t, NewArchiveSource(a))
	req, _ := http.NewRequest("GET", base(s)+"/api/conversations?token="+s.Token(), nil)
	req.Host = "evil.example:" + strings.Split(base(s), ":")[2]
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("Host evil.example with the token: %s %s", resp.Status, body)
	}
	for _, h := range []string{"localhost:1", "127.0.0.1:1", "[::1]:1", "192.168.1.20:8080"} {
		if !hostAllowed(h) {
			t.Errorf("%s refused", h)
		}
	}
}

func TestOnlyReads(t *testing.T) {
	a, _ := sampleArchive(t)
	s, c := serve(t, NewArchiveSource(a))
	resp, err := c.Post(base(s)+"/api/conversations", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %s", resp.Status)
	}
}

func TestSecurityHeaders(t *testing.T) {
	a, _ := sampleArchive(t)
	s, c := serve(t, NewArchiveSource(a))
	resp, err := c.Get(base(s) + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:0": true, "localhost:8080": true, "[::1]:9": true, "0.0.0.0:80": false, ":8080": false, "192.168.1.2:80": false} {
		if IsLoopback(addr) != want {
			t.Errorf("IsLoopback(%q) != %v", addr, want)
		}
	}
}
