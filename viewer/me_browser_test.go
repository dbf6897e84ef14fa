package viewer

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chatvault/chatvault/export/exporttest"
	"github.com/chatvault/chatvault/internal/archivetest"
	"github.com/chatvault/chatvault/internal/browsertest"
)

// TestBrowserMeUnknown: in a two-person chat where no message is known to be the user's, both
// people's names show on their bubbles (live and from a snapshot's dump); once `chatvault me`
// says who the user is, their bubbles move to the user's side and the names go, as in any
// two-person chat.
func TestBrowserMeUnknown(t *testing.T) {
	ctx := browsertest.New(t)
	a := archivetest.Open(t)
	if _, err := exporttest.TwoStrangers(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	both := []string{exporttest.StrangerA, exporttest.StrangerB, exporttest.StrangerA, exporttest.StrangerB}
	live := NewArchiveSource(a)
	t.Run("archive", func(t *testing.T) { checkSides(t, ctx, live, both, 0) })
	t.Run("dump", func(t *testing.T) { checkSides(t, ctx, dumpOf(t, a), both, 0) })

	if _, err := a.SetMe(context.Background(), exporttest.StrangerB, nil); err != nil {
		t.Fatal(err)
	}
	t.Run("archive after me", func(t *testing.T) { checkSides(t, ctx, live, nil, 3) })
	t.Run("dump after me", func(t *testing.T) { checkSides(t, ctx, dumpOf(t, a), nil, 3) })
}

// checkSides opens the chat and compares the sender names shown, in order, and the number of
// bubbles on the user's side.
func checkSides(t *testing.T, ctx context.Context, src Source, names []string, out int) {
	s, _ := serve(t, src)
	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL())); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitFor(t, ctx, `document.body.dataset.ready === '1' && document.querySelectorAll('#convs li').length === 1`, 15*time.Second)
	h := "c=" + convID(t, src, "Dana")
	browsertest.Eval[string](t, ctx, `location.hash = `+jsString(h))
	browsertest.WaitFor(t, ctx, `document.body.dataset.view === `+jsString(h)+` && document.querySelectorAll('#messages .row').length === 6`, 15*time.Second)
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
