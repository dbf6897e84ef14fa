package wxmsg

import (
	"bytes"
	"encoding/xml"
	"strings"
)

// xmsg is every part of a WeChat message XML this package reads, whatever the root element
// (<msg>, <sysmsg>, <voipmsg>). Element and attribute names: notes §7 (from BlueMatthew/
// WechatExporter MessageParser, lefex/iWeChat MESSAGE.md samples, sjzar/chatlog model/).
type xmsg struct {
	XMLName xml.Name
	Type    string `xml:"type,attr"` // sysmsg / voipmsg type

	// 42 contact card: attributes on the root.
	Username string `xml:"username,attr"`
	Nickname string `xml:"nickname,attr"`
	Alias    string `xml:"alias,attr"`

	Img struct {
		Length int64  `xml:"length,attr"`
		HD     int64  `xml:"hdlength,attr"`
		MD5    string `xml:"md5,attr"`
		W      int    `xml:"cdnthumbwidth,attr"`
		H      int    `xml:"cdnthumbheight,attr"`
	} `xml:"img"`
	Voice struct {
		Length int64  `xml:"voicelength,attr"` // ms
		Format string `xml:"voiceformat,attr"`
	} `xml:"voicemsg"`
	Video struct {
		PlayLength int64  `xml:"playlength,attr"` // s
		Length     int64  `xml:"length,attr"`
		MD5        string `xml:"md5,attr"`
		W          int    `xml:"cdnthumbwidth,attr"`
		H          int    `xml:"cdnthumbheight,attr"`
	} `xml:"videomsg"`
	Emoji struct {
		MD5       string `xml:"md5,attr"`
		CDNURL    string `xml:"cdnurl,attr"`
		W         int    `xml:"width,attr"`
		H         int    `xml:"height,attr"`
		ProductID string `xml:"productid,attr"`
	} `xml:"emoji"`
	Location struct {
		X       string `xml:"x,attr"` // latitude
		Y       string `xml:"y,attr"` // longitude
		Label   string `xml:"label,attr"`
		POIName string `xml:"poiname,attr"`
	} `xml:"location"`
	AppMsg   appMsg `xml:"appmsg"`
	AppName  string `xml:"appinfo>appname"`
	MMReader []struct {
		Title  string `xml:"title"`
		URL    string `xml:"url"`
		Digest string `xml:"digest"`
	} `xml:"mmreader>category>item"`

	VoIP struct {
		Msg      string `xml:"msg"`
		RoomType string `xml:"room_type"`
	} `xml:"VoIPBubbleMsg"`

	Revoke struct {
		Session    string `xml:"session"`
		MsgID      string `xml:"msgid"`
		NewMsgID   string `xml:"newmsgid"`
		OldMsgID   string `xml:"oldmsgid"`
		ReplaceMsg string `xml:"replacemsg"`
	} `xml:"revokemsg"`
	Pat struct {
		From     string `xml:"fromusername"`
		Patted   string `xml:"pattedusername"`
		Template string `xml:"template"`
	} `xml:"pat"`
	Template struct {
		Plain    string    `xml:"content_template>plain"`
		Template string    `xml:"content_template>template"`
		Links    []tmplLnk `xml:"content_template>link_list>link"`
	} `xml:"sysmsgtemplate"`
}

type tmplLnk struct {
	Name    string `xml:"name,attr"`
	Members []struct {
		Username string `xml:"username"`
		Nickname string `xml:"nickname"`
	} `xml:"memberlist>member"`
	Separator string `xml:"separator"`
	Plain     string `xml:"plain"`
	Title     string `xml:"title"`
}

type appMsg struct {
	AppID      string `xml:"appid,attr"`
	Title      string `xml:"title"`
	Des        string `xml:"des"`
	Type       int    `xml:"type"`
	URL        string `xml:"url"`
	SourceUser string `xml:"sourceusername"`
	SourceName string `xml:"sourcedisplayname"`
	MD5        string `xml:"md5"`
	RecordItem string `xml:"recorditem"`
	Attach     struct {
		TotalLen int64  `xml:"totallen"`
		FileExt  string `xml:"fileext"`
	} `xml:"appattach"`
	WeApp struct {
		PagePath string `xml:"pagepath"`
		Username string `xml:"username"`
	} `xml:"weappinfo"`
	Refer struct {
		Type        int    `xml:"type"`
		SvrID       string `xml:"svrid"`
		FromUsr     string `xml:"fromusr"`
		ChatUsr     string `xml:"chatusr"`
		DisplayName string `xml:"displayname"`
		Content     string `xml:"content"`
	} `xml:"refermsg"`
	PatMsg struct {
		Records []struct {
			From     string `xml:"fromUser"`
			Patted   string `xml:"pattedUser"`
			Template string `xml:"templete"`
		} `xml:"records>record"`
	} `xml:"patMsg"`
	PatInfo struct {
		From     string `xml:"fromusername"`
		Patted   string `xml:"pattedusername"`
		Template string `xml:"template"`
	} `xml:"patinfo"`
	Pay struct {
		SubType       int    `xml:"paysubtype"`
		FeeDesc       string `xml:"feedesc"`
		Memo          string `xml:"pay_memo"`
		TransferID    string `xml:"transferid"`
		Payer         string `xml:"payer_username"`
		Receiver      string `xml:"receiver_username"`
		SenderTitle   string `xml:"sendertitle"`
		ReceiverTitle string `xml:"receivertitle"`
		SceneText     string `xml:"scenetext"`
		PayMsgID      string `xml:"paymsgid"`
	} `xml:"wcpayinfo"`
	Finder struct {
		Nickname string `xml:"nickname"`
		Desc     string `xml:"desc"`
	} `xml:"finderFeed"`
	Live struct {
		Nickname string `xml:"nickname"`
		Desc     string `xml:"desc"`
	} `xml:"finderLive"`
}

type recordInfo struct {
	Title string     `xml:"title"`
	Desc  string     `xml:"desc"`
	Items []dataItem `xml:"datalist>dataitem"`
}

type dataItem struct {
	DataType   int    `xml:"datatype,attr"`
	DataID     string `xml:"dataid,attr"`
	Desc       string `xml:"datadesc"`
	Title      string `xml:"datatitle"`
	Fmt        string `xml:"datafmt"`
	SourceName string `xml:"sourcename"`
	SourceTime string `xml:"sourcetime"`
	CreateTime int64  `xml:"srcMsgCreateTime"`
	Link       string `xml:"link"`
	Loc        struct {
		Lat   string `xml:"lat"`
		Lng   string `xml:"lng"`
		Label string `xml:"label"`
		POI   string `xml:"poiname"`
	} `xml:"locitem"`
	Nested *recordInfo `xml:"recordxml>recordinfo"`
}

// decode parses s (a WeChat XML body, with or without `<?xml?>`) leniently (Strict off, HTML
// entities such as &nbsp; known), as bodies written by other clients are not always well formed.
func decode(s string, v any) error {
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	return d.Decode(v)
}

// looksXML says whether s is an XML body rather than text.
func looksXML(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	return strings.HasPrefix(s, "<")
}

// stripTags removes markup such as `<_wc_custom_link_ href="...">name</_wc_custom_link_>` from a
// system notice, keeping the text.
func stripTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b bytes.Buffer
	d := xml.NewDecoder(strings.NewReader("<x>" + s + "</x>"))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); ok {
			b.Write(cd)
		}
	}
	if b.Len() == 0 {
		return s
	}
	return b.String()
}
