package vcard

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export/exporttest"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		`a,b;c\d`:            `a\,b\;c\\d`,
		"two\nlines\r\nok":   `two\nlines\nok`,
		"bell\x07 rlo\u202e": "bell rlo",
		"Zoë 张":              "Zoë 张",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	long := "NOTE:" + strings.Repeat("äöü张", 40)
	got := Fold(long)
	if !strings.HasSuffix(got, "\r\n") {
		t.Fatal("no CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n")
	joined := ""
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets", i, len(l))
		}
		if i > 0 {
			if l[0] != ' ' {
				t.Errorf("continuation %d does not start with a space", i)
			}
			l = l[1:]
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a character", i)
		}
		joined += l
	}
	if joined != long {
		t.Error("unfolding does not give the line back")
	}
}

func TestCards(t *testing.T) {
	ctx := context.Background()
	a, err := archive.Open(ctx, filepath.Join(t.TempDir(), "a"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := exporttest.Build(ctx, a, 0); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := Write(ctx, a, &buf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if n != 5 || strings.Count(out, "BEGIN:VCARD\r\n") != 5 || strings.Count(out, "END:VCARD\r\n") != 5 {
		t.Errorf("%d cards:\n%s", n, out)
	}
	if strings.Contains(out, "FN:Ana\r\n") {
		t.Error("the user's own card is left out by default")
	}
	if !strings.Contains(out, "FN:<img src=x onerror=\"window.__pwned=1\\;document.title='pwned'\">Mallory\r\n") {
		t.Errorf("hostile name not escaped as vCard text:\n%s", out)
	}
	if strings.Contains(out, "\u202e") {
		t.Error("bidi override in a card")
	}
	for _, l := range strings.Split(out, "\r\n") {
		if len(l) > 75 {
			t.Errorf("unfolded line %q", l)
		}
	}
}
