package export

import (
	"strings"
	"testing"
)

// FuzzLinkify: the pieces always put the text back together, and every link is http, https or
// mailto.
func FuzzLinkify(f *testing.F) {
	for _, s := range []string{"see https://example.org/x.", "javascript:alert(1)", "mailto:a@b.c", "http://", "(http://a/b_(c))", "HTTPS://X.Y/Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		for _, seg := range Linkify(s) {
			b.WriteString(seg.Text)
			if seg.URL != "" {
				l := strings.ToLower(seg.URL)
				if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "mailto:") {
					t.Fatalf("link %q from %q", seg.URL, s)
				}
			}
		}
		if b.String() != s {
			t.Fatalf("pieces give %q, not %q", b.String(), s)
		}
	})
}

// FuzzFileName: whatever the input, the name is one plain, visible file name.
func FuzzFileName(f *testing.F) {
	for _, s := range []string{"../../etc/passwd", "a\u202eb", "..", "C:\\x", strings.Repeat("é", 200) + ".jpg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := FileName(s)
		if n == "" || n == "." || n == ".." || strings.ContainsAny(n, "/\\\x00") || strings.HasPrefix(n, ".") || len(n) > 120 {
			t.Fatalf("FileName(%q) = %q", s, n)
		}
		for _, r := range n {
			if IsBidiControl(r) || r < 0x20 {
				t.Fatalf("FileName(%q) = %q keeps %U", s, n, r)
			}
		}
	})
}
