package exporttest

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/internal/silk/silktest"
)

// What the WeChat chat holds, for the tests to find.
const (
	WeChatTitle      = "周末爬山群"
	WeChatLinkTitle  = "春节放假通知"
	WeChatLinkURL    = "https://mp.weixin.qq.com/s/holiday-notice"
	WeChatAmount     = "￥88.00"
	WeChatMemo       = "车费"
	WeChatHistory    = "王芳和李伟的聊天记录"
	WeChatInner      = "明天八点山脚见"
	WeChatNested     = "更早的聊天记录"
	WeChatNestedText = "记得带水"
	WeChatQuoted     = "周六去香山吗？"
	WeChatReply      = "去！"
	HostileDepth     = 8 // how deep the hostile chat's forwarded histories nest
)

// WeChatInfo says what WeChat wrote.
type WeChatInfo struct {
	Conv, Hostile int64
	VoiceSHA      string
}

// WeChat writes, in an import of its own, a WeChat group chat with what WeChat messages carry
// (as importer/wechat maps them): a reply with its quote, an official-account article card, a
// transfer, a red packet, a merged forwarded history holding another, and a SILK voice note
// (silktest.Chirp, 2 s); and a hostile WeChat chat whose cards, transfers and histories try to
// run script, link to javascript: and nest without end.
func WeChat(ctx context.Context, a *archive.Archive) (WeChatInfo, error) {
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "exporttest", ImporterVersion: "1", SourcePath: "exporttest-wechat"})
	if err != nil {
		return WeChatInfo{}, err
	}
	b := &builder{im: im, people: map[string]int64{}}
	info, err := b.wechat()
	if err == nil {
		info.Hostile, err = b.wechatHostile()
	}
	if err != nil {
		im.Rollback()
		return WeChatInfo{}, err
	}
	if _, err := im.Commit(); err != nil {
		return WeChatInfo{}, err
	}
	return info, nil
}

func (b *builder) wxPerson(conv int64, user, name string, me bool) (int64, error) {
	id, err := b.im.Participant(archive.Participant{Service: "wechat", Key: user, Name: name, IsMe: me})
	if err != nil {
		return 0, err
	}
	return id, b.im.Member(conv, id)
}

func (b *builder) wechat() (WeChatInfo, error) {
	var info WeChatInfo
	conv, err := b.im.Conversation(archive.Conversation{Service: "wechat", Key: "12345678@chatroom", Title: WeChatTitle, Kind: archive.ConvGroup})
	if err != nil {
		return info, err
	}
	info.Conv = conv
	me, err := b.wxPerson(conv, "wxid_me", "我", true)
	if err != nil {
		return info, err
	}
	wang, err := b.wxPerson(conv, "wxid_wangfang", "王芳", false)
	if err != nil {
		return info, err
	}
	li, err := b.wxPerson(conv, "wxid_liwei", "李伟", false)
	if err != nil {
		return info, err
	}
	if info.VoiceSHA, _, err = b.im.PutMedia(bytes.NewReader(silktest.Chirp), "audio/silk", 0); err != nil {
		return info, err
	}
	at := time.Date(2025, 1, 18, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	next := func() time.Time { at = at.Add(3 * time.Minute); return at }
	history := &archive.ForwardedHistory{Title: WeChatHistory, Items: []archive.ForwardedItem{
		{Sender: "王芳", Time: at.Add(-48 * time.Hour).UnixMilli(), Kind: archive.KindText, Text: WeChatInner},
		{Sender: "李伟", Time: at.Add(-47 * time.Hour).UnixMilli(), Kind: archive.KindPhoto},
		{Sender: "王芳", Time: at.Add(-46 * time.Hour).UnixMilli(), Kind: archive.KindText, Text: WeChatNested,
			Details: &archive.Details{Forwarded: &archive.ForwardedHistory{Title: WeChatNested, Items: []archive.ForwardedItem{
				{Sender: "赵六", Kind: archive.KindText, Text: WeChatNestedText},
			}}}},
	}}
	msgs := []*archive.Message{
		{SenderID: wang, UID: "wx:1001", Text: WeChatQuoted},
		{SenderID: me, FromMe: true, UID: "wx:1002", Text: WeChatReply, ReplyTo: "wx:1001",
			Details: &archive.Details{Quote: &archive.Quote{Author: "王芳", Text: WeChatQuoted}}},
		{SenderID: li, UID: "wx:1003", Text: WeChatLinkTitle, Details: &archive.Details{Link: &archive.Link{Type: "article",
			Title: WeChatLinkTitle, Description: "1月28日至2月4日放假调休，共8天。", URL: WeChatLinkURL, Source: "示例公众号"}}},
		{SenderID: wang, UID: "wx:1004", Details: &archive.Details{Transfer: &archive.Transfer{Type: "transfer", Amount: WeChatAmount,
			Memo: WeChatMemo, State: "sent", Payer: "wxid_wangfang", Receiver: "wxid_me", ID: "1000050001"}}},
		{SenderID: me, FromMe: true, UID: "wx:1005", Details: &archive.Details{Transfer: &archive.Transfer{Type: "transfer", Amount: WeChatAmount,
			State: "accepted", Payer: "wxid_wangfang", Receiver: "wxid_me", ID: "1000050001"}}},
		{SenderID: li, UID: "wx:1006", Details: &archive.Details{Transfer: &archive.Transfer{Type: "red_packet", Memo: "恭喜发财，大吉大利"}}},
		{SenderID: li, UID: "wx:1007", Text: WeChatHistory, Details: &archive.Details{Forwarded: history}},
		{SenderID: wang, UID: "wx:1008", Kind: archive.KindVoice, Attachments: []archive.Attachment{{Kind: archive.KindVoice,
			FileName: "1008.aud", MIME: "audio/silk", SHA256: info.VoiceSHA, Size: int64(len(silktest.Chirp)),
			Details: &archive.Details{DurationMS: silktest.ChirpSeconds * 1000}}}},
	}
	for _, m := range msgs {
		m.ConversationID, m.Time = conv, next()
		if err := b.add(m); err != nil {
			return info, err
		}
	}
	return info, nil
}

// wechatHostile is a WeChat chat written by an attacker.
func (b *builder) wechatHostile() (int64, error) {
	conv, err := b.im.Conversation(archive.Conversation{Service: "wechat", Key: "66666666@chatroom", Title: "Evil WeChat " + HostileScript, Kind: archive.ConvGroup})
	if err != nil {
		return 0, err
	}
	mallory, err := b.wxPerson(conv, "wxid_mallory", HostileName, false)
	if err != nil {
		return 0, err
	}
	// A history nested HostileDepth deep, each level's item a card linking to javascript:.
	var nested *archive.ForwardedHistory
	for i := HostileDepth; i >= 1; i-- {
		h := &archive.ForwardedHistory{Title: fmt.Sprintf("level %d %s", i, HostileTitle), Items: []archive.ForwardedItem{
			{Sender: HostileName, Kind: archive.KindText, Text: HostileScript,
				Details: &archive.Details{Link: &archive.Link{Title: HostileImg, URL: HostileLink}}},
		}}
		if nested != nil {
			h.Items = append(h.Items, archive.ForwardedItem{Sender: RLOName, Kind: archive.KindText, Details: &archive.Details{Forwarded: nested}})
		}
		nested = h
	}
	at := time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC)
	msgs := []*archive.Message{
		{SenderID: mallory, Text: HostileScript, Details: &archive.Details{Link: &archive.Link{Type: "link", Title: HostileScript,
			Description: HostileImg, URL: HostileLink, Source: HostileSVG}}},
		{SenderID: mallory, Details: &archive.Details{Link: &archive.Link{Title: "data link", URL: "data:text/html,<script>" + Pwn + "</script>"}}},
		{SenderID: mallory, Details: &archive.Details{Transfer: &archive.Transfer{Type: "transfer", Amount: HostileImg, Memo: HostileSVG, State: HostileScript}}},
		{SenderID: mallory, Text: "history", Details: &archive.Details{Forwarded: nested}},
	}
	for i, m := range msgs {
		m.ConversationID, m.Time = conv, at.Add(time.Duration(i)*time.Minute)
		if err := b.add(m); err != nil {
			return 0, err
		}
	}
	return conv, nil
}
