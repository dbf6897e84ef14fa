package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

var viewerURL = regexp.MustCompile(`Open (http://\S+)`)

// cmdViewer asks a running `chatvault view` what a browser would: `viewer OUT PATH` waits for the
// address the viewer printed to the file OUT, opens it (the token becomes a cookie, as in a
// browser), then GETs PATH and prints the answer. After /api/conversations it sets $CHAT to the
// first chat's id, for the next request.
func cmdViewer(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: viewer OUTFILE PATH")
	}
	var open string
	for deadline := time.Now().Add(60 * time.Second); open == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		b, _ := os.ReadFile(ts.MkAbs(args[0]))
		if m := viewerURL.FindSubmatch(b); m != nil {
			open = string(m[1])
		}
	}
	if open == "" {
		ts.Fatalf("no viewer address in %s", args[0])
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := c.Get(open)
	ts.Check(err)
	resp.Body.Close()
	u, err := url.Parse(open)
	ts.Check(err)
	resp, err = c.Get("http://" + u.Host + args[1])
	ts.Check(err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	ts.Check(err)
	ts.Stdout().Write(body)
	if failed := resp.StatusCode != http.StatusOK; failed != neg {
		ts.Fatalf("GET %s: %s", args[1], resp.Status)
	}
	if args[1] == "/api/conversations" {
		var list []struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(body, &list) == nil && len(list) > 0 {
			ts.Setenv("CHAT", list[0].ID)
		}
	}
}
