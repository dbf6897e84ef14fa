package sqlcipher

import (
	"slices"
	"testing"
)

// Expected values from coreutils: echo -n "<id><uin>" | md5sum, first 7 hex characters.
func TestWeChatAndroidKey(t *testing.T) {
	for _, c := range []struct{ id, uin, want string }{
		{"1234567890ABCDEF", "-123456", "a9b408d"},
		{"358240051111110", "123456789", "b96e3be"},
	} {
		if got := string(WeChatAndroidKey(c.id, c.uin)); got != c.want {
			t.Errorf("WeChatAndroidKey(%q, %q) = %q, want %q", c.id, c.uin, got, c.want)
		}
	}
	got := WeChatAndroidKeys([]string{"358240051111110", "358240051111110"}, "123456789")
	var s []string
	for _, k := range got {
		s = append(s, string(k))
	}
	want := []string{"b96e3be", string(WeChatAndroidKey("1234567890ABCDEF", "123456789"))}
	if !slices.Equal(s, want) {
		t.Errorf("WeChatAndroidKeys = %q, want %q (duplicates dropped, fallback id last)", s, want)
	}
}
