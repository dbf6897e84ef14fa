package viewer

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
	"github.com/chatvault/chatvault/export/exporttest"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/silk"
)

func wechatArchive(t testing.TB) (*archive.Archive, exporttest.WeChatInfo) {
	t.Helper()
	a := archivetest.Open(t)
	info, err := exporttest.WeChat(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return a, info
}

// TestWeChatAPI: a WeChat chat's cards, transfers, histories and quote reach the browser whole,
// and its SILK voice note is served as WAV, from the archive and from its dump.
func TestWeChatAPI(t *testing.T) {
	a, info := wechatArchive(t)
	eachSource(t, a, func(t *testing.T, src Source) { checkWeChat(t, src, info) })
}

func checkWeChat(t *testing.T, src Source, info exporttest.WeChatInfo) {
	s, c := serve(t, src)
	root := base(s)
	var page Page
	getJSON(t, c, root+"/api/messages?c="+convID(t, src, exporttest.WeChatTitle), &page)
	if len(page.Messages) != 8 {
		t.Fatalf("%d messages, want 8", len(page.Messages))
	}
	byUID := map[string]Message{}
	for _, m := range page.Messages {
		byUID[m.UID] = m
	}
	if r := byUID["wx:1002"].Reply; r == nil || r.Text != exporttest.WeChatQuoted || r.Sender == nil || r.Sender.Name != "王芳" {
		t.Errorf("reply: %+v", r)
	}
	if d := byUID["wx:1003"].Details; d == nil || d.Link == nil || d.Link.URL != exporttest.WeChatLinkURL || d.Link.Title != exporttest.WeChatLinkTitle || d.Link.Source != "示例公众号" {
		t.Errorf("link card: %+v", d)
	}
	if d := byUID["wx:1004"].Details; d == nil || d.Transfer == nil || d.Transfer.Amount != exporttest.WeChatAmount || d.Transfer.Memo != exporttest.WeChatMemo || d.Transfer.State != "sent" {
		t.Errorf("transfer: %+v", d)
	}
	h := byUID["wx:1007"].Details
	if h == nil || h.Forwarded == nil || h.Forwarded.Title != exporttest.WeChatHistory || len(h.Forwarded.Items) != 3 {
		t.Fatalf("forwarded history: %+v", h)
	}
	it := h.Forwarded.Items[2]
	if it.Sender != "王芳" || it.Details == nil || it.Details.Forwarded == nil || len(it.Details.Forwarded.Items) != 1 || it.Details.Forwarded.Items[0].Text != exporttest.WeChatNestedText {
		t.Errorf("nested history: %+v", it)
	}
	if h.Forwarded.Items[1].Kind != archive.KindPhoto || h.Forwarded.Items[0].Time == 0 {
		t.Errorf("history items: %+v", h.Forwarded.Items[:2])
	}

	voice := byUID["wx:1008"]
	if len(voice.Attachments) != 1 {
		t.Fatalf("voice note: %+v", voice)
	}
	va := voice.Attachments[0]
	if !silk.Supported {
		if va.Shown != "" {
			t.Errorf("no decoder here, yet the voice note is shown as %q", va.Shown)
		}
		return
	}
	if va.Shown != "audio" || va.Type != "audio/wav" || va.SHA256 != info.VoiceSHA {
		t.Errorf("voice attachment %+v", va)
	}
	body, resp := fetch(t, c, root+"/media/"+va.SHA256, "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/wav" {
		t.Fatalf("voice note: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	if string(body[:4]) != "RIFF" || len(body) != 44+2*silk.SampleRate*2 || binary.LittleEndian.Uint32(body[24:]) != silk.SampleRate {
		t.Errorf("voice note as WAV: %d bytes, header %q", len(body), body[:min(44, len(body))])
	}
	part, resp := fetch(t, c, root+"/media/"+va.SHA256, "bytes=44-1043")
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, body[44:1044]) {
		t.Errorf("a range of the WAV: %s, %d bytes", resp.Status, len(part))
	}
}

func fetch(t *testing.T, c *http.Client, u, rng string) ([]byte, *http.Response) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body, resp
}

// TestWeChatHostile: card links that are not web pages are dropped before they reach the
// browser, a history nested without end is cut at export.MaxForwardDepth, and a "voice note"
// that is no SILK, or far too long, is offered as a download of its bytes without taking the
// viewer down.
func TestWeChatHostile(t *testing.T) {
	a, _ := wechatArchive(t)
	ctx := context.Background()
	junk := []byte("ID3\x04" + strings.Repeat("not SILK", 1000))            // labelled audio/silk
	broken := []byte("#!SILK_V3\x00\x7f" + strings.Repeat("x", 0x7f00))     // a packet over the SDK's limit
	long := append([]byte("\x02#!SILK_V3"), make([]byte, silk.MaxInput)...) // 2 million empty packets
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "test"})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := im.Conversation(archive.Conversation{Service: "wechat", Key: "junk@chatroom", Title: "Junk voice", Kind: archive.ConvGroup})
	if err != nil {
		t.Fatal(err)
	}
	var shas []string
	for i, data := range [][]byte{junk, broken, long} {
		sha, _, err := im.PutMedia(bytes.NewReader(data), "audio/silk", 0)
		if err != nil {
			t.Fatal(err)
		}
		shas = append(shas, sha)
		if err := im.AddMessage(&archive.Message{ConversationID: conv, UID: sha, Kind: archive.KindVoice, Time: time.Unix(int64(1e9+i), 0),
			Attachments: []archive.Attachment{{Kind: archive.KindVoice, MIME: "audio/silk", SHA256: sha}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	src := NewArchiveSource(a)
	s, c := serve(t, src)
	root := base(s)

	var page Page
	getJSON(t, c, root+"/api/messages?c="+convID(t, src, "Evil WeChat"), &page)
	if len(page.Messages) != 4 {
		t.Fatalf("%d messages", len(page.Messages))
	}
	raw, _ := json.Marshal(page)
	for _, bad := range []string{"javascript:", "data:text"} {
		if bytes.Contains(raw, []byte(bad)) {
			t.Errorf("%s reaches the browser", bad)
		}
	}
	if l := page.Messages[0].Details.Link; l == nil || l.Title != exporttest.HostileScript || l.URL != "" {
		t.Errorf("hostile card: %+v", l)
	}
	depth, h := 0, page.Messages[3].Details.Forwarded
	for h != nil {
		depth++
		var next *archive.ForwardedHistory
		for _, it := range h.Items {
			if it.Details != nil && it.Details.Forwarded != nil {
				next = it.Details.Forwarded
			}
		}
		if h.Title == "" || (next == nil && depth <= export.MaxForwardDepth && depth < exporttest.HostileDepth) {
			t.Errorf("level %d: %+v", depth, h)
		}
		h = next
	}
	if want := export.MaxForwardDepth + 1; depth != want { // the last one by its title only
		t.Errorf("history shown %d levels deep, want %d", depth, want)
	}

	for i, sha := range shas {
		start := time.Now()
		body, resp := fetch(t, c, root+"/media/"+sha, "")
		if resp.Header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("bad voice note %d served as %s %s", i, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
		}
		if !bytes.Equal(body, [][]byte{junk, broken, long}[i]) {
			t.Errorf("bad voice note %d: %d bytes served, not the original", i, len(body))
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("bad voice note %d took %v", i, d)
		}
	}
	// The viewer is still up.
	getJSON(t, c, root+"/api/conversations", &[]Conversation{})
}
