package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
)

// The report names one conversation, or the first dozen of many with a count of the rest.
func TestImportReportConversations(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{1, "  conversation: Chat 0\n"},
		{3, "  conversations (3): Chat 0, Chat 1, Chat 2\n"},
		{100, "  conversations (100): Chat 0, Chat 1, Chat 2, Chat 3, Chat 4, Chat 5, Chat 6, Chat 7, Chat 8, Chat 9, Chat 10, Chat 11, and 88 more (--json lists them all)\n"},
	} {
		r := &archive.Report{Source: "s", Importer: "i"}
		for i := 0; i < tc.n; i++ {
			r.Conversations = append(r.Conversations, fmt.Sprintf("Chat %d", i))
		}
		var b strings.Builder
		printImportReport(&b, r, false)
		if _, line, _ := strings.Cut(b.String(), "\n"); line != tc.want {
			t.Errorf("%d conversations:\n%q\nwant\n%q", tc.n, line, tc.want)
		}
	}
}
