package viewer

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export/exporttest"
)

// TestSources runs the same API checks against the live archive and against its dump (what a
// snapshot holds), through a real server.
func TestSources(t *testing.T) {
	a, info := sampleArchive(t)
	eachSource(t, a, func(t *testing.T, src Source) { checkAPI(t, src, info) })
}

// eachSource runs check on the live archive and on its dump (what a snapshot holds).
func eachSource(t *testing.T, a *archive.Archive, check func(t *testing.T, src Source)) {
	t.Helper()
	t.Run("archive", func(t *testing.T) { check(t, NewArchiveSource(a)) })
	t.Run("dump", func(t *testing.T) { check(t, dumpOf(t, a)) })
}

func checkAPI(t *testing.T, src Source, info exporttest.Info) {
	s, c := serve(t, src)
	root := base(s)
	long := convID(t, src, "Long chat")

	var convs []Conversation
	getJSON(t, c, root+"/api/conversations", &convs)
	if len(convs) != 3 {
		t.Fatalf("%d conversations", len(convs))
	}
	for _, cv := range convs {
		if strings.ContainsRune(cv.Title, '\u202e') {
			t.Errorf("title %q keeps its override", cv.Title)
		}
	}

	// The latest page, then every older page down to the first message: all 1500, in order.
	var page Page
	getJSON(t, c, root+"/api/messages?c="+long, &page)
	if len(page.Messages) != defaultPage || !page.MoreBefore || page.MoreAfter {
		t.Fatalf("latest page: %d messages, more before %v, after %v", len(page.Messages), page.MoreBefore, page.MoreAfter)
	}
	if got := page.Messages[len(page.Messages)-1].Text; got != exporttest.LongText(longMessages-1) {
		t.Errorf("latest message %q", got)
	}
	all := page.Messages
	for page.MoreBefore {
		first := page.Messages[0].Cursor
		page = Page{}
		getJSON(t, c, root+"/api/messages?limit=200&c="+long+"&before="+url.QueryEscape(first), &page)
		all = append(append([]Message(nil), page.Messages...), all...)
	}
	checkRun(t, "scrolling up", all, 0, longMessages)

	// Forwards from the first message.
	fwd := []Message{all[0]}
	page = Page{MoreAfter: true, Messages: []Message{all[0]}}
	for page.MoreAfter {
		last := page.Messages[len(page.Messages)-1].Cursor
		page = Page{}
		getJSON(t, c, root+"/api/messages?limit=500&c="+long+"&after="+url.QueryEscape(last), &page)
		fwd = append(fwd, page.Messages...)
	}
	checkRun(t, "scrolling down", fwd, 0, longMessages)

	// Jump to a date: the page starts at the first message at or after it.
	at := all[700].TS
	page = Page{}
	getJSON(t, c, fmt.Sprintf("%s/api/messages?c=%s&at=%d", root, long, at), &page)
	if len(page.Messages) == 0 || page.Messages[0].Text != exporttest.LongText(700) || !page.MoreBefore || !page.MoreAfter {
		t.Errorf("jump to %s: first %q", time.UnixMilli(at), first(page))
	}
	day := time.UnixMilli(all[900].TS).UTC().Format("2006-01-02")
	page = Page{}
	getJSON(t, c, root+"/api/messages?tz=0&c="+long+"&at="+day, &page)
	if len(page.Messages) == 0 || time.UnixMilli(page.Messages[0].TS).UTC().Format("2006-01-02") != day {
		t.Errorf("jump to %s: first message on %s", day, time.UnixMilli(page.Messages[0].TS).UTC())
	}

	// Around a message (a search hit): it is in the page, with messages on both sides.
	page = Page{}
	getJSON(t, c, root+"/api/messages?limit=20&c="+long+"&around="+url.QueryEscape(all[500].Cursor), &page)
	if len(page.Messages) != 20 || page.Messages[10].Text != exporttest.LongText(500) {
		t.Errorf("around: %d messages, middle %q", len(page.Messages), page.Messages[min(10, len(page.Messages)-1)].Text)
	}

	// Search: newest first, hits highlighted.
	var hits []Hit
	getJSON(t, c, root+"/api/search?q=passport", &hits)
	if len(hits) < 4 {
		t.Fatalf("%d hits for passport", len(hits))
	}
	for i, h := range hits {
		if len(h.Ranges) == 0 || strings.ToLower(utf16Slice(h.Message.Text, h.Ranges[0])) != "passport" {
			t.Errorf("hit %d %q: ranges %v", i, h.Message.Text, h.Ranges)
		}
		if i > 0 && h.Message.TS > hits[i-1].Message.TS {
			t.Error("hits are not newest first")
		}
	}
	hits = nil
	getJSON(t, c, root+"/api/search?q="+url.QueryEscape(`"`+exporttest.LongText(777)+`"`), &hits)
	if len(hits) != 1 || hits[0].Message.Text != exporttest.LongText(777) || hits[0].Conversation != long {
		t.Errorf("exact search: %+v", hits)
	}

	// Replies name what they answer.
	hostile := convID(t, src, "Evil")
	page = Page{}
	getJSON(t, c, root+"/api/messages?c="+hostile, &page)
	var reply *Reply
	for _, m := range page.Messages {
		if m.Text == "quoting" {
			reply = m.Reply
		}
	}
	if reply == nil || reply.Text != exporttest.HostileScript {
		t.Errorf("reply %+v", reply)
	}

	checkMedia(t, c, root, info)
}

func first(p Page) string {
	if len(p.Messages) == 0 {
		return ""
	}
	return p.Messages[0].Text
}

func checkRun(t *testing.T, what string, msgs []Message, from, to int) {
	t.Helper()
	if len(msgs) != to-from {
		t.Fatalf("%s: %d messages, want %d", what, len(msgs), to-from)
	}
	for i, m := range msgs {
		if m.Text != exporttest.LongText(from+i) {
			t.Fatalf("%s: message %d is %q", what, i, m.Text)
		}
	}
}

func utf16Slice(s string, r [2]int) string {
	u := []rune{}
	pos := 0
	for _, c := range s {
		n := 1
		if c >= 0x10000 {
			n = 2
		}
		if pos >= r[0] && pos < r[1] {
			u = append(u, c)
		}
		pos += n
	}
	return string(u)
}

func checkMedia(t *testing.T, c *http.Client, root string, info exporttest.Info) {
	get := func(sha, rng string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", root+"/media/"+sha, nil)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, body := get(info.PhotoSHA, "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || string(body[1:4]) != "PNG" {
		t.Errorf("photo: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	resp, body = get(info.VoiceSHA, "bytes=0-11")
	if resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Type") != "audio/wav" || string(body) != "RIFF"+string(body[4:8])+"WAVE" {
		t.Errorf("voice range: %s %s %q", resp.Status, resp.Header.Get("Content-Type"), body)
	}
	for _, sha := range hostileMedia(t) {
		resp, _ = get(sha, "")
		if resp.StatusCode == 200 && (resp.Header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment")) {
			t.Errorf("hostile media served as %s (%s)", resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
		}
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Error("media without a sandbox policy")
		}
	}
	resp, _ = get(strings.Repeat("0", 64), "")
	if resp.StatusCode != 404 {
		t.Errorf("unknown media: %s", resp.Status)
	}
	resp, _ = get("..%2F..%2Fetc%2Fpasswd", "")
	if resp.StatusCode != 404 {
		t.Errorf("path in media name: %s", resp.Status)
	}
}

// hostileMedia are the digests of the chat's .html and .svg attachments.
func hostileMedia(t *testing.T) []string {
	return []string{sha256Hex(exporttest.HostileHTML), sha256Hex(exporttest.HostileSVGDoc)}
}

var _ = archive.ValidSHA256
