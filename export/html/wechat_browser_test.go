package html

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chatvault/chatvault/export"
	"github.com/chatvault/chatvault/export/exporttest"
	"github.com/chatvault/chatvault/internal/browsertest"
	"github.com/chatvault/chatvault/internal/silk"
)

// TestBrowserWeChat opens the exported WeChat chat from disk in headless Chromium: the quote,
// the card, the transfer, the forwarded history opened by a click, and the voice note, whose
// <audio> loads its WAV and lasts 2 s; then the hostile WeChat chat, where nothing runs.
func TestBrowserWeChat(t *testing.T) {
	ctx := browsertest.New(t)
	out, info, _ := wechatExport(t)
	open := func(t *testing.T, rel string) {
		t.Helper()
		u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out, rel))}).String()
		if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
			t.Fatalf("open %s: %v", rel, err)
		}
		browsertest.WaitFor(t, ctx, `document.readyState === 'complete'`, 10*time.Second)
	}
	eval := func(t *testing.T, expr string) string { t.Helper(); return browsertest.Eval[string](t, ctx, expr) }

	t.Run("chat", func(t *testing.T) {
		open(t, "c/"+itoa(info.Conv)+"/p1.html")
		if got := eval(t, `document.querySelector('.quote .qt').textContent`); got != exporttest.WeChatQuoted {
			t.Errorf("quote %q", got)
		}
		if got := eval(t, `document.querySelector('a.card').href`); got != exporttest.WeChatLinkURL {
			t.Errorf("card links to %q", got)
		}
		if got := eval(t, `document.querySelector('.transfer').innerText.replace(/\n+/g, ' / ')`); got != "💸 "+exporttest.WeChatAmount+" / Transfer received / "+exporttest.WeChatMemo {
			t.Errorf("transfer shows %q", got)
		}
		hist := `document.querySelector('details.fwdh')`
		if browsertest.Eval[bool](t, ctx, hist+`.open || `+hist+`.querySelector('.fi .text').checkVisibility()`) {
			t.Error("the forwarded history starts open")
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`details.fwdh > summary`))); err != nil {
			t.Fatal(err)
		}
		browsertest.WaitFor(t, ctx, hist+`.open && `+hist+`.querySelector('.fi .text').checkVisibility()`, 10*time.Second)
		if got := eval(t, hist+`.querySelector('.fi .text').textContent`); got != exporttest.WeChatInner {
			t.Errorf("history's first message %q", got)
		}
		if got := eval(t, hist+`.querySelector(':scope details.fwdh > summary').textContent`); !strings.HasPrefix(got, exporttest.WeChatNested) {
			t.Errorf("nested history %q", got)
		}
		if silk.Supported {
			audio := `document.querySelector('audio')`
			browsertest.WaitFor(t, ctx, audio+` && `+audio+`.readyState >= 1`, 10*time.Second)
			if d := browsertest.Eval[float64](t, ctx, audio+`.duration`); d < 1.9 || d > 2.1 {
				t.Errorf("voice note lasts %.2f s, want 2", d)
			}
		}
		browsertest.Eval[int](t, ctx, hist+`.scrollIntoView(), 0`)
		browsertest.Screenshot(t, ctx, "wechat")
	})

	t.Run("hostile", func(t *testing.T) {
		open(t, "c/"+itoa(info.Hostile)+"/p1.html")
		browsertest.Eval[int](t, ctx, `document.querySelectorAll('details').forEach(d => d.open = true), 0`)
		time.Sleep(300 * time.Millisecond)
		if browsertest.Eval[bool](t, ctx, `window.__pwned !== undefined || document.title === 'pwned'`) {
			t.Error("a hostile payload ran")
		}
		text := eval(t, `document.getElementById('messages').innerText`)
		for _, want := range []string{exporttest.HostileScript, exporttest.HostileImg, exporttest.HostileSVG} {
			if !strings.Contains(text, want) {
				t.Errorf("not shown literally: %q", want)
			}
		}
		if n := browsertest.Eval[int](t, ctx, `Array.from(document.querySelectorAll('#messages a[href]')).filter(a => !/^https?:/.test(a.href)).length`); n != 0 {
			t.Errorf("%d links other than http(s)", n)
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#messages details.fwdh').length`); n != export.MaxForwardDepth+1 {
			t.Errorf("%d histories, want %d", n, export.MaxForwardDepth+1)
		}
		browsertest.Screenshot(t, ctx, "wechat-hostile")
	})
}
