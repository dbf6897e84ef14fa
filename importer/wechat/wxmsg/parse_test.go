package wxmsg

import (
	"strings"
	"testing"

	"github.com/chatvault/chatvault/archive"
)

// Samples shaped like the real XML quoted in notes §7 (lefex/iWeChat MESSAGE.md, WechatExporter,
// chatlog, WeChatFerry#162).
func TestParseTypes(t *testing.T) {
	names := func(u string) string { return map[string]string{"wxid_a": "阿A", "wxid_b": "Bob"}[u] }
	cases := []struct {
		typ     int64
		content string
		check   func(m Message) bool
	}{
		{1, "你好[微笑]", func(m Message) bool { return m.Kind == archive.KindText && m.Text == "你好[微笑]" }},
		{3, `<?xml version="1.0"?><msg><img md5="abc" length="1234" cdnthumbwidth="120" cdnthumbheight="90"/></msg>`, func(m Message) bool {
			return m.Kind == archive.KindPhoto && m.Media.MD5 == "abc" && m.Media.Width == 120
		}},
		{34, `<msg><voicemsg voicelength="4321" voiceformat="4"/></msg>`, func(m Message) bool {
			return m.Kind == archive.KindVoice && m.Media.MIME == "audio/silk" && m.Details.DurationMS == 4321
		}},
		{34, `<msg><voicemsg voicelength="1000" voiceformat="0"/></msg>`, func(m Message) bool { return m.Media.MIME == "audio/amr" }},
		{43, `<msg><videomsg playlength="12" length="999"/></msg>`, func(m Message) bool { return m.Kind == archive.KindVideo && m.Details.DurationMS == 12000 }},
		{47, `<msg><emoji md5="e1" cdnurl="http://emoji/x.gif" width="100" height="100"/></msg>`, func(m Message) bool {
			return m.Kind == archive.KindSticker && m.Media.URL == "http://emoji/x.gif"
		}},
		{48, `<msg><location x="39.9" y="116.4" label="北京市东城区" poiname="天安门"/></msg>`, func(m Message) bool {
			l := m.Details.Location
			return m.Kind == archive.KindLocation && l.Lat != nil && *l.Lat == 39.9 && *l.Lon == 116.4 && l.Name == "天安门"
		}},
		{42, `<msg username="wxid_card" nickname="名片人" alias="card_alias"/>`, func(m Message) bool { return m.Kind == archive.KindContact && m.Details.Contact.Name == "名片人" }},
		{16777265, `<msg><appmsg appid=""><title>文章</title><des>摘要</des><type>5</type><url>https://mp.weixin.qq.com/s/x</url><sourceusername>gh_1</sourceusername></appmsg></msg>`, func(m Message) bool {
			return m.Details.Link.Type == "article" && m.Details.Link.URL == "https://mp.weixin.qq.com/s/x" && m.Type == "49/5"
		}},
		{1090519089, `<msg><appmsg><title>报告.pdf</title><type>6</type><appattach><totallen>2048</totallen><fileext>pdf</fileext></appattach></appmsg></msg>`, func(m Message) bool {
			return m.Kind == archive.KindDocument && m.Media.FileName == "报告.pdf" && m.Media.Size == 2048
		}},
		{822083633, `<msg><appmsg><title>我同意</title><type>57</type><refermsg><type>1</type><svrid>123456789</svrid><chatusr>wxid_b</chatusr><displayname>Bob</displayname><content>明天见吗</content></refermsg></appmsg></msg>`, func(m Message) bool {
			return m.Text == "我同意" && m.QuotedSvrID == "123456789" && m.Details.Quote.Text == "明天见吗" && m.Details.Quote.Author == "Bob"
		}},
		{419430449, `<msg><appmsg><title>微信转账</title><type>2000</type><wcpayinfo><paysubtype>3</paysubtype><feedesc>￥88.00</feedesc><pay_memo>饭钱</pay_memo><transferid>T1</transferid></wcpayinfo></appmsg></msg>`, func(m Message) bool {
			tr := m.Details.Transfer
			return tr.Type == "transfer" && tr.Amount == "￥88.00" && tr.State == "accepted" && tr.Memo == "饭钱"
		}},
		{436207665, `<msg><appmsg><title>微信红包</title><type>2001</type><wcpayinfo><sendertitle>恭喜发财</sendertitle></wcpayinfo></appmsg></msg>`, func(m Message) bool {
			return m.Details.Transfer.Type == "red_packet" && m.Text == "恭喜发财"
		}},
		{49, `<msg><appmsg><title>聊天记录</title><type>19</type><recorditem><![CDATA[<recordinfo><title>群聊的聊天记录</title><datalist count="2"><dataitem datatype="1"><datadesc>第一条</datadesc><sourcename>阿A</sourcename><srcMsgCreateTime>1600000000</srcMsgCreateTime></dataitem><dataitem datatype="17"><datadesc>嵌套</datadesc><recordxml><recordinfo><title>内层</title><datalist><dataitem datatype="1"><datadesc>里面</datadesc></dataitem></datalist></recordinfo></recordxml></dataitem></datalist></recordinfo>]]></recorditem></appmsg></msg>`, func(m Message) bool {
			h := m.Details.Forwarded
			return h.Title == "群聊的聊天记录" && len(h.Items) == 2 && h.Items[0].Sender == "阿A" && h.Items[0].Time == 1600000000000 &&
				h.Items[1].Details.Forwarded.Items[0].Text == "里面"
		}},
		{49, `<msg><appmsg><title>拍一拍</title><type>62</type><patinfo><fromusername>wxid_a</fromusername><pattedusername>wxid_b</pattedusername><template><![CDATA["${wxid_a}" 拍了拍 "${wxid_b}"]]></template></patinfo></appmsg></msg>`, func(m Message) bool {
			return m.Text == `"阿A" 拍了拍 "Bob"` && m.Details.Event.Type == "pat"
		}},
		{50, `<voipmsg type="VoIPBubbleMsg"><VoIPBubbleMsg><msg><![CDATA[通话时长 01:23]]></msg><room_type>1</room_type></VoIPBubbleMsg></voipmsg>`, func(m Message) bool {
			return m.Kind == archive.KindCall && m.Details.Call.DurationMS == 83000 && !m.Details.Call.Missed
		}},
		{10000, `"<_wc_custom_link_ href="weixin://x">阿A</_wc_custom_link_>"邀请"Bob"加入了群聊`, func(m Message) bool {
			return m.Text == `"阿A"邀请"Bob"加入了群聊` && m.Details.Event.Type == "member_added"
		}},
		{10000, `<sysmsg type="sysmsgtemplate"><sysmsgtemplate><content_template type="tmpl_type_profile"><template><![CDATA["$username$"邀请"$names$"加入了群聊]]></template><link_list><link name="username"><memberlist><member><username>wxid_a</username><nickname>A的昵称</nickname></member></memberlist></link><link name="names"><memberlist><member><username>wxid_x</username><nickname>小X</nickname></member><member><username>wxid_y</username><nickname>小Y</nickname></member></memberlist><separator>、</separator></link></link_list></content_template></sysmsgtemplate></sysmsg>`, func(m Message) bool {
			return m.Text == `"阿A"邀请"小X、小Y"加入了群聊`
		}},
		{10002, `<sysmsg type="revokemsg"><revokemsg><session>wxid_b</session><msgid>1</msgid><newmsgid>987654321</newmsgid><replacemsg><![CDATA["Bob" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>`, func(m Message) bool {
			return m.RecalledSvrID == "987654321" && m.Text == `"Bob" 撤回了一条消息` && m.Details.Event.Type == "recall"
		}},
		{12345, `<msg>mystery</msg>`, func(m Message) bool { return m.Unknown && m.Kind == archive.KindSystem }},
		{49, `<msg><appmsg><title>x</title><type>9876</type></appmsg></msg>`, func(m Message) bool { return m.Unknown && m.Type == "49/9876" }},
		{3, `<msg><img`, func(m Message) bool { return m.Unknown && strings.HasSuffix(m.Type, "bad-xml") }},
	}
	for _, c := range cases {
		m := Parse(c.typ, c.content, names)
		if !c.check(m) {
			t.Errorf("type %d %.60q: got %+v details %+v", c.typ, c.content, m, m.Details)
		}
	}
}

func TestSplitSender(t *testing.T) {
	for _, c := range []struct{ in, sender, body string }{
		{"wxid_a:\nhello:\nworld", "wxid_a", "hello:\nworld"},
		{"wxid_a:\n<msg/>", "wxid_a", "<msg/>"},
		{"no prefix", "", "no prefix"},
		{"two words:\nx", "", "two words:\nx"},
		{"wxid_a:\n", "", "wxid_a:\n"},
	} {
		s, b, _ := SplitSender(c.in)
		if s != c.sender || b != c.body {
			t.Errorf("%q: got %q %q", c.in, s, b)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(int64(1), "hi")
	f.Add(int64(49), `<msg><appmsg><type>19</type><recorditem>&lt;recordinfo&gt;&lt;datalist&gt;&lt;dataitem datatype="17"/&gt;&lt;/datalist&gt;&lt;/recordinfo&gt;</recorditem></appmsg></msg>`)
	f.Add(int64(49), `<msg><appmsg><type>57</type><refermsg><type>49</type><content>&lt;msg&gt;&lt;appmsg&gt;&lt;type&gt;57&lt;/type&gt;&lt;/appmsg&gt;&lt;/msg&gt;</content></refermsg></appmsg></msg>`)
	f.Add(int64(10000), `<sysmsg type="sysmsgtemplate"><sysmsgtemplate><content_template><template>$a$</template><link_list><link name="a"/></link_list></content_template></sysmsgtemplate></sysmsg>`)
	f.Add(int64(10002), `<sysmsg type="revokemsg"><revokemsg><newmsgid>1</newmsgid></revokemsg></sysmsg>`)
	f.Add(int64(50), `<voipmsg><VoIPBubbleMsg><msg>通话时长 1:02:03</msg></VoIPBubbleMsg></voipmsg>`)
	f.Fuzz(func(t *testing.T, typ int64, content string) {
		m := Parse(typ, content, nil)
		if m.Kind == "" {
			t.Fatal("no kind")
		}
		SplitSender(content)
	})
}
