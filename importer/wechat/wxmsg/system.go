package wxmsg

import (
	"strings"

	"github.com/chatvault/chatvault/archive"
)

// systemText maps type 10000: a plain notice, possibly with link tags, or a sysmsgtemplate.
func systemText(m *Message, content string, x *xmsg, xmlOK bool, names Names) {
	m.Kind = archive.KindSystem
	if xmlOK && x.XMLName.Local == "sysmsg" && x.Type == "sysmsgtemplate" {
		m.Text = template(x, names)
		m.Type = "10000/sysmsgtemplate"
	} else {
		m.Text = stripTags(content)
	}
	m.Details = &archive.Details{Event: &archive.Event{Type: eventType(m.Text)}}
}

// eventType names a system notice by the words WeChat writes (Chinese and English builds).
func eventType(s string) string {
	switch {
	case strings.Contains(s, "撤回") || strings.Contains(s, "recalled"):
		return "recall"
	case strings.Contains(s, "邀请") || strings.Contains(s, "加入了群聊") || strings.Contains(s, "joined") || strings.Contains(s, "invited"):
		return "member_added"
	case strings.Contains(s, "移出") || strings.Contains(s, "removed"):
		return "member_removed"
	case strings.Contains(s, "修改群名") || strings.Contains(s, "changed the group name"):
		return "group_renamed"
	case strings.Contains(s, "拍了拍") || strings.Contains(s, "patted"):
		return "pat"
	case strings.Contains(s, "红包") || strings.Contains(s, "Red Packet"):
		return "red_packet"
	}
	return "notice"
}

// template resolves `content_template/template` ("$username$邀请$names$加入了群聊") from its
// link_list: each link's members' nicknames (or names known here), joined by its separator.
func template(x *xmsg, names Names) string {
	t := x.Template.Template
	if t == "" {
		return x.Template.Plain
	}
	for _, l := range x.Template.Links {
		var parts []string
		for _, mem := range l.Members {
			parts = append(parts, first(names(mem.Username), mem.Nickname, mem.Username))
		}
		val := strings.Join(parts, first(l.Separator, "、"))
		if val == "" {
			val = first(l.Plain, l.Title)
		}
		t = strings.ReplaceAll(t, "$"+l.Name+"$", val)
	}
	return t
}

// sysmsg maps type 10002 by its sysmsg type: recalls, pats, and others kept as notices.
func sysmsg(m *Message, content string, x *xmsg, names Names) {
	m.Kind = archive.KindSystem
	m.Type = "10002/" + x.Type
	switch x.Type {
	case "revokemsg":
		r := &x.Revoke
		m.Text = stripTags(first(r.ReplaceMsg, "撤回了一条消息"))
		m.RecalledSvrID = first(r.NewMsgID, r.OldMsgID, r.MsgID)
		m.Details = &archive.Details{Event: &archive.Event{Type: "recall", Targets: nonEmpty(m.RecalledSvrID)}}
	case "pat":
		m.Text = fill(x.Pat.Template, names)
		m.Details = &archive.Details{Event: &archive.Event{Type: "pat", Actor: x.Pat.From, Targets: nonEmpty(x.Pat.Patted)}}
	case "sysmsgtemplate":
		m.Text = template(x, names)
		m.Details = &archive.Details{Event: &archive.Event{Type: eventType(m.Text)}}
	case "":
		m.Unknown = true
		m.Text = summary(content, x)
	default:
		m.Text = first(stripTags(x.Template.Plain), summary(content, x))
		m.Details = &archive.Details{Event: &archive.Event{Type: x.Type}}
	}
}
