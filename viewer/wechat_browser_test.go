package viewer

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chatvault/chatvault/export"
	"github.com/chatvault/chatvault/export/exporttest"
	"github.com/chatvault/chatvault/internal/browsertest"
	"github.com/chatvault/chatvault/internal/silk"
)

// TestBrowserWeChat opens a WeChat chat in headless Chromium: the quote, the article card (a
// web link), the transfer, the forwarded history (opened, with the history inside it), and the
// SILK voice note as an <audio> that loads and lasts its 2 seconds. Then the hostile WeChat
// chat: nothing runs, no link leaves http(s), the endless history stops at its depth.
func TestBrowserWeChat(t *testing.T) {
	if !silk.Supported {
		t.Skip("no SILK decoder on this processor")
	}
	ctx := browsertest.New(t)
	a, _ := wechatArchive(t)
	src := NewArchiveSource(a)
	s, _ := serve(t, src)
	wait := func(t *testing.T, expr string) { t.Helper(); browsertest.WaitFor(t, ctx, expr, 15*time.Second) }
	eval := func(t *testing.T, expr string) string { t.Helper(); return browsertest.Eval[string](t, ctx, expr) }
	hash := func(t *testing.T, h string) {
		t.Helper()
		browsertest.Eval[string](t, ctx, `location.hash = `+jsString(h))
		browsertest.WaitFor(t, ctx, `document.body.dataset.view === `+jsString(h), 15*time.Second)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL())); err != nil {
		t.Fatal(err)
	}
	wait(t, `document.body.dataset.ready === '1'`)

	t.Run("chat", func(t *testing.T) {
		hash(t, "c="+convID(t, src, exporttest.WeChatTitle))
		wait(t, `document.querySelectorAll('#messages .row').length === 8`)
		if got := eval(t, `document.querySelector('#messages .quote .qt').textContent`); got != exporttest.WeChatQuoted {
			t.Errorf("quote shows %q", got)
		}
		card := `document.querySelector('#messages a.card')`
		if got := eval(t, card+`.href + ' | ' + `+card+`.querySelector('.ct').textContent + ' | ' + `+card+`.querySelector('.cs').textContent`); got != exporttest.WeChatLinkURL+" | "+exporttest.WeChatLinkTitle+" | 🔗 示例公众号" {
			t.Errorf("article card: %q", got)
		}
		transfers := eval(t, `Array.from(document.querySelectorAll('#messages .transfer')).map(e => e.innerText.replace(/\n+/g, ' / ')).join(' || ')`)
		want := "💸 " + exporttest.WeChatAmount + " / Transfer received / " + exporttest.WeChatMemo + " || 💸 " + exporttest.WeChatAmount + " / Transfer accepted by you || 🧧 / Red packet / 恭喜发财，大吉大利"
		if transfers != want {
			t.Errorf("transfers:\n got %q\nwant %q", transfers, want)
		}
		// The history is closed until clicked; then its messages and the history inside show.
		hist := `document.querySelector('#messages details.fwdh')`
		if browsertest.Eval[bool](t, ctx, hist+`.open`) {
			t.Error("the forwarded history starts open")
		}
		if got := eval(t, hist+`.querySelector('summary').textContent`); got != exporttest.WeChatHistory+" · 3 messages" {
			t.Errorf("history summary %q", got)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#messages details.fwdh > summary`))); err != nil {
			t.Fatal(err)
		}
		wait(t, hist+`.open && `+hist+`.querySelector('.fi .text').checkVisibility()`)
		if got := eval(t, hist+`.querySelector('.fi .text').textContent`); got != exporttest.WeChatInner {
			t.Errorf("first item of the history: %q", got)
		}
		if got := eval(t, hist+`.querySelector('.fi .fs').textContent`); got != "王芳" {
			t.Errorf("first item's sender: %q", got)
		}
		inner := hist + `.querySelector('details.fwdh')`
		if got := eval(t, inner+`.querySelector('summary').textContent`); got != exporttest.WeChatNested+" · 1 message" {
			t.Errorf("nested history %q", got)
		}
		browsertest.Eval[bool](t, ctx, inner+`.open = true`)
		wait(t, inner+`.querySelector('.fi .text').checkVisibility()`)
		if got := eval(t, inner+`.querySelector('.fi .text').textContent`); got != exporttest.WeChatNestedText {
			t.Errorf("nested history's message %q", got)
		}
		// The voice note plays: Chromium loads the WAV the viewer makes of the SILK.
		audio := `document.querySelector('#messages audio')`
		wait(t, audio+` !== null && `+audio+`.readyState >= 1`)
		if d := browsertest.Eval[float64](t, ctx, audio+`.duration`); d < 1.9 || d > 2.1 {
			t.Errorf("voice note lasts %.2f s, want 2", d)
		}
		// And what it plays is the tone, not silence: Chromium's own decoder reads the file the
		// <audio> loads (a headless browser has no speaker to play it to).
		rms := browsertest.Eval[float64](t, ctx, `(async () => { const buf = await (await fetch(`+audio+`.src)).arrayBuffer();
			const ac = new OfflineAudioContext(1, 48000, 24000); const d = (await ac.decodeAudioData(buf)).getChannelData(0);
			let s = 0; for (const x of d) s += x * x; return Math.sqrt(s / d.length); })()`)
		t.Logf("voice note loudness (RMS) %.3f", rms)
		if rms < 0.05 { // the tone's is about 0.17
			t.Errorf("voice note's loudness %.3f: silence", rms)
		}
		browsertest.Eval[int](t, ctx, hist+`.scrollIntoView(), 0`)
		browsertest.Screenshot(t, ctx, "wechat")
	})

	t.Run("hostile", func(t *testing.T) {
		hash(t, "c="+convID(t, src, "Evil WeChat"))
		wait(t, `document.querySelectorAll('#messages .row').length === 4`)
		browsertest.Eval[int](t, ctx, `document.querySelectorAll('#messages details').forEach(d => d.open = true), 0`)
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
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#messages script, #messages svg, #messages img, #messages [onerror], #messages [onload], #messages iframe').length`); n != 0 {
			t.Errorf("%d elements made from message text", n)
		}
		if n := browsertest.Eval[int](t, ctx, `Array.from(document.querySelectorAll('#messages a[href]')).filter(a => !/^https?:/.test(a.href)).length`); n != 0 {
			t.Errorf("%d links other than http(s)", n)
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#messages details.fwdh').length`); n != export.MaxForwardDepth+1 {
			t.Errorf("%d nested histories shown, want %d", n, export.MaxForwardDepth+1)
		}
		browsertest.Screenshot(t, ctx, "wechat-hostile")
	})
}
