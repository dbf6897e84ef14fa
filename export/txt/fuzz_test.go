package txt

import (
	"strings"
	"testing"
)

// FuzzGuardLine: a guarded line is the line plus marks, which importers remove.
func FuzzGuardLine(f *testing.F) {
	for _, s := range []string{"12/03/2024, 10:00 - Bob: x", "[1.2.24 9.15] y", "no digits", "٢:٠٧"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g := guardLine(s)
		if strings.ReplaceAll(g, lrm, "") != strings.ReplaceAll(s, lrm, "") {
			t.Fatalf("guardLine(%q) = %q changes more than marks", s, g)
		}
	})
}
