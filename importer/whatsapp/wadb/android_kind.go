package wadb

import (
	"strconv"
	"strings"

	"github.com/chatvault/chatvault/archive"
)

// androidKind maps message.message_type (legacy: messages.media_wa_type, the same codes) onto
// a kind. Codes: notes/whatsapp-databases.md §4.3 (amberkeep, IPED, Knugi). ok is false for a
// code with no known meaning: the message is kept as system with the number, and counted.
func androidKind(code int64, voice bool) (k archive.Kind, viewOnce, ok bool) {
	switch code {
	case 0:
		return archive.KindText, false, true
	case 1:
		return archive.KindPhoto, false, true
	case 2:
		if voice {
			return archive.KindVoice, false, true
		}
		return archive.KindAudio, false, true
	case 3:
		return archive.KindVideo, false, true
	case 4, 14:
		return archive.KindContact, false, true
	case 5:
		return archive.KindLocation, false, true
	case 7, 28, 36, 112:
		return archive.KindSystem, false, true
	case 8, 10, 90:
		return archive.KindCall, false, true
	case 9:
		return archive.KindDocument, false, true
	case 11:
		return archive.KindText, false, true // "waiting for this message": the content never arrived
	case 13:
		return archive.KindGIF, false, true
	case 15, 64:
		return archive.KindDeleted, false, true
	case 16:
		return archive.KindLiveLocation, false, true
	case 20:
		return archive.KindSticker, false, true
	case 24:
		return archive.KindText, false, true // group invite link
	case 42:
		return archive.KindPhoto, true, true
	case 43:
		return archive.KindVideo, true, true
	case 82:
		return archive.KindVoice, true, true
	case 66, 106:
		return archive.KindPoll, false, true
	}
	return archive.KindSystem, false, false
}

// systemEvent names message_system.action_type (legacy: media_size of a status-6 row), §4.4.
func systemEvent(action int64) string {
	switch action {
	case 1:
		return "subject_changed"
	case 4, 12:
		return "member_added"
	case 5, 13:
		return "member_left"
	case 6:
		return "photo_changed"
	case 7, 14:
		return "member_removed"
	case 10, 28:
		return "number_changed"
	case 11:
		return "group_created"
	case 15:
		return "admin_granted"
	case 18:
		return "security_code_changed"
	case 19, 67:
		return "e2e_notice"
	case 20:
		return "joined_via_link"
	case 27:
		return "description_changed"
	case 46:
		return "business_chat"
	case 56:
		return "disappearing_messages"
	case 57:
		return "devices_changed"
	case 58:
		return "blocked"
	case 69:
		return "business_notice"
	case 70:
		return "group_call"
	case 165:
		return "username_changed"
	}
	return "action_" + strconv.FormatInt(action, 10)
}

// parseVCard takes the name and phone numbers out of a vCard.
func parseVCard(v string) *archive.ContactCard {
	c := &archive.ContactCard{VCard: v}
	for _, line := range strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		name := strings.ToUpper(key)
		if i := strings.IndexByte(name, ';'); i >= 0 {
			name = name[:i]
		}
		if j := strings.LastIndexByte(name, '.'); j >= 0 {
			name = name[j+1:] // item1.TEL
		}
		switch name {
		case "FN":
			if c.Name == "" {
				c.Name = strings.TrimSpace(val)
			}
		case "TEL":
			if t := strings.TrimSpace(val); t != "" && len(c.Phones) < 32 {
				c.Phones = append(c.Phones, t)
			}
		}
	}
	return c
}
