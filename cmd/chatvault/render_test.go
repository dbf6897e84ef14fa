package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export/exporttest"
	"github.com/chatvault/chatvault/internal/archivetest"
)

// TestShowWeChat: `chatvault show` and `search` print a WeChat chat's quote, card, transfers,
// red packet and forwarded history (its messages on lines of their own, the inner history
// indented), and nothing of the hostile chat's javascript: links.
func TestShowWeChat(t *testing.T) {
	ctx := context.Background()
	a := archivetest.Open(t)
	info, err := exporttest.WeChat(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	people, err := a.ParticipantMap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	print := func(conv int64) string {
		var b strings.Builder
		err := a.EachMessage(ctx, archive.MessageQuery{ConversationID: conv, WithParts: true}, func(m *archive.Message) error {
			printMessage(&b, m, people, time.UTC, "")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	out := print(info.Conv)
	for _, want := range []string{
		"2025-01-18 01:03  王芳: " + exporttest.WeChatQuoted + "\n",
		"我: [reply to 王芳: " + exporttest.WeChatQuoted + "] " + exporttest.WeChatReply + "\n",
		"李伟: [article " + exporttest.WeChatLinkTitle + " — 示例公众号 " + exporttest.WeChatLinkURL + "]\n",
		"王芳: [transfer received " + exporttest.WeChatAmount + ": " + exporttest.WeChatMemo + "]\n",
		"我: [transfer accepted by you " + exporttest.WeChatAmount + "]\n",
		"李伟: [red packet: 恭喜发财，大吉大利]\n",
		"李伟: [chat history: " + exporttest.WeChatHistory + ", 3 messages]\n" +
			"                      王芳 (2025-01-16 01:00): " + exporttest.WeChatInner + "\n" +
			"                      李伟 (2025-01-16 02:00): [photo]\n" +
			"                      王芳 (2025-01-16 03:00): " + exporttest.WeChatNested + "\n" +
			"                        [chat history: " + exporttest.WeChatNested + ", 1 message]\n" +
			"                          赵六: " + exporttest.WeChatNestedText + "\n",
		"王芳: [voice 1008.aud]\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks\n%s\nin\n%s", want, out)
		}
	}
	hostile := print(info.Hostile)
	for _, bad := range []string{"javascript:", "data:text", "\u202e"} {
		if strings.Contains(hostile, bad) {
			t.Errorf("the hostile chat prints %q:\n%s", bad, hostile)
		}
	}
	if !strings.Contains(hostile, "(nested too deep to show)") {
		t.Errorf("the endless history is not cut:\n%s", hostile)
	}
}
