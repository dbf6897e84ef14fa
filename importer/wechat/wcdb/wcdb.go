// Package wcdb decodes the protobuf blobs WeChat keeps about contacts and groups: the iPhone's
// WCDB_Contact.sqlite Friend columns (dbContactRemark, dbContactChatRoom) and the member lists
// with group display names of Android's chatroom.roomdata and the desktop's ChatRoom.RoomData.
// Field numbers: /work/shared/notes/wechat.md §4 and §9 (from BlueMatthew/WechatExporter
// FriendsParser, pengw0048/WechatExport-iOS, sjzar/chatlog).
package wcdb

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// maxBlob bounds one blob: real ones are a few KiB (a 500-member group's RoomData some 100 KiB).
const maxBlob = 8 << 20

// Remark is a contact's dbContactRemark: 1 nickname, 2 alias (the WeChat ID the user chose),
// 3 remark (the name the account owner gave the contact).
type Remark struct {
	Nickname, Alias, Remark string
}

// Name is how WeChat shows the contact: the remark if set, else the nickname.
func (r Remark) Name() string {
	if r.Remark != "" {
		return r.Remark
	}
	return r.Nickname
}

// ParseRemark decodes a dbContactRemark blob.
func ParseRemark(b []byte) (Remark, error) {
	var r Remark
	err := fields(b, func(num protowire.Number, v []byte) error {
		switch num {
		case 1:
			r.Nickname = text(v)
		case 2:
			r.Alias = text(v)
		case 3:
			r.Remark = text(v)
		}
		return nil
	})
	return r, err
}

// ChatRoom is a group's dbContactChatRoom: 1 members joined by ';', 2 owner, 6 the RoomData XML
// with each member's group display name.
type ChatRoom struct {
	Members      []string
	Owner        string
	DisplayNames map[string]string // username -> name shown in this group, when set
}

// ParseChatRoom decodes a dbContactChatRoom blob.
func ParseChatRoom(b []byte) (ChatRoom, error) {
	var c ChatRoom
	err := fields(b, func(num protowire.Number, v []byte) error {
		switch num {
		case 1:
			for _, m := range strings.Split(text(v), ";") {
				if m = strings.TrimSpace(m); m != "" {
					c.Members = append(c.Members, m)
				}
			}
		case 2:
			c.Owner = text(v)
		case 6:
			names, err := ParseRoomDataXML(string(v))
			if err != nil {
				return err
			}
			c.DisplayNames = names
		}
		return nil
	})
	return c, err
}

// ParseRoomDataXML reads `<RoomData><Member UserName="wxid"><DisplayName>name</DisplayName>
// </Member>...</RoomData>` into username -> display name (members without one left out).
func ParseRoomDataXML(s string) (map[string]string, error) {
	var rd struct {
		Members []struct {
			UserName    string `xml:"UserName,attr"`
			DisplayName string `xml:"DisplayName"`
		} `xml:"Member"`
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	if err := xml.Unmarshal([]byte(s), &rd); err != nil {
		return nil, fmt.Errorf("RoomData XML: %w", err)
	}
	out := map[string]string{}
	for _, m := range rd.Members {
		if m.UserName != "" && m.DisplayName != "" {
			out[m.UserName] = m.DisplayName
		}
	}
	return out, nil
}

// ParseRoomData decodes the protobuf member list of Android's chatroom.roomdata and the desktop's
// ChatRoom.RoomData / chat_room.ext_buffer: repeated field 1 = member {1 username, 2 display
// name} (notes §9, from chatlog; Android assumed to share it). It returns the members in order
// and their display names.
func ParseRoomData(b []byte) (members []string, names map[string]string, err error) {
	names = map[string]string{}
	err = fields(b, func(num protowire.Number, v []byte) error {
		if num != 1 {
			return nil
		}
		var user, name string
		if err := fields(v, func(n protowire.Number, w []byte) error {
			switch n {
			case 1:
				user = text(w)
			case 2:
				name = text(w)
			}
			return nil
		}); err != nil {
			return err
		}
		if user != "" {
			members = append(members, user)
			if name != "" {
				names[user] = name
			}
		}
		return nil
	})
	return members, names, err
}

// ErrTooLarge is returned for blobs above the size bound.
var ErrTooLarge = errors.New("protobuf blob too large")

// fields calls fn with each length-delimited field of a protobuf message; varint and fixed
// fields are skipped. A malformed message is an error saying at which byte.
func fields(b []byte, fn func(protowire.Number, []byte) error) error {
	if len(b) > maxBlob {
		return ErrTooLarge
	}
	off := 0
	for off < len(b) {
		num, typ, n := protowire.ConsumeTag(b[off:])
		if n < 0 {
			return fmt.Errorf("protobuf: bad tag at byte %d", off)
		}
		off += n
		if typ == protowire.BytesType {
			v, m := protowire.ConsumeBytes(b[off:])
			if m < 0 {
				return fmt.Errorf("protobuf: bad length of field %d at byte %d", num, off)
			}
			off += m
			if err := fn(num, v); err != nil {
				return err
			}
			continue
		}
		m := protowire.ConsumeFieldValue(num, typ, b[off:])
		if m < 0 {
			return fmt.Errorf("protobuf: bad value of field %d at byte %d", num, off)
		}
		off += m
	}
	return nil
}

// text is a field as UTF-8, invalid bytes replaced.
func text(v []byte) string {
	if utf8.Valid(v) {
		return string(v)
	}
	return strings.ToValidUTF8(string(v), "\uFFFD")
}
