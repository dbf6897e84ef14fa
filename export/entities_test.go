package export

import (
	"reflect"
	"testing"

	"github.com/chatvault/chatvault/archive"
)

func TestLinkifyEntities(t *testing.T) {
	link := func(off, n int, href string) archive.Entity {
		return archive.Entity{Type: "text_link", Offset: off, Length: n, Href: href}
	}
	cases := []struct {
		text string
		ents []archive.Entity
		want []Segment
	}{
		// A hidden link target after a multi-byte rune: offsets count runes.
		{"🙂 site and https://a.example/x", []archive.Entity{{Type: "bold", Offset: 0, Length: 1}, link(2, 4, "https://example.org/?a=1&b=2")},
			[]Segment{{Text: "🙂 "}, {Text: "site", URL: "https://example.org/?a=1&b=2"}, {Text: " and "}, {Text: "https://a.example/x", URL: "https://a.example/x"}}},
		// Targets that are not http, https or mailto stay text.
		{"click me", []archive.Entity{link(0, 5, "javascript:alert(1)")}, []Segment{{Text: "click me"}}},
		// Out of range, negative, overlapping: ignored.
		{"abc", []archive.Entity{link(2, 5, "https://x.example/"), link(-1, 2, "https://x.example/")}, []Segment{{Text: "abc"}}},
		{"abcdef", []archive.Entity{link(0, 4, "https://x.example/"), link(2, 2, "https://y.example/")},
			[]Segment{{Text: "abcd", URL: "https://x.example/"}, {Text: "ef"}}},
	}
	for _, c := range cases {
		if got := LinkifyEntities(c.text, c.ents); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %+v, want %+v", c.text, got, c.want)
		}
	}
}
