package wcdb

import (
	"strings"
	"testing"
)

// A remark longer than 127 bytes needs a two-byte length varint, which a reader of one-byte
// lengths (pengw0048/WechatExport-iOS ReadBlob) gets wrong.
func TestParseRemarkLongFields(t *testing.T) {
	long := strings.Repeat("备注", 50) // 300 bytes
	b := Encode(Field{1, []byte("小明")}, Field{2, []byte("xm_alias")}, Field{3, []byte(long)}, Field{6, []byte("xiaoming")})
	r, err := ParseRemark(b)
	if err != nil {
		t.Fatal(err)
	}
	if r.Nickname != "小明" || r.Alias != "xm_alias" || r.Remark != long || r.Name() != long {
		t.Errorf("got %+v", r)
	}
	if r, _ := ParseRemark(Encode(Field{1, []byte("Bob")})); r.Name() != "Bob" {
		t.Errorf("without a remark the name is the nickname, got %q", r.Name())
	}
}

func TestParseChatRoom(t *testing.T) {
	xmlData := `<RoomData><Member UserName="wxid_a"><DisplayName>群里的阿A</DisplayName></Member><Member UserName="wxid_b"></Member></RoomData>`
	b := Encode(Field{1, []byte("wxid_a;wxid_b;wxid_c")}, Field{2, []byte("wxid_a")}, Field{6, []byte(xmlData)})
	c, err := ParseChatRoom(b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.Members, ",") != "wxid_a,wxid_b,wxid_c" || c.Owner != "wxid_a" || c.DisplayNames["wxid_a"] != "群里的阿A" || len(c.DisplayNames) != 1 {
		t.Errorf("got %+v", c)
	}
}

func TestParseRoomData(t *testing.T) {
	b := Encode(Field{1, Encode(Field{1, []byte("wxid_a")}, Field{2, []byte("阿A")})}, Field{1, Encode(Field{1, []byte("wxid_b")})})
	members, names, err := ParseRoomData(b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(members, ",") != "wxid_a,wxid_b" || names["wxid_a"] != "阿A" || len(names) != 1 {
		t.Errorf("got %v %v", members, names)
	}
}

func TestMalformed(t *testing.T) {
	for _, b := range [][]byte{{0x0a, 0x05, 'a'}, {0x0a}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}} {
		if _, err := ParseRemark(b); err == nil {
			t.Errorf("% x: no error", b)
		}
	}
}

func FuzzBlobs(f *testing.F) {
	f.Add(Encode(Field{1, []byte("n")}, Field{3, []byte("r")}))
	f.Add(Encode(Field{1, []byte("a;b")}, Field{6, []byte(`<RoomData><Member UserName="a"><DisplayName>x</DisplayName></Member></RoomData>`)}))
	f.Add(Encode(Field{1, Encode(Field{1, []byte("a")}, Field{2, []byte("b")})}))
	f.Add([]byte{0x08, 0x96, 0x01, 0x0a, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		ParseRemark(b)
		ParseChatRoom(b)
		ParseRoomData(b)
	})
}
