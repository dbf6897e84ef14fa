package export

import (
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
)

func TestWebURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://mp.weixin.qq.com/s/x?a=1": "https://mp.weixin.qq.com/s/x?a=1",
		" http://example.org/ ":            "http://example.org/",
		"HTTPS://Example.org":              "https://Example.org",
		"javascript:alert(1)":              "",
		"JavaScript:alert(1)":              "",
		"data:text/html,<script>":          "",
		"mailto:a@example.org":             "",
		"http:///nohost":                   "",
		"//example.org/x":                  "",
		"weixin://dl/business":             "",
		"":                                 "",
	} {
		if got := WebURL(in); got != want {
			t.Errorf("WebURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// nest makes a history n levels deep, each level with one text item and a card to javascript:.
func nest(n int) *archive.ForwardedHistory {
	var h *archive.ForwardedHistory
	for i := n; i >= 1; i-- {
		next := &archive.ForwardedHistory{Title: "level", Items: []archive.ForwardedItem{
			{Sender: "a", Kind: archive.KindText, Text: "x", Details: &archive.Details{Link: &archive.Link{URL: "javascript:x"}}}}}
		if h != nil {
			next.Items = append(next.Items, archive.ForwardedItem{Kind: archive.KindText, Details: &archive.Details{Forwarded: h}})
		}
		h = next
	}
	return h
}

func depthOf(h *archive.ForwardedHistory) int {
	n := 0
	for h != nil {
		n++
		var next *archive.ForwardedHistory
		for _, it := range h.Items {
			if it.Details != nil && it.Details.Forwarded != nil {
				next = it.Details.Forwarded
			}
			if it.Details != nil && it.Details.Link != nil && it.Details.Link.URL != "" {
				return -1
			}
		}
		h = next
	}
	return n
}

// TestShownDetails: histories are cut at MaxForwardDepth (the next level by its title) and
// MaxForwardItems, card links inside them lose non-web addresses, and the message's own details
// are left as they were.
func TestShownDetails(t *testing.T) {
	d := &archive.Details{Link: &archive.Link{Title: "t", URL: "javascript:x"}, Forwarded: nest(20)}
	got := ShownDetails(d)
	if got.Link.URL != "" || got.Link.Title != "t" {
		t.Errorf("card %+v", got.Link)
	}
	if n := depthOf(got.Forwarded); n != MaxForwardDepth+1 {
		t.Errorf("shown %d levels deep (-1: a javascript: link kept), want %d", n, MaxForwardDepth+1)
	}
	if d.Link.URL != "javascript:x" || depthOf(d.Forwarded) != -1 {
		t.Error("the message's own details were changed")
	}
	wide := &archive.ForwardedHistory{Items: make([]archive.ForwardedItem, MaxForwardItems+10)}
	if n := len(ShownDetails(&archive.Details{Forwarded: wide}).Forwarded.Items); n != MaxForwardItems {
		t.Errorf("%d items shown, want %d", n, MaxForwardItems)
	}
	plain := &archive.Details{DurationMS: 5}
	if ShownDetails(plain) != plain || ShownDetails(nil) != nil {
		t.Error("details without cards or histories are copied")
	}
}

func TestForwardedText(t *testing.T) {
	got := ForwardedText(nest(8), time.UTC)
	if n := strings.Count(got, "[chat history: level"); n != MaxForwardDepth+1 {
		t.Errorf("%d levels printed, want %d:\n%s", n, MaxForwardDepth+1, got)
	}
	if strings.Contains(got, "javascript:") || !strings.Contains(got, "(nested too deep to show)") {
		t.Errorf("printed:\n%s", got)
	}
}

func TestTransferLabel(t *testing.T) {
	for _, c := range []struct {
		t      archive.Transfer
		fromMe bool
		want   string
	}{
		{archive.Transfer{Type: "transfer", State: "sent"}, false, "Transfer received"},
		{archive.Transfer{Type: "transfer", State: "sent"}, true, "Transfer sent"},
		{archive.Transfer{Type: "transfer", State: "accepted"}, true, "Transfer accepted by you"},
		{archive.Transfer{Type: "transfer", State: "accepted"}, false, "Transfer accepted"},
		{archive.Transfer{Type: "transfer", State: "returned"}, false, "Transfer returned"},
		{archive.Transfer{Type: "red_packet"}, false, "Red packet"},
		{archive.Transfer{Type: "transfer", State: "odd\u202e"}, false, "Transfer (odd)"},
	} {
		if got := TransferLabel(&c.t, c.fromMe); got != c.want {
			t.Errorf("%+v from me %v: %q, want %q", c.t, c.fromMe, got, c.want)
		}
	}
}
