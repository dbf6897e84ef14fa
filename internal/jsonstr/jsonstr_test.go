package jsonstr

import (
	"bytes"
	"encoding/json"
	"testing"
)

// Append must give encoding/json's bytes, with and without HTML escaping.
func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "plain", `quote " and \ back`, "</script><!-- & >", "\b\f\n\r\t\x00\x1f\x7f",
		"a\u2028b\u2029c", "bad \xff utf8 \xe2\x82", "emoji 😂 张三", "\ufffd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, html := range []bool{false, true} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(html)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			if got := Append([]byte("x"), s, html); string(got) != "x"+string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
				t.Fatalf("escapeHTML=%v %q:\n got %s\nwant %s", html, s, got[1:], want.Bytes())
			}
		}
	})
}
