package html

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPageHeaderSaysChatAndPage: every page's header gives the whole chat's count and dates,
// and separately the page's own, never the chat's count beside one page's dates.
func TestPageHeaderSaysChatAndPage(t *testing.T) {
	a, info := sampleArchive(t, 2500)
	out := filepath.Join(t.TempDir(), "chats")
	if _, err := Export(context.Background(), a, out, Options{Location: time.UTC, PageSize: 1000}); err != nil {
		t.Fatal(err)
	}
	// The sample's long chat: message i at 1 Jan 2022 08:00 plus i × 37 minutes.
	at := func(i int) string {
		return time.Date(2022, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 37 * time.Minute).Format("2 Jan 2006")
	}
	chat := fmt.Sprintf(`<p class="sub">2,500 messages, %s – %s</p>`, at(0), at(2499))
	for page, want := range map[int]string{
		1: fmt.Sprintf(`<p class="sub page-range">This page: messages 1–1,000, %s – %s</p>`, at(0), at(999)),
		2: fmt.Sprintf(`<p class="sub page-range">This page: messages 1,001–2,000, %s – %s</p>`, at(1000), at(1999)),
		3: fmt.Sprintf(`<p class="sub page-range">This page: messages 2,001–2,500, %s – %s</p>`, at(2000), at(2499)),
	} {
		p := read(t, filepath.Join(out, "c", itoa(info.Long), fmt.Sprintf("p%d.html", page)))
		if !strings.Contains(p, chat) || !strings.Contains(p, want) {
			head := p[strings.Index(p, "<header"):]
			t.Errorf("page %d header:\n%s\nwant %s and %s", page, head[:strings.Index(head, "</header>")], chat, want)
		}
	}
	// A one-page chat says only the chat's.
	demo := read(t, filepath.Join(out, "c", itoa(info.Demo), "p1.html"))
	if strings.Contains(demo, "page-range") || !strings.Contains(demo, `<p class="sub">26 messages, `) {
		t.Errorf("one-page chat header: %s", demo[strings.Index(demo, "<header"):strings.Index(demo, "</header>")])
	}
}
