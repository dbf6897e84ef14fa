package imessage

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/chatvault/chatvault/importer/imessage/imessagetest"
	"github.com/chatvault/chatvault/internal/fixtures"
)

// The attributedBody blobs of imessage-exporter's tests decode to the strings they hold (read
// off the bytes with xxd: the length byte after "NSString\x01\x95\x84\x01+").
func TestAttributedBodyFixtures(t *testing.T) {
	dir := fixtures.Path(t, "imessage")
	for file, want := range map[string]string{
		"imessageexporter-attributedBody-textonly.bin": "Noter test",
		// three attachments (U+FFFC) between the parts
		"imessageexporter-attributedBody-multipart.bin": "test 1test 2 test 3",
		"imessageexporter-attributedBody-url.bin":       "https://github.com/ReagentX/Logria",
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeAttributedBody(b)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if got != want {
			t.Errorf("%s: %q, want %q", file, got, want)
		}
	}
}

func TestAttributedBodyRoundTrip(t *testing.T) {
	for _, s := range []string{"", "a", "Grüße 👋", string(make([]byte, 300)), string(make([]byte, 40000))} {
		got, err := decodeAttributedBody(imessagetest.AttributedBody(s))
		if err != nil || got != s {
			t.Errorf("%d bytes: got %d bytes, %v", len(s), len(got), err)
		}
	}
	for _, bad := range [][]byte{nil, []byte("bplist00"), imessagetest.AttributedBody("hello")[:60]} {
		if _, err := decodeAttributedBody(bad); err == nil {
			t.Errorf("%q decoded without an error", bad)
		}
	}
}

// The edit history of imessage-exporter's Edited.plist (read with Python's plistlib: part 0,
// four versions) and its Deleted.plist (rp = [0]).
func TestSummaryFixtures(t *testing.T) {
	dir := fixtures.Path(t, "imessage")
	b, err := os.ReadFile(filepath.Join(dir, "imessageexporter-message_summary_info-edited.plist"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := decodeSummary(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"First message  ", "Edit 1", "Edit 2", "Edited message"}
	if len(s.History) != len(want) {
		t.Fatalf("%d versions, want %d", len(s.History), len(want))
	}
	for i, w := range want {
		if s.History[i].Text != w {
			t.Errorf("version %d: %q, want %q", i, s.History[i].Text, w)
		}
	}
	// d = 690513474.27 s after 2001-01-01: 2022-11-19 01:17:54 UTC (Python datetime).
	if got := s.History[0].Time.Format("2006-01-02 15:04:05"); got != "2022-11-19 01:17:54" {
		t.Errorf("first version at %s", got)
	}
	b, err = os.ReadFile(filepath.Join(dir, "imessageexporter-message_summary_info-unsent.plist"))
	if err != nil {
		t.Fatal(err)
	}
	s, err = decodeSummary(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.History) != 0 || len(s.Retracted) != 1 || s.Retracted[0] != 0 {
		t.Errorf("unsent: %+v", s)
	}
}

func TestAppleTime(t *testing.T) {
	// mvt's sms.db row: 588813210539788032 ns; plaso's chat.db row 1: 469908586 s.
	if got := appleTime(588813210539788032).Format("2006-01-02"); got != "2019-08-29" {
		t.Errorf("nanoseconds: %s", got)
	}
	if got := appleTime(469908586).Format("2006-01-02 15:04:05"); got != "2015-11-22 18:09:46" {
		t.Errorf("seconds: %s", got)
	}
}

func TestParseLocVCard(t *testing.T) {
	loc := parseLocVCard(string(imessagetest.Files()[imessagetest.LocPath]))
	if lat, lon, ok := loc.LatLon(); !ok || lat != 52.516275 || lon != 13.377704 {
		t.Fatalf("%+v", loc)
	}
	if parseLocVCard("BEGIN:VCARD\nURL:http://maps.apple.com/?ll=999,1\nEND:VCARD") != nil {
		t.Error("latitude 999 accepted")
	}
}

// The raw record is valid JSON holding the row's values.
func TestRawJSON(t *testing.T) {
	raw := rawJSON(7, 2, row{"guid": "G\"1", "text": "hé\n", "date": int64(5), "attributedBody": []byte{0, 1}, "subject": nil})
	var v map[string]any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	if v["ROWID"] != 7.0 || v["chat_id"] != 2.0 || v["guid"] != "G\"1" || v["text"] != "hé\n" || v["attributedBody"] != "AAE=" || v["subject"] != nil {
		t.Errorf("%s", raw)
	}
}
