// Package wechattest builds WeChat sources on the real schemas for tests: an iPhone backup's
// WeChat app folder with two accounts (WriteIOS: write it anywhere, then put its files into a
// synthetic backup under the domain AppDomain-com.tencent.xin), the first account's Android
// EnMicroMsg.db (WriteAndroidPlain), Windows 3.x, macOS 3.x and 4.x desktop databases
// (WriteWindows3Plain, WriteMac3Plain, WriteV4Plain), and Encrypt, which encrypts a plain file
// with Debian's sqlcipher command under each app's parameters.
//
// Where each schema fact comes from is said beside it; the notes are /work/shared/notes/wechat.md.
package wechattest

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
)

// Usernames of the generated accounts and contacts.
const (
	Alice  = "wxid_alice01"  // account 1 (iPhone and Android)
	Second = "wxid_second02" // account 2 (iPhone only)
	Bob    = "wxid_bob03"    // friend with a remark
	Carol  = "wxid_carol04"  // friend
	Dave   = "wxid_dave05"   // group member only, with a group display name
	Group  = "1234567890@chatroom"
	Ghost  = "wxid_ghost06" // contact deleted; the username appears in its messages' XML
	Lost   = "wxid_lost07"  // contact deleted; nothing in its messages names it
)

// Names as the contacts hold them.
const (
	AliceNick      = "Alice"
	BobRemark      = "老王"
	BobNick        = "Bob"
	CarolNick      = "Carol"
	DaveGroupName  = "小D"
	GroupName      = "周末爬山群"
	SecondNick     = "Second"
	GroupSearchHit = "我们明天去香山爬山吧"
)

// MD5 is lowercase hex md5, WeChat's table and folder naming (notes §2, §3).
func MD5(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// Sample is one generated message with what it must become.
type Sample struct {
	SvrID   int64
	Time    int64 // unix seconds
	FromMe  bool
	Sender  string // group rows: the sender's username
	Type    int64  // the type number as iOS stores it
	Android int64  // the type number as Android stores it when it has flag bits (notes §7), else 0
	Content string // body without the group prefix
	Kind    string // archive kind it maps to (notes §7)
	File    string // media file written for it: "pic", "aud", "mp4", "pdf"; "" none
}

// MessageType is the Android type number.
func (s Sample) AndroidType() int64 {
	if s.Android != 0 {
		return s.Android
	}
	return s.Type
}

const t0 = 1700000000 // 2023-11-14

// BobChat is the 1:1 chat of Alice with Bob: every message type (notes §7 shapes).
var BobChat = []Sample{
	{1001, t0 + 1, false, "", 1, 0, "你好[微笑]，最近怎么样", "text", ""},
	{1002, t0 + 2, true, "", 1, 0, "挺好的 😀", "text", ""},
	{1003, t0 + 3, false, "", 3, 0, `<?xml version="1.0"?><msg><img md5="aa11" length="2048" cdnthumbwidth="120" cdnthumbheight="90" /></msg>`, "photo", "pic"},
	{1004, t0 + 4, true, "", 3, 0, `<msg><img md5="bb22" length="4096" /></msg>`, "photo", ""}, // file missing
	{1005, t0 + 5, false, "", 34, 0, `<msg><voicemsg endflag="1" length="3000" voicelength="2500" voiceformat="4" fromusername="` + Bob + `" /></msg>`, "voice", "aud"},
	{1006, t0 + 6, false, "", 43, 0, `<msg><videomsg playlength="7" length="9000" md5="cc33" cdnthumbwidth="320" cdnthumbheight="240" /></msg>`, "video", "mp4"},
	{1007, t0 + 7, true, "", 47, 0, `<msg><emoji fromusername="` + Alice + `" tousername="` + Bob + `" md5="dd44" cdnurl="http://emoji.qpic.cn/x/0" width="120" height="120" /></msg>`, "sticker", ""},
	{1008, t0 + 8, false, "", 48, 0, `<msg><location x="39.916527" y="116.397128" scale="16" label="北京市东城区" poiname="故宫博物院" /></msg>`, "location", ""},
	{1009, t0 + 9, false, "", 42, 0, `<msg username="wxid_card99" nickname="名片朋友" alias="card99" sex="1" province="北京" />`, "contact", ""},
	{1010, t0 + 10, false, "", 49, 16777265, `<msg><appmsg appid="" sdkver="0"><title>今日新闻</title><des>摘要</des><type>5</type><url>https://mp.weixin.qq.com/s/abc</url><sourceusername>gh_news</sourceusername><sourcedisplayname>新闻早知道</sourcedisplayname></appmsg><fromusername>` + Bob + `</fromusername></msg>`, "text", ""},
	{1011, t0 + 11, false, "", 49, 1090519089, `<msg><appmsg><title>报告.pdf</title><type>6</type><appattach><totallen>64</totallen><fileext>pdf</fileext></appattach><md5>ee55</md5></appmsg></msg>`, "document", "pdf"},
	{1012, t0 + 12, false, "", 49, 0, `<msg><appmsg><title>小程序</title><type>33</type><sourcedisplayname>美团</sourcedisplayname><weappinfo><pagepath>pages/index</pagepath><username>gh_x@app</username></weappinfo></appmsg></msg>`, "text", ""},
	{1013, t0 + 13, false, "", 49, 0, `<msg><appmsg><title>视频号</title><type>51</type><finderFeed><nickname>某视频号</nickname><desc>好看的视频</desc></finderFeed></appmsg></msg>`, "text", ""},
	{1014, t0 + 14, true, "", 49, 822083633, `<msg><appmsg><title>好的，明天见</title><type>57</type><refermsg><type>1</type><svrid>1001</svrid><fromusr>` + Bob + `</fromusr><chatusr>` + Bob + `</chatusr><displayname>Bob</displayname><content>你好[微笑]，最近怎么样</content></refermsg></appmsg></msg>`, "text", ""},
	{1015, t0 + 15, false, "", 49, 0, `<msg><appmsg><title>群聊的聊天记录</title><des>阿A: 第一条</des><type>19</type><recorditem><![CDATA[<recordinfo><title>群聊的聊天记录</title><datalist count="2"><dataitem datatype="1" dataid="x1"><datadesc>第一条</datadesc><sourcename>阿A</sourcename><srcMsgCreateTime>1699990000</srcMsgCreateTime></dataitem><dataitem datatype="17" dataid="x2"><datadesc>内层记录</datadesc><sourcename>阿B</sourcename><recordxml><recordinfo><title>内层</title><datalist count="1"><dataitem datatype="1"><datadesc>最里面</datadesc><sourcename>阿C</sourcename></dataitem></datalist></recordinfo></recordxml></dataitem></datalist></recordinfo>]]></recorditem></appmsg></msg>`, "text", ""},
	{1016, t0 + 16, false, "", 49, 419430449, `<msg><appmsg><title>微信转账</title><type>2000</type><wcpayinfo><paysubtype>1</paysubtype><feedesc>￥88.00</feedesc><pay_memo>饭钱</pay_memo><transferid>100005</transferid><payer_username>` + Bob + `</payer_username><receiver_username>` + Alice + `</receiver_username></wcpayinfo></appmsg></msg>`, "text", ""},
	{1017, t0 + 17, false, "", 49, 436207665, `<msg><appmsg><title>微信红包</title><des>我给你发了一个红包，赶紧去拆!</des><type>2001</type><wcpayinfo><sendertitle>恭喜发财，大吉大利</sendertitle><paymsgid>RP1</paymsgid></wcpayinfo></appmsg></msg>`, "text", ""},
	{1018, t0 + 18, false, "", 50, 0, `<voipmsg type="VoIPBubbleMsg"><VoIPBubbleMsg><msg><![CDATA[通话时长 01:23]]></msg><room_type>1</room_type></VoIPBubbleMsg></voipmsg>`, "call", ""},
	{0, t0 + 19, false, "", 10000, 0, `你已添加了老王，现在可以开始聊天了。`, "system", ""},
	{1020, t0 + 20, false, "", 10002, 0, `<sysmsg type="revokemsg"><revokemsg><session>` + Bob + `</session><msgid>5</msgid><newmsgid>1999</newmsgid><replacemsg><![CDATA["老王" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>`, "system", ""},
	{1021, t0 + 21, false, "", 9998, 0, `<msg><future>something new</future></msg>`, "system", ""},                  // unknown type
	{1022, t0 + 22, false, "", 49, 0, `<msg><appmsg><title>新玩意</title><type>777</type></appmsg></msg>`, "text", ""}, // unknown app subtype
}

// GroupChat is Alice's group: senders by prefix, display names, templates, pats.
var GroupChat = []Sample{
	{2001, t0 + 100, false, Bob, 1, 0, "大家好", "text", ""},
	{2002, t0 + 101, false, Dave, 1, 0, GroupSearchHit, "text", ""},
	{2003, t0 + 102, true, "", 1, 0, "好啊:\n几点？", "text", ""},
	{2004, t0 + 103, false, Dave, 3, 0, `<msg><img md5="ff66" length="100" /></msg>`, "photo", "pic"},
	{2005, t0 + 104, false, "", 10000, 0, `<sysmsg type="sysmsgtemplate"><sysmsgtemplate><content_template type="tmpl_type_profile"><plain><![CDATA[]]></plain><template><![CDATA["$username$"邀请"$names$"加入了群聊]]></template><link_list><link name="username" type="link_profile"><memberlist><member><username>` + Bob + `</username><nickname>Bob</nickname></member></memberlist></link><link name="names" type="link_profile"><memberlist><member><username>` + Dave + `</username><nickname>Dave</nickname></member></memberlist><separator><![CDATA[、]]></separator></link></link_list></content_template></sysmsgtemplate></sysmsg>`, "system", ""},
	{2006, t0 + 105, false, "", 10002, 0, `<sysmsg type="pat"><pat><fromusername>` + Bob + `</fromusername><chatusername>` + Group + `</chatusername><pattedusername>` + Dave + `</pattedusername><template><![CDATA["${` + Bob + `}" 拍了拍 "${` + Dave + `}"]]></template></pat></sysmsg>`, "system", ""},
	{2007, t0 + 106, false, Bob, 49, 822083633, `<msg><appmsg><title>同意</title><type>57</type><refermsg><type>1</type><svrid>2002</svrid><fromusr>` + Group + `</fromusr><chatusr>` + Dave + `</chatusr><displayname>小D</displayname><content>` + GroupSearchHit + `</content></refermsg></appmsg></msg>`, "text", ""},
}

// GhostChat: a chat whose contact is gone, named by the fromusername in its voice XML.
var GhostChat = []Sample{
	{3001, t0 + 200, false, "", 34, 0, `<msg><voicemsg voicelength="1000" voiceformat="4" fromusername="` + Ghost + `" /></msg>`, "voice", ""},
	{3002, t0 + 201, true, "", 1, 0, "你还在吗", "text", ""},
}

// LostChat: a chat whose contact is gone and nothing names it.
var LostChat = []Sample{
	{4001, t0 + 300, false, "", 1, 0, "旧消息", "text", ""},
}

// SecondChat is account 2's chat with Carol.
var SecondChat = []Sample{
	{5001, t0 + 400, false, "", 1, 0, "hi from Carol", "text", ""},
	{5002, t0 + 401, true, "", 1, 0, "hi Carol", "text", ""},
	{5003, t0 + 402, false, "", 1, 0, "bye", "text", ""},
}

// Media bytes: a JPEG start, WeChat's SILK voice header (0x02 + "#!SILK_V3", notes §6), an
// MP4 ftyp box, a PDF.
var (
	JPEG = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, make([]byte, 200)...)
	SILK = append([]byte("\x02#!SILK_V3"), 0x10, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
	MP4  = append([]byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'}, make([]byte, 100)...)
	PDF  = []byte("%PDF-1.4\n% test file\n%%EOF\n")
)

func fileBytes(kind string) []byte {
	switch kind {
	case "pic":
		return JPEG
	case "aud":
		return SILK
	case "mp4":
		return MP4
	case "pdf":
		return PDF
	}
	panic(fmt.Sprintf("wechattest: no bytes for %q", kind))
}
