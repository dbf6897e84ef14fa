package vault

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// Exists tells a vault from a missing folder, an empty one and other data, with no password.
func TestExists(t *testing.T) {
	ctx := context.Background()
	tv := newLocalVault(t)

	other := filepath.Join(t.TempDir(), "photos")
	if err := os.MkdirAll(other, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "IMG_1.jpg"), []byte("not a vault"), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		dir  string
		want bool
	}{
		{tv.dir, true},
		{filepath.Join(t.TempDir(), "missing"), false},
		{t.TempDir(), false},
		{other, false},
	} {
		d, err := ParseDestination(tc.dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Exists(ctx, d)
		if err != nil || got != tc.want {
			t.Errorf("Exists(%s) = %v, %v; want %v", tc.dir, got, err, tc.want)
		}
	}
}
