package html

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chatvault/chatvault/export/exporttest"
	"github.com/chatvault/chatvault/internal/browsertest"
)

// TestBrowser opens an export from disk in headless Chromium, as a person would double-click
// index.html: pages render, media play, paging and search work, and the hostile chat runs
// nothing.
func TestBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	a, info := sampleArchive(t, 2500)
	out := filepath.Join(t.TempDir(), "chats")
	if _, err := Export(context.Background(), a, out, Options{Location: time.UTC, PageSize: 1000}); err != nil {
		t.Fatal(err)
	}
	fileURL := func(rel string) string {
		p, q, _ := strings.Cut(rel, "?")
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out, p)), RawQuery: q}).String()
	}
	open := func(t *testing.T, rel string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(fileURL(rel))); err != nil {
			t.Fatalf("open %s: %v", rel, err)
		}
	}
	notPwned := func(t *testing.T, where string) {
		t.Helper()
		if browsertest.Eval[bool](t, ctx, `window.__pwned !== undefined || document.title === 'pwned'`) {
			t.Errorf("%s: a hostile payload ran", where)
		}
	}

	t.Run("index", func(t *testing.T) {
		open(t, "index.html")
		browsertest.WaitFor(t, ctx, `document.querySelectorAll('li.conv').length === 3`, 10*time.Second)
		titles := browsertest.Eval[string](t, ctx, `document.querySelector('ul.convs').innerText`)
		if !strings.Contains(titles, "Family Trip") || !strings.Contains(titles, "<script>") {
			t.Errorf("index shows %q", titles)
		}
		notPwned(t, "index")
		browsertest.Screenshot(t, ctx, "index")
	})

	t.Run("demo media", func(t *testing.T) {
		open(t, "c/"+itoa(info.Demo)+"/p1.html")
		browsertest.WaitFor(t, ctx, `document.querySelector('audio') && document.querySelector('audio').readyState >= 1`, 10*time.Second)
		dur := browsertest.Eval[float64](t, ctx, `document.querySelector('audio').duration`)
		if dur < 0.9 || dur > 1.1 {
			t.Errorf("voice note duration %.2fs, want about 1s", dur)
		}
		browsertest.WaitFor(t, ctx, `document.querySelector('img').complete && document.querySelector('img').naturalWidth === 160`, 10*time.Second)
		browsertest.Screenshot(t, ctx, "demo")
	})

	t.Run("hostile", func(t *testing.T) {
		open(t, "c/"+itoa(info.Hostile)+"/p1.html")
		browsertest.WaitFor(t, ctx, `document.readyState === 'complete'`, 10*time.Second)
		time.Sleep(300 * time.Millisecond) // give any handler that got through a chance to fire
		notPwned(t, "hostile page")
		body := browsertest.Eval[string](t, ctx, `document.getElementById('messages').innerText`)
		for _, want := range []string{exporttest.HostileScript, exporttest.HostileImg, exporttest.HostileLink, "../../etc/passwd"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page does not show %q literally", want)
			}
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#messages script, #messages img[src="x"], #messages svg, #messages [onerror], #messages [onload]').length`); n != 0 {
			t.Errorf("%d elements made from message text", n)
		}
		hrefs := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll('a[href]')).map(a => a.href)`)
		for _, h := range hrefs {
			if strings.HasPrefix(h, "javascript:") || strings.HasPrefix(h, "file:") && !strings.HasPrefix(h, fileURL("")) {
				t.Errorf("link %q leaves the export", h)
			}
		}
		browsertest.Screenshot(t, ctx, "hostile")
	})

	t.Run("paging", func(t *testing.T) {
		open(t, "c/"+itoa(info.Long)+"/p1.html")
		browsertest.WaitFor(t, ctx, `document.querySelectorAll('.msg').length === 1000`, 10*time.Second)
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(pageLoad, nil, chromedp.Click(chromedp.CSS(`header a[rel=next]`)))); err != nil {
			t.Fatal(err)
		}
		browsertest.WaitFor(t, ctx, `document.body.innerText.includes('`+exporttest.LongText(1000)+`')`, 10*time.Second)
		browsertest.Screenshot(t, ctx, "long-page-2")
	})

	t.Run("search", func(t *testing.T) {
		open(t, "search.html?q=passport")
		browsertest.WaitFor(t, ctx, `document.querySelectorAll('#results li').length >= 4`, 20*time.Second)
		mark := browsertest.Eval[string](t, ctx, `document.querySelector('#results mark').textContent`)
		if !strings.EqualFold(mark, "passport") {
			t.Errorf("highlighted %q", mark)
		}
		browsertest.Screenshot(t, ctx, "search-passport")

		want := exporttest.LongText(2345)
		open(t, "search.html?q="+url.QueryEscape(`"`+want+`"`))
		browsertest.WaitFor(t, ctx, `document.getElementById('status').textContent.includes('result')`, 20*time.Second)
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#results li').length`); n != 1 {
			t.Fatalf("%d results for one exact message", n)
		}
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(pageLoad, nil, chromedp.Click(chromedp.CSS(`#results a`)))); err != nil {
			t.Fatal(err)
		}
		browsertest.WaitFor(t, ctx, `location.hash === '#m2346' && document.querySelector('#m2346 mark') !== null`, 10*time.Second)
		browsertest.Screenshot(t, ctx, "search-hit")
	})
}
