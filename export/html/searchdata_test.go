package html

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAppendJSString(t *testing.T) {
	for _, s := range []string{"plain", `quote " and \ back`, "</script><!--", "tab\tnl\ncr\r\x00\x1f", "a\u2028b\u2029c", "bad \xff utf8", "emoji 😂 张", ""} {
		got := string(appendJSString(nil, s))
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Fatalf("%q: %v", got, err)
		}
		if want := strings.ToValidUTF8(s, "\ufffd"); back != want {
			t.Errorf("%q came back as %q", s, back)
		}
		if strings.ContainsAny(got, "<>&\u2028\u2029\n") {
			t.Errorf("%q is not escaped enough: %s", s, got)
		}
	}
}

func TestSearchScript(t *testing.T) {
	got := string(appendSearchScript(nil, 7, 2, []searchEntry{{1, 1, "Ana", 1700000000000, "hi </script>"}, {2, 1, "", 5, ""}}))
	inner := strings.TrimSuffix(strings.TrimPrefix(got, "cvSearchChunk(7,2,"), ");\n")
	var v [][]any
	if err := json.Unmarshal([]byte(inner), &v); err != nil || len(v) != 2 || v[0][4] != "hi </script>" || v[0][3].(float64) != 1700000000000 {
		t.Errorf("%s: %v %v", got, v, err)
	}
}
