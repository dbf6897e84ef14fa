package wxmsg

import (
	"strconv"
	"strings"

	"github.com/chatvault/chatvault/archive"
)

// appMessage maps type 49 by its appmsg/type (notes §7).
func appMessage(m *Message, x *xmsg, names Names) {
	a := &x.AppMsg
	m.Type = "49/" + strconv.Itoa(a.Type)
	link := func(typ string) {
		m.Text = a.Title
		m.Details = &archive.Details{Link: &archive.Link{Type: typ, Title: a.Title, Description: a.Des, URL: a.URL, Source: first(a.SourceName, x.AppName)}}
	}
	switch a.Type {
	case 1:
		m.Text = first(a.Title, a.Des)
	case 2:
		m.Kind = archive.KindPhoto
		m.Text = a.Title
		m.Media = &Media{Kind: archive.KindPhoto, MIME: "image/jpeg", Ext: a.Attach.FileExt, Size: a.Attach.TotalLen}
	case 8:
		m.Kind = archive.KindGIF
		m.Media = &Media{Kind: archive.KindGIF, MIME: "image/gif", Ext: a.Attach.FileExt, Size: a.Attach.TotalLen}
	case 15:
		m.Kind = archive.KindSticker
		m.Text = a.Title
		m.Media = &Media{Kind: archive.KindSticker, MIME: "image/gif", MD5: a.MD5}
	case 3, 92:
		link("music")
	case 4:
		link("video")
	case 5:
		typ := "link"
		if len(x.MMReader) > 0 || strings.HasPrefix(a.SourceUser, "gh_") {
			typ = "article"
		}
		link(typ)
		if a.Title == "" && len(x.MMReader) > 0 {
			it := x.MMReader[0]
			m.Text = it.Title
			m.Details.Link.Title, m.Details.Link.URL, m.Details.Link.Description = it.Title, it.URL, it.Digest
		}
	case 6, 74:
		m.Kind = archive.KindDocument
		name := a.Title
		if a.Attach.FileExt != "" && !strings.HasSuffix(strings.ToLower(name), "."+strings.ToLower(a.Attach.FileExt)) {
			name += "." + a.Attach.FileExt
		}
		m.Media = &Media{Kind: archive.KindDocument, Ext: a.Attach.FileExt, FileName: name, Size: a.Attach.TotalLen, MD5: a.MD5}
	case 16:
		link("card_ticket")
	case 17:
		m.Kind = archive.KindLiveLocation
		m.Text = a.Title
		m.Details = &archive.Details{Location: &archive.Location{Live: true, Name: a.Title}}
	case 19, 40:
		m.Text = a.Title
		h := forwarded(a.RecordItem, a.Title, names)
		if h == nil {
			h = &archive.ForwardedHistory{Title: a.Title}
		}
		if len(h.Items) == 0 && a.Des != "" {
			h.Items = append(h.Items, archive.ForwardedItem{Kind: archive.KindText, Text: a.Des})
		}
		m.Details = &archive.Details{Forwarded: h}
	case 24:
		link("note")
	case 33, 36:
		link("mini_program")
		m.Details.Link.Source = first(a.SourceName, x.AppName, a.WeApp.Username)
		if m.Details.Link.URL == "" {
			m.Details.Link.URL = a.WeApp.PagePath
		}
	case 50, 51:
		link("channels")
		if m.Text == "" {
			m.Text = first(a.Finder.Desc, a.Finder.Nickname)
		}
		m.Details.Link.Source = first(a.Finder.Nickname, m.Details.Link.Source)
	case 63:
		link("channels_live")
		m.Details.Link.Source = first(a.Live.Nickname, m.Details.Link.Source)
	case 87:
		m.Kind = archive.KindSystem
		m.Text = first(a.Des, a.Title)
		m.Details = &archive.Details{Event: &archive.Event{Type: "group_notice"}}
	case 57:
		m.Text = a.Title
		m.QuotedSvrID = strings.TrimSpace(a.Refer.SvrID)
		q := &archive.Quote{Author: first(a.Refer.DisplayName, names(a.Refer.ChatUsr), a.Refer.ChatUsr, a.Refer.FromUsr)}
		q.Text = quotedText(int64(a.Refer.Type), a.Refer.Content, names)
		m.Details = &archive.Details{Quote: q}
	case 62:
		m.Kind = archive.KindSystem
		from, patted, tmpl := a.PatInfo.From, a.PatInfo.Patted, a.PatInfo.Template
		if n := len(a.PatMsg.Records); n > 0 {
			r := a.PatMsg.Records[n-1]
			from, patted, tmpl = r.From, r.Patted, r.Template
		}
		m.Text = fill(first(tmpl, a.Title), names)
		m.Details = &archive.Details{Event: &archive.Event{Type: "pat", Actor: from, Targets: nonEmpty(patted)}}
	case 2000:
		m.Text = strings.TrimSpace("转账 " + a.Pay.FeeDesc + " " + a.Pay.Memo)
		m.Details = &archive.Details{Transfer: &archive.Transfer{Type: "transfer", Amount: a.Pay.FeeDesc, Memo: a.Pay.Memo,
			State: transferState(a.Pay.SubType), Payer: a.Pay.Payer, Receiver: a.Pay.Receiver, ID: a.Pay.TransferID}}
	case 2001:
		m.Text = first(a.Pay.SenderTitle, a.Des, a.Title)
		m.Details = &archive.Details{Transfer: &archive.Transfer{Type: "red_packet", Memo: a.Pay.SenderTitle, ID: a.Pay.PayMsgID, State: "sent"}}
	case 2003:
		link("red_packet_cover")
	default:
		m.Unknown = true
		m.Text = first(a.Title, a.Des)
		if a.Title != "" || a.URL != "" {
			link("app")
		}
	}
}

// transferState maps wcpayinfo/paysubtype: 1 sent, 3 accepted, 4 returned (notes §7, from
// sjzar/chatlog; 5 and 7 are the delayed variants there).
func transferState(sub int) string {
	switch sub {
	case 1, 5:
		return "sent"
	case 3, 7:
		return "accepted"
	case 4:
		return "returned"
	}
	return "paysubtype " + strconv.Itoa(sub)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// fill replaces ${username} placeholders of a pat template with names.
func fill(tmpl string, names Names) string {
	var b strings.Builder
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			break
		}
		user := tmpl[i+2 : i+j]
		b.WriteString(tmpl[:i])
		b.WriteString(first(names(user), user))
		tmpl = tmpl[i+j+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

// quotedText is the text of a quoted message: itself when text, else what it parses to.
func quotedText(typ int64, content string, names Names) string {
	if typ == 1 || !looksXML(content) {
		_, body, _ := SplitSender(content)
		return body
	}
	q := Parse(typ, content, names)
	if q.Text != "" {
		return q.Text
	}
	return "[" + string(q.Kind) + "]"
}
