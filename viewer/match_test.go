package viewer

import (
	"reflect"
	"testing"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		text, q string
		want    [][2]int
		ok      bool
	}{
		{"My passport expires", "pass", [][2]int{{3, 7}}, true},
		{"My passport expires", "port", nil, false}, // words match from their start
		{"Café au lait", "cafe", [][2]int{{0, 4}}, true},
		{"CAFE\u0301 noir", "café", [][2]int{{0, 5}}, true}, // a combining accent belongs to its letter
		{"我的护照丢了", "护照", [][2]int{{2, 4}}, true},
		{"😂 passport 😂 Passport", "passport", [][2]int{{3, 11}, {15, 23}}, true}, // UTF-16: emoji are 2 units
		{"new passport arrived", `"passport arrived"`, [][2]int{{4, 20}}, true},
		{"new passport arrived", "passport missing", nil, false},
		{"<script>x</script>", "script", [][2]int{{1, 7}, {11, 17}}, true},
	} {
		got, ok := matchAll(c.text, parseTerms(c.q))
		if ok != c.ok || !reflect.DeepEqual(got, c.want) {
			t.Errorf("matchAll(%q, %q) = %v %v, want %v %v", c.text, c.q, got, ok, c.want, c.ok)
		}
	}
}
