package export

import (
	"fmt"
	"reflect"
	"testing"
)

func TestSafeType(t *testing.T) {
	for _, c := range []struct{ mime, name, ext, typ string }{
		{"image/jpeg", "x.jpg", "jpg", "image/jpeg"},
		{"audio/x-wav", "", "wav", "audio/wav"},
		{"audio/wave", "", "wav", "audio/wav"},
		{"audio/ogg; codecs=opus", "PTT.opus", "ogg", "audio/ogg"},
		{"text/html", "cat.jpg", "bin", "application/octet-stream"},
		{"image/svg+xml", "x.svg", "bin", "application/octet-stream"},
		{"", "IMG.JPG", "jpg", "image/jpeg"},
		{"", "page.html", "bin", "application/octet-stream"},
		{"", "../../etc/passwd", "bin", "application/octet-stream"},
	} {
		ext, typ := SafeType(c.mime, c.name)
		if ext != c.ext || typ != c.typ {
			t.Errorf("SafeType(%q, %q) = %s %s, want %s %s", c.mime, c.name, ext, typ, c.ext, c.typ)
		}
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":        "etc_passwd",
		"photo\u202egpj.exe":      "photogpj.exe",
		"IMG-20240303-WA0001.jpg": "IMG-20240303-WA0001.jpg",
		"a:b*c?.txt":              "a_b_c_.txt",
		"..":                      "file",
		".hidden":                 "hidden",
		"C:\\Users\\x\\evil.doc":  "C__Users_x_evil.doc",
		"line\nbreak.txt":         "line break.txt",
	} {
		if got := FileName(in); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLinkify(t *testing.T) {
	for in, want := range map[string][]Segment{
		"see https://example.org/x.":  {{Text: "see "}, {Text: "https://example.org/x", URL: "https://example.org/x"}, {Text: "."}},
		"javascript:alert(1)":         {{Text: "javascript:alert(1)"}},
		"(http://a.example/b_(c)) ok": {{Text: "("}, {Text: "http://a.example/b_(c)", URL: "http://a.example/b_(c)"}, {Text: ") ok"}},
		"mail mailto:x@example.org":   {{Text: "mail "}, {Text: "mailto:x@example.org", URL: "mailto:x@example.org"}},
		"xhttps://no.example":         {{Text: "xhttps://no.example"}},
		"plain":                       {{Text: "plain"}},
	} {
		if got := Linkify(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Linkify(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestCleanName(t *testing.T) {
	if got := CleanName("  Eve \u202eevil\u202c\x07 "); got != "Eve evil" {
		t.Errorf("%q", got)
	}
	seen := map[int]bool{}
	for i := 0; i < 40; i++ {
		c := SenderColor(fmt.Sprintf("whatsapp/name:person%d", i))
		if c < 0 || c >= Palette {
			t.Fatalf("colour %d outside the palette", c)
		}
		seen[c] = true
	}
	if len(seen) < Palette/2 {
		t.Errorf("40 senders share only %d colours", len(seen))
	}
}
