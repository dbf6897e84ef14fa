package html

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
	"github.com/chatvault/chatvault/export/exporttest"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/silk"
)

func wechatExport(t testing.TB) (string, exporttest.WeChatInfo, *Report) {
	t.Helper()
	a := archivetest.Open(t)
	info, err := exporttest.WeChat(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "chats")
	rep, err := Export(context.Background(), a, out, Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	return out, info, rep
}

// TestWeChatPage: the WeChat chat's page holds the card (a web link), the transfers, the
// forwarded history with the one inside it, and the voice note as a WAV the page plays.
func TestWeChatPage(t *testing.T) {
	out, info, rep := wechatExport(t)
	page := read(t, filepath.Join(out, "c", itoa(info.Conv), "p1.html"))
	for _, want := range []string{
		`<a class="card" href="` + exporttest.WeChatLinkURL + `"`, `<bdi class="ct">` + exporttest.WeChatLinkTitle + `</bdi>`, `🔗 示例公众号`,
		`<div class="ta">💸 ` + exporttest.WeChatAmount + `</div><div class="tl">Transfer received</div><div class="tm" dir="auto">` + exporttest.WeChatMemo + `</div>`,
		`<div class="tl">Transfer accepted by you</div>`, `<div class="tl">Red packet</div>`,
		`<details class="fwdh"><summary><bdi>` + exporttest.WeChatHistory + `</bdi><span class="size"> · 3 messages</span>`,
		`<summary><bdi>` + exporttest.WeChatNested + `</bdi><span class="size"> · 1 message</span>`, exporttest.WeChatNestedText,
		`<div class="missing">📷 photo</div>`, `<bdi class="fs">王芳</bdi> <span class="size">2025-01-16 01:00</span>`,
		`<div class="qt" dir="auto">` + exporttest.WeChatQuoted + `</div>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// The card's and the history's titles are not repeated as text.
	if n := strings.Count(page, exporttest.WeChatLinkTitle); n != 1 {
		t.Errorf("the card's title appears %d times", n)
	}
	if !silk.Supported {
		return
	}
	wav := filepath.Join(out, "media", info.VoiceSHA+".wav")
	if !strings.Contains(page, `<audio controls preload="metadata" src="../../media/`+info.VoiceSHA+`.wav">`) {
		t.Error("the voice note is not an <audio> of its WAV")
	}
	b, err := os.ReadFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	if string(b[:4]) != "RIFF" || len(b) != 44+2*2*silk.SampleRate {
		t.Errorf("WAV of %d bytes", len(b))
	}
	if rep.VoiceNotConverted != 0 {
		t.Errorf("report: %+v", rep)
	}
}

// TestWeChatHostilePage: no javascript: or data: link, no markup from the hostile chat's cards,
// transfers and histories; the endless history stops at its depth; a voice note that is not
// SILK is kept as its file, and the report says so.
func TestWeChatHostilePage(t *testing.T) {
	a := archivetest.Open(t)
	ctx := context.Background()
	info, err := exporttest.WeChat(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: "test"})
	if err != nil {
		t.Fatal(err)
	}
	junk, _, err := im.PutMedia(strings.NewReader("ID3\x04 not SILK at all"), "audio/silk", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := im.AddMessage(&archive.Message{ConversationID: info.Hostile, UID: "junk", FromMe: true, Kind: archive.KindVoice, Time: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		Attachments: []archive.Attachment{{Kind: archive.KindVoice, MIME: "audio/silk", SHA256: junk}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "chats")
	rep, err := Export(ctx, a, out, Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	page := read(t, filepath.Join(out, "c", itoa(info.Hostile), "p1.html"))
	for _, bad := range []string{"javascript:", "data:text", "<script>", "<img", "<svg"} {
		if strings.Contains(strings.ToLower(page), bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	if n := strings.Count(page, `<details class="fwdh">`); n != export.MaxForwardDepth+1 {
		t.Errorf("%d histories shown, want %d", n, export.MaxForwardDepth+1)
	}
	if !strings.Contains(page, "(nested too deep to show)") {
		t.Error("the cut history does not say so")
	}
	if silk.Supported {
		if rep.VoiceNotConverted != 1 || !strings.Contains(page, `href="../../media/`+junk+`.bin"`) {
			t.Errorf("junk voice note: report %+v", rep)
		}
	}
}
