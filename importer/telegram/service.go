package telegram

import (
	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/telegram/tgjson"
)

// knownActions are the service actions Telegram Desktop writes (export_output_json.cpp); others
// (newer versions) are kept all the same, and counted in a note.
var knownActions = map[string]bool{
	"create_group": true, "edit_group_title": true, "edit_group_photo": true, "delete_group_photo": true,
	"invite_members": true, "remove_members": true, "join_group_by_link": true, "join_group_by_request": true,
	"create_channel": true, "migrate_to_supergroup": true, "migrate_from_group": true, "pin_message": true,
	"clear_history": true, "score_in_game": true, "send_payment": true, "phone_call": true, "group_call": true,
	"invite_to_group_call": true, "group_call_scheduled": true, "take_screenshot": true, "joined_telegram": true,
	"proximity_reached": true, "set_messages_ttl": true, "edit_chat_theme": true, "topic_created": true,
	"topic_edit": true, "suggest_profile_photo": true, "set_chat_wallpaper": true, "set_same_chat_wallpaper": true,
	"requested_phone_number": true, "requested_peer": true, "send_passport_values": true,
	"allow_sending_messages": true, "attach_menu_bot_allowed": true, "web_app_bot_allowed": true,
	"send_webview_data": true, "send_premium_gift": true, "gift_code_prize": true, "giveaway_launch": true,
	"giveaway_results": true, "boost_apply": true, "refunded_payment": true, "send_stars_gift": true,
	"stars_prize": true, "send_star_gift": true, "bot_allowed": true, "custom_action": true,
}

// service maps a service message (join, call, pin, title change, migration...) onto a system
// event naming its actor and the members or title it concerns.
func (c *converter) service(m *archive.Message, tm *tgjson.Message) error {
	m.Kind = archive.KindSystem
	id, _, err := c.sender(tm.ActorID, tm.Actor)
	if err != nil {
		return err
	}
	m.SenderID = id
	action := tm.Action
	switch {
	case action == "" && tm.InformationText != "":
		action = "custom_action"
		if m.Text == "" {
			m.Text = tm.InformationText
		}
	case action == "":
		action = "unknown"
		c.unknown["service message without an action"]++
	case !knownActions[action]:
		c.unknown["service action "+action]++
	}
	ev := &archive.Event{Type: action, Actor: tm.Actor.Name, Targets: tm.Members}
	d := c.details(m)
	d.Event = ev
	switch action {
	case "create_group", "create_channel", "edit_group_title", "migrate_from_group", "topic_created":
		if tm.Title != "" {
			ev.Targets = append(ev.Targets, tm.Title)
		}
	case "topic_edit":
		if tm.NewTitle != "" {
			ev.Targets = append(ev.Targets, tm.NewTitle)
		}
	case "join_group_by_link":
		if tm.Inviter.Name != "" {
			ev.Targets = append(ev.Targets, tm.Inviter.Name)
		}
	case "proximity_reached":
		ev.Targets = append(ev.Targets, tm.To.Name)
	case "edit_chat_theme":
		if tm.Emoticon != "" {
			ev.Targets = append(ev.Targets, tm.Emoticon)
		}
	case "pin_message", "set_chat_wallpaper", "set_same_chat_wallpaper":
		if tm.MessageID != 0 {
			m.ReplyTo = msgUID(tm.MessageID)
		}
	case "phone_call":
		m.Kind = archive.KindCall
		d.Call = &archive.Call{DurationMS: tm.DurationSeconds * 1000,
			Missed: tm.DiscardReason == "missed" || tm.DiscardReason == "busy"}
		if tm.DiscardReason != "" {
			ev.Targets = append(ev.Targets, tm.DiscardReason)
		}
	case "group_call":
		if tm.Duration > 0 {
			d.DurationMS = tm.Duration * 1000
		}
	case "set_messages_ttl":
		if tm.Period > 0 {
			d.DurationMS = tm.Period * 1000
		}
	case "edit_group_photo", "suggest_profile_photo":
		if tm.Photo.Present() {
			a := archive.Attachment{Kind: archive.KindPhoto, MIME: "image/jpeg"}
			c.sizeDetails(&a, tm)
			if err := c.attach(m, a, tm.Photo); err != nil {
				return err
			}
		}
	}
	return nil
}
