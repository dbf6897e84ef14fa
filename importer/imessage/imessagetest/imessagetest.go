// Package imessagetest writes a Messages database (sms.db) on the real schema, with one row of
// every kind the imessage importer maps, and the attachment files it names, for tests of that
// importer and of the iPhone backup container.
package imessagetest

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"time"

	"howett.net/plist"

	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver, as chatvault opens it
)

// AttributedBody encodes text as message.attributedBody does: an NSAttributedString archived by
// NSArchiver (typedstream), laid out as in imessage-exporter's test blobs and the edit history
// of its Edited.plist.
func AttributedBody(text string) []byte {
	b := []byte("\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00\x84\x84\x08NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+")
	b = typedInt(b, len(text))
	b = append(b, text...)
	b = append(b, "\x86\x84\x02iI\x01"...)
	b = typedInt(b, len([]rune(text)))
	b = append(b, "\x92\x84\x84\x84\x0cNSDictionary\x00\x94\x84\x01i\x01\x92\x84\x96\x96\x1d__kIMMessagePartAttributeName\x86\x92\x84\x84\x84\x08NSNumber\x00\x84\x84\x07NSValue\x00\x94\x84\x01*\x84\x99\x99\x00\x86\x86\x86"...)
	return b
}

func typedInt(b []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(b, byte(n))
	case n < 1<<15:
		return binary.LittleEndian.AppendUint16(append(b, 0x81), uint16(n))
	}
	return binary.LittleEndian.AppendUint32(append(b, 0x82), uint32(n))
}

// SummaryInfo encodes a message_summary_info plist: the edit history of part 0 (oldest first,
// each with its time) and the unsent parts.
func SummaryInfo(edits []string, times []time.Time, retracted []int) []byte {
	type edit struct {
		T []byte  `plist:"t"`
		D float64 `plist:"d"`
	}
	v := map[string]any{"amc": 0, "ust": true}
	if len(edits) > 0 {
		var es []edit
		for i, e := range edits {
			es = append(es, edit{AttributedBody(e), appleSeconds(times[i])})
		}
		v["ec"] = map[string]any{"0": es}
	}
	if len(retracted) > 0 {
		v["rp"] = retracted
	}
	b, err := plist.Marshal(v, plist.BinaryFormat)
	if err != nil {
		panic(err)
	}
	return b
}

var epoch = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)

func appleSeconds(t time.Time) float64 { return t.Sub(epoch).Seconds() }

// appleNanos is a date column from iOS 11 on: nanoseconds since 2001.
func appleNanos(t time.Time) int64 { return t.Sub(epoch).Nanoseconds() }

// Base is the time of the first message; message n is n minutes later.
var Base = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

// Attachment files, by their path under the home folder ("~").
const (
	PhotoPath   = "Library/SMS/Attachments/1a/10/A1B2C3D4-0001/IMG_0001.jpeg"
	AudioPath   = "Library/SMS/Attachments/2b/11/A1B2C3D4-0002/Audio Message.caf"
	LocPath     = "Library/SMS/Attachments/3c/12/A1B2C3D4-0003/CL.loc.vcf"
	StickerPath = "Library/SMS/Attachments/4d/13/A1B2C3D4-0004/sticker.heic"
	MissingPath = "Library/SMS/Attachments/5e/14/A1B2C3D4-0005/gone.mov"
)

// Files are the attachment files the database names (all but MissingPath), by path under "~".
func Files() map[string][]byte {
	return map[string][]byte{
		PhotoPath:   []byte("\xff\xd8\xff\xe0 fake jpeg for chatvault tests"),
		AudioPath:   []byte("caff fake audio message"),
		LocPath:     []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Current Location;;;\r\nitem1.URL;type=pref:http://maps.apple.com/?ll=52.516275\\,13.377704&q=52.516275\\,13.377704\r\nEND:VCARD\r\n"),
		StickerPath: []byte("fake heic sticker"),
	}
}

// Counts of what Write puts in: conversations and their messages (tapbacks are reactions,
// not messages).
const (
	DirectKey      = "imsg:+4915112345678"
	GroupKey       = "imsg:chat123456789"
	DirectMessages = 7 // rows 1-4, 8-10 (iMessage and SMS threads of one person)
	GroupMessages  = 7 // rows 11-17
)

// GUID is the guid of message row n.
func GUID(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// Write creates the database at path.
func Write(path string) error {
	os.Remove(path)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec(schema); err != nil {
		return err
	}
	exec := func(q string, args ...any) {
		if err == nil {
			_, err = db.Exec(q, args...)
		}
	}
	for _, h := range [][]any{{1, "+4915112345678", "iMessage"}, {2, "+4915112345678", "SMS"}, {3, "bob@example.com", "iMessage"}, {4, "+4917600000001", "iMessage"}} {
		exec(`INSERT INTO handle(ROWID, id, country, service) VALUES(?,?,'de',?)`, h...)
	}
	exec(`INSERT INTO chat(ROWID, guid, style, chat_identifier, service_name, display_name) VALUES
		(1, 'iMessage;-;+4915112345678', 45, '+4915112345678', 'iMessage', ''),
		(2, 'SMS;-;+4915112345678', 45, '+4915112345678', 'SMS', ''),
		(3, 'iMessage;+;chat123456789', 43, 'chat123456789', 'iMessage', 'Hiking')`)
	exec(`INSERT INTO chat_handle_join VALUES (1,1),(2,2),(3,3),(3,4)`)
	at := func(n int) int64 { return appleNanos(Base.Add(time.Duration(n) * time.Minute)) }
	type msg struct {
		n       int
		chat    int
		handle  int
		fromMe  int
		service string
		text    any
		extra   map[string]any
	}
	edited := SummaryInfo([]string{"See you at 8", "See you at 9"}, []time.Time{Base.Add(9 * time.Minute), Base.Add(10 * time.Minute)}, nil)
	msgs := []msg{
		{1, 1, 1, 0, "iMessage", "Hi there", nil},
		{2, 1, 1, 1, "iMessage", "Hello back", nil},
		{3, 2, 2, 0, "SMS", "an SMS", nil},
		{4, 1, 1, 1, "iMessage", nil, map[string]any{"attributedBody": AttributedBody("Text only in attributedBody")}},
		{5, 1, 1, 0, "iMessage", "Loved “Hello back”", map[string]any{"associated_message_type": 2000, "associated_message_guid": "p:0/" + GUID(2)}},
		{6, 1, 1, 1, "iMessage", "Liked “Hi there”", map[string]any{"associated_message_type": 2001, "associated_message_guid": "p:0/" + GUID(1)}},
		{7, 1, 1, 1, "iMessage", "Removed a like", map[string]any{"associated_message_type": 3001, "associated_message_guid": "p:0/" + GUID(1)}},
		{8, 1, 1, 0, "iMessage", "A reply", map[string]any{"thread_originator_guid": GUID(2), "thread_originator_part": "0:0:10"}},
		{9, 1, 1, 1, "iMessage", "See you at 9", map[string]any{"message_summary_info": edited, "date_edited": at(10)}},
		{10, 1, 1, 1, "iMessage", nil, map[string]any{"message_summary_info": SummaryInfo(nil, nil, []int{0}), "date_retracted": at(11)}},
		{11, 3, 3, 0, "iMessage", "\uFFFCLook", nil},
		{12, 3, 0, 1, "iMessage", nil, map[string]any{"is_audio_message": 1}},
		{13, 3, 4, 0, "iMessage", nil, nil},
		{14, 3, 3, 0, "iMessage", nil, nil},
		{15, 3, 3, 0, "iMessage", nil, map[string]any{"item_type": 2, "group_title": "Hiking 2"}},
		{16, 3, 0, 1, "iMessage", nil, map[string]any{"item_type": 1, "group_action_type": 0, "other_handle": 4}},
		{17, 3, 4, 0, "iMessage", nil, nil},
		{18, 3, 4, 0, "iMessage", "Reacted 🔥", map[string]any{"associated_message_type": 2006, "associated_message_guid": "p:0/" + GUID(11), "associated_message_emoji": "🔥"}},
	}
	for _, m := range msgs {
		exec(`INSERT INTO message(ROWID, guid, text, handle_id, service, date, is_from_me) VALUES(?,?,?,?,?,?,?)`,
			m.n, GUID(m.n), m.text, m.handle, m.service, at(m.n), m.fromMe)
		for k, v := range m.extra {
			exec(`UPDATE message SET `+k+` = ? WHERE ROWID = ?`, v, m.n)
		}
		exec(`INSERT INTO chat_message_join VALUES(?,?)`, m.chat, m.n)
	}
	for i, a := range []struct {
		msg     int
		path    string
		mime    string
		sticker int
	}{{11, PhotoPath, "image/jpeg", 0}, {12, AudioPath, "audio/x-caf", 0}, {13, LocPath, "text/x-vlocation", 0},
		{14, StickerPath, "image/heic", 1}, {17, MissingPath, "video/quicktime", 0}} {
		exec(`INSERT INTO attachment(ROWID, guid, filename, mime_type, transfer_name, total_bytes, is_sticker) VALUES(?,?,?,?,?,?,?)`,
			i+1, fmt.Sprintf("at_%d", i+1), "~/"+a.path, a.mime, baseName(a.path), len(Files()[a.path]), a.sticker)
		exec(`INSERT INTO message_attachment_join VALUES(?,?)`, a.msg, i+1)
	}
	return err
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}
