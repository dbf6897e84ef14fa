package tgjson

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// reference decodes a record with encoding/json's reflection, the behaviour decodeMessage keeps.
func reference(raw []byte) (*Message, error) {
	m := &Message{}
	err := json.Unmarshal(raw, m)
	return m, err
}

// sameAsReference checks decodeMessage against encoding/json on one record: the same fields when
// encoding/json reads it, an Invalid error when encoding/json refuses it. Records with a name
// twice in one object are left out: encoding/json merges repeats into what it read before in
// ways no export relies on.
func sameAsReference(t testing.TB, raw []byte) {
	t.Helper()
	if !jsontext.Value(raw).IsValid(jsontext.AllowInvalidUTF8(true)) {
		return
	}
	want, wantErr := reference(raw)
	got := &Message{}
	gotErr := decodeMessage(raw, got)
	if wantErr != nil {
		if gotErr == nil {
			t.Fatalf("encoding/json refuses %s (%v), decodeMessage does not", raw, wantErr)
		}
		return
	}
	if gotErr != nil {
		t.Fatalf("decodeMessage refuses %s: %v", raw, gotErr)
	}
	gv, wv := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Fatalf("record %s\n%s: decoded %#v, reference %#v", raw, gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	for _, rec := range []string{
		`{}`,
		`{"id": 1, "type": "message", "date": "2024-01-01T10:00:00", "date_unixtime": "1704103200", "from": "Ann", "from_id": "user1", "text": "hi", "text_entities": [{"type": "plain", "text": "hi"}]}`,
		`{"id": -5, "date_unixtime": 1704103200, "edited_unixtime": "", "schedule_date": null, "from": null, "actor": null, "to": "X"}`,
		`{"text": "esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 \ud800 \udc00x \ud800\u0041 end"}`,
		"{\"text\": \"bad utf-8 \xff\xfe ok \xe2\x82 cut\"}",
		`{"text": ["a", "", {"type": "bold", "text": "b", "extra": [1, {"x": null}]}, null, {"TYPE": "code", "Text": "c"}], "text_entities": [null, {"type": "custom_emoji", "document_id": 5368324170671202286, "user_id": "7", "collapsed": true}]}`,
		`{"text": []}`, `{"text": ""}`, `{"text": null}`, `{"text_entities": []}`, `{"members": []}`, `{"members": ["a", null, "b"]}`,
		`{"ID": 3, "Type": "service", "ACTION": "pin_message", "Message_Id": 2, "ſtars": 4, "\u0069d": 9}`,
		`{"photo": "(File not included. Change data exporting settings to download.)", "file": "files/x (File exceeds maximum size. Change data exporting settings to download.)", "thumbnail": null, "contact_vcard": "c.vcf"}`,
		`{"poll": {"question": "q", "closed": true, "total_voters": 2, "answers": [{"text": "a", "voters": 2, "chosen": true}]}, "invoice_information": null, "location_information": {"latitude": 1.5, "longitude": -2}}`,
		`{"reactions": [{"type": "emoji", "count": 2, "emoji": "👍", "recent": [{"from": null, "from_id": "user1", "date": "d"}]}], "inline_bot_buttons": [[{"type": "url", "dataBase64": "eA==", "button_id": 5}]]}`,
		`{"reactions": [null, {"Count": 1, "type": "paid", "recent": null, "x": [{}]}, {"recent": [null, {"FROM": "A", "from": null}], "document_id": 7}], "text_entities": null}`,
		`{"reactions": [], "inline_bot_buttons": null}`, `{"reactions": null}`,
		`{"giveaway_information": {"a": [1]}, "giveaway_results": null, "new_icon_emoji_id": 12, "reason_app_id": "x", "gift_id": true, "peer_id": -1.5e3}`,
		`{"media_spoiler": true, "width": 1, "height": null, "duration_seconds": 99999999999999999, "file_size": -9223372036854775808}`,
		// Shapes encoding/json refuses.
		`{"width": "wide", "height": 5, "text": "still read"}`,
		`{"id": 1.5}`, `{"id": 1e3}`, `{"id": 99999999999999999999}`, `{"id": "1"}`, `{"type": 1}`, `{"media_spoiler": 1}`,
		`{"date_unixtime": "soon"}`, `{"date_unixtime": true}`, `{"date_unixtime": {}}`, `{"from_id": []}`, `{"from": 5}`,
		`{"photo": 1}`, `{"text": 5}`, `{"text": [1]}`, `{"text": [{"type": 1}]}`, `{"text_entities": ["x"]}`, `{"text_entities": {}}`,
		`{"members": "a"}`, `{"members": [1]}`, `{"poll": []}`, `{"reactions": {}}`, `{"reactions": [1]}`, `{"reactions": [{"count": "x"}]}`, `{"reactions": [{"recent": [{"from": 1}]}]}`, `{"location_information": {"latitude": "n"}}`,
	} {
		sameAsReference(t, []byte(rec))
	}
	// Every message of a generated export.
	var b strings.Builder
	if _, err := writeExport(&b, 1<<16, 50); err != nil {
		t.Fatal(err)
	}
	items, err := readString(t, b.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range items {
		if it.Kind == KindMessage {
			sameAsReference(t, it.Message.Raw)
			n++
		}
	}
	if n < 50 {
		t.Fatalf("only %d messages", n)
	}
}
