package html

import (
	"context"
	"net/url"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chatvault/chatvault/export/exporttest"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/browsertest"
)

// TestBrowserMeUnknown: an exported two-person chat in which no message is known to be the
// user's names both people on their bubbles; exported again after `chatvault me`, the user's
// bubbles are on their side and unnamed.
func TestBrowserMeUnknown(t *testing.T) {
	ctx := browsertest.New(t)
	a := archivetest.Open(t)
	conv, err := exporttest.TwoStrangers(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, names []string, out int) {
		dir := filepath.Join(t.TempDir(), "chats")
		if _, err := Export(context.Background(), a, dir, Options{Location: time.UTC}); err != nil {
			t.Fatal(err)
		}
		page := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, "c", itoa(conv), "p1.html"))}).String()
		if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
			t.Fatal(err)
		}
		browsertest.WaitFor(t, ctx, `document.readyState === 'complete'`, 10*time.Second)
		browsertest.Screenshot(t, ctx, "me-unknown")
		got := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#messages .msg .sender')).map(e => e.textContent)`)
		if len(got) == 0 {
			got = nil
		}
		if !reflect.DeepEqual(got, names) {
			t.Errorf("sender names shown: %q, want %q", got, names)
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#messages .msg.out').length`); n != out {
			t.Errorf("%d bubbles on the user's side, want %d", n, out)
		}
	}
	t.Run("unknown", func(t *testing.T) {
		check(t, []string{exporttest.StrangerA, exporttest.StrangerB, exporttest.StrangerA, exporttest.StrangerB}, 0)
	})
	if _, err := a.SetMe(context.Background(), exporttest.StrangerB, nil); err != nil {
		t.Fatal(err)
	}
	t.Run("after me", func(t *testing.T) { check(t, nil, 3) })
}
