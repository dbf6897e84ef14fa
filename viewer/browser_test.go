package viewer

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chatvault/chatvault/export/exporttest"
	"github.com/chatvault/chatvault/internal/browsertest"
)

// TestBrowser drives the viewer in headless Chromium, against the live archive and against its
// dump: the list renders, scrolling up loads older messages, a date jump lands on the day, search
// finds and highlights, the voice note's audio loads, the hostile chat runs nothing, and a
// browser without the token gets 403.
func TestBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	a, info := sampleArchive(t)
	eachSource(t, a, func(t *testing.T, src Source) { browse(t, ctx, src, info) })
}

func browse(t *testing.T, ctx context.Context, src Source, info exporttest.Info) {
	s, _ := serve(t, src)
	wait := func(t *testing.T, expr string) { t.Helper(); browsertest.WaitFor(t, ctx, expr, 15*time.Second) }
	eval := func(t *testing.T, expr string) string { t.Helper(); return browsertest.Eval[string](t, ctx, expr) }
	// hash shows a view and waits until the app has rendered it.
	hash := func(t *testing.T, h string) {
		t.Helper()
		browsertest.Eval[string](t, ctx, `location.hash = `+jsString(h))
		browsertest.WaitFor(t, ctx, `document.body.dataset.view === `+jsString(h), 15*time.Second)
	}
	notPwned := func(t *testing.T) {
		t.Helper()
		if browsertest.Eval[bool](t, ctx, `window.__pwned !== undefined || document.title === 'pwned'`) {
			t.Error("a hostile payload ran")
		}
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL())); err != nil {
		t.Fatal(err)
	}
	wait(t, `document.body.dataset.ready === '1' && document.querySelectorAll('#convs li').length === 3`)
	if strings.Contains(eval(t, `location.href`), "token") {
		t.Error("the token stays in the address bar")
	}
	browsertest.Screenshot(t, ctx, "list")

	t.Run("list dates", func(t *testing.T) {
		long := listed(t, src, "Long chat")
		shown := `document.querySelector('#convs li[data-id="` + long.ID + `"] .muted').textContent`
		day := fmt.Sprintf(`new Date(%d).toLocaleDateString()`, long.Last)
		if long.LastMonthOnly { // a snapshot before the month is read: the month, not its last day
			monthLabel := fmt.Sprintf(`new Date(%d).toLocaleDateString(undefined, {timeZone: "UTC", year: "numeric", month: "short"})`, long.Last)
			if !browsertest.Eval[bool](t, ctx, shown+`.endsWith(`+monthLabel+`) && !`+shown+`.includes(`+day+`)`) {
				t.Errorf("month-only date shown as %q", eval(t, shown))
			}
		} else if !browsertest.Eval[bool](t, ctx, shown+`.endsWith(`+day+`)`) {
			t.Errorf("last date shown as %q, want %s", eval(t, shown), eval(t, day))
		}
	})

	t.Run("scroll loads older", func(t *testing.T) {
		hash(t, "c="+convID(t, src, "Long chat"))
		wait(t, `document.querySelectorAll('#messages .row').length === 60`)
		if got := eval(t, `document.querySelector('#messages .row:last-child .text').textContent`); got != exporttest.LongText(longMessages-1) {
			t.Errorf("last message shown: %q", got)
		}
		browsertest.Screenshot(t, ctx, "long-latest")
		// Once its last month is read, a snapshot's chat shows its true last day too.
		if long := listed(t, src, "Long chat"); long.LastMonthOnly {
			t.Error("the last month was read but the date is still month-only")
		} else {
			wait(t, fmt.Sprintf(`document.querySelector('#convs li[data-id="%s"] .muted').textContent.endsWith(new Date(%d).toLocaleDateString())`, long.ID, long.Last))
		}
		older := exporttest.LongText(longMessages - 100)
		for i := 0; i < 3; i++ {
			browsertest.Eval[int](t, ctx, `document.getElementById('scroller').scrollTop = 0`)
			time.Sleep(200 * time.Millisecond)
		}
		wait(t, `document.getElementById('messages').textContent.includes('`+older+`')`)
		browsertest.Screenshot(t, ctx, "long-scrolled-up")
	})

	t.Run("scroll far and back", func(t *testing.T) {
		// The page keeps a window of messages: far up, the newest are dropped, and scrolling
		// down loads them again.
		older := exporttest.LongText(longMessages - 800)
		for i := 0; i < 60 && !browsertest.Eval[bool](t, ctx, `document.getElementById('messages').textContent.includes('`+older+`')`); i++ {
			browsertest.Eval[int](t, ctx, `document.getElementById('scroller').scrollTop = 0`)
			time.Sleep(100 * time.Millisecond)
		}
		wait(t, `document.getElementById('messages').textContent.includes('`+older+`')`)
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#messages .row').length`); n > 700 {
			t.Errorf("%d messages in the page: the window does not drop the far end", n)
		}
		newest := exporttest.LongText(longMessages - 1)
		for i := 0; i < 80 && !browsertest.Eval[bool](t, ctx, `document.getElementById('messages').textContent.includes('`+newest+`')`); i++ {
			browsertest.Eval[int](t, ctx, `(s => s.scrollTop = s.scrollHeight)(document.getElementById('scroller'))`)
			time.Sleep(100 * time.Millisecond)
		}
		wait(t, `document.getElementById('messages').textContent.includes('`+newest+`')`)
		checkOrder := browsertest.Eval[bool](t, ctx, `(() => { const t = Array.from(document.querySelectorAll('#messages .text')).map(e => e.textContent); return t.every((x, i) => i === 0 || x > t[i-1]); })()`)
		if !checkOrder {
			t.Error("messages out of order or repeated after scrolling")
		}
	})

	t.Run("jump to date", func(t *testing.T) {
		browsertest.Eval[string](t, ctx, `document.getElementById('jumpDate').value = '2022-02-01'`)
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#jumpForm button`))); err != nil {
			t.Fatal(err)
		}
		wait(t, `document.body.dataset.view === 'c=`+convID(t, src, "Long chat")+`&at=2022-02-01'`)
		// The day's first message is marked and at the top of the view; older ones load above it.
		got := eval(t, `(() => { const r = document.querySelector('#messages .row.target'); const d = new Date(+r.dataset.ts);
			const top = r.getBoundingClientRect().top - document.getElementById('scroller').getBoundingClientRect().top;
			return d.getFullYear() + '-' + (d.getMonth() + 1) + '-' + d.getDate() + (Math.abs(top) < 60 ? ' at top' : ' at ' + top); })()`)
		if got != "2022-2-1 at top" {
			t.Errorf("jumped to %s", got)
		}
		browsertest.Screenshot(t, ctx, "jumped")
	})

	t.Run("search", func(t *testing.T) {
		hash(t, "q=passport")
		wait(t, `document.querySelectorAll('#hits li').length >= 4`)
		if m := eval(t, `document.querySelector('#hits mark').textContent`); !strings.EqualFold(m, "passport") {
			t.Errorf("highlighted %q", m)
		}
		browsertest.Screenshot(t, ctx, "search")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#hits li`))); err != nil {
			t.Fatal(err)
		}
		wait(t, `document.querySelector('#messages .hit mark') !== null`)
		browsertest.Screenshot(t, ctx, "search-hit")
	})

	t.Run("voice note and photo", func(t *testing.T) {
		hash(t, "c="+convID(t, src, "Family Trip"))
		wait(t, `document.querySelector('#messages audio') !== null && document.querySelector('#messages audio').readyState >= 1`)
		if d := browsertest.Eval[float64](t, ctx, `document.querySelector('#messages audio').duration`); d < 0.9 || d > 1.1 {
			t.Errorf("voice note duration %.2f s", d)
		}
		got := browsertest.Eval[string](t, ctx, `fetch(document.querySelector('#messages audio').src, {headers: {Range: 'bytes=0-3'}}).then(r => r.status + ' ' + r.headers.get('content-type'))`)
		if got != "206 audio/wav" {
			t.Errorf("audio source fetch: %s", got)
		}
		// A shared place links to the link it was shared with.
		if href := eval(t, `document.querySelector('#messages .loc a').href`); href != "https://maps.google.com/?q=38.711900,-9.129500" {
			t.Errorf("location links to %q", href)
		}
		wait(t, `document.querySelector('img.thumb') && document.querySelector('img.thumb').naturalWidth === 160`)
		browsertest.Eval[int](t, ctx, `document.querySelector('img.thumb').scrollIntoView(), 0`)
		browsertest.Screenshot(t, ctx, "demo")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`img.thumb`))); err != nil {
			t.Fatal(err)
		}
		wait(t, `!document.getElementById('lightbox').hidden && document.querySelector('#lbContent img').complete`)
		browsertest.Screenshot(t, ctx, "lightbox")
		browsertest.Eval[int](t, ctx, `document.getElementById('lbClose').click(), 0`)
	})

	t.Run("hostile", func(t *testing.T) {
		hash(t, "c="+convID(t, src, "Evil"))
		wait(t, `document.querySelectorAll('#messages .row').length === 12`)
		time.Sleep(300 * time.Millisecond)
		notPwned(t)
		text := eval(t, `document.getElementById('messages').innerText`)
		for _, want := range []string{exporttest.HostileScript, exporttest.HostileImg, exporttest.HostileLink, exporttest.HostileSVG, "../../etc/passwd"} {
			if !strings.Contains(text, want) {
				t.Errorf("not shown literally: %q", want)
			}
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#messages script, #messages svg, #messages [onerror], #messages [onload], #messages iframe').length`); n != 0 {
			t.Errorf("%d elements made from message text", n)
		}
		if n := browsertest.Eval[int](t, ctx, `Array.from(document.querySelectorAll('a[href]')).filter(a => !/^(https?|mailto):/.test(a.href)).length`); n != 0 {
			t.Errorf("%d links with other schemes", n)
		}
		if strings.ContainsRune(eval(t, `document.getElementById('convTitle').textContent`), '\u202e') {
			t.Error("the title keeps its override")
		}
		// Opening the hostile attachments directly: downloads or inert, never a page that runs.
		for _, sha := range hostileMedia(t) {
			got := browsertest.Eval[string](t, ctx, `fetch('/media/`+sha+`').then(r => r.headers.get('content-type') + ' ' + r.headers.get('content-disposition'))`)
			if !strings.HasPrefix(got, "application/octet-stream attachment") {
				t.Errorf("hostile media served as %s", got)
			}
		}
		notPwned(t)
		browsertest.Screenshot(t, ctx, "hostile")
	})

	t.Run("403 without token", func(t *testing.T) {
		fresh, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
		defer cancel()
		resp, err := chromedp.Run(fresh, chromedp.NavigateResponse(base(s)+"/"))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 403 {
			t.Errorf("without the token: %d", resp.Status)
		}
		browsertest.Screenshot(t, fresh, "forbidden")
	})
}

func jsString(s string) string { return fmt.Sprintf("%q", s) }
