package dump

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/chatvault/chatvault/archive"
)

// decodeLineCases are month-file lines: what the dump writes, and lines it never writes that a
// damaged or hand-edited file may hold.
func decodeLineCases(t testing.TB) [][]byte {
	off := 3600
	written := []MessageLine{
		{UID: "20190101T0809-8d4c", TS: 1546330140000, Kind: archive.KindText, Text: "plain text", Import: "imp1", Src: "line 1", Raw: "01/01/2019, 09:09 - Ana: plain text"},
		{UID: "a2", TS: -5, Offset: &off, OffsetAssumed: true, Sender: "tel:+49151", FromMe: true, Kind: archive.KindPhoto,
			Text: "quotes \" backslash \\ newline\n tab\t control \x01 \u2028 emoji 👨‍👩‍👧 <b>&amp;</b>", Flags: []string{"forwarded", "edited"},
			ReplyTo: "a1", Details: &archive.Details{ForwardedFrom: "Bob", Quote: &archive.Quote{Text: "earlier"}},
			Attachments: []archive.Attachment{{Kind: archive.KindPhoto, FileName: "IMG-1.png", MIME: "image/png", Size: 15, SHA256: "ab"}},
			Reactions:   []ReactionLine{{Sender: "name:ana", Emoji: "❤️", TS: 7}}, Import: "imp2",
			Keys: []string{"k1", "k2"}, Revisions: []RevisionLine{{TS: 1, Text: "before"}}, Votes: []VoteLine{{Voter: "x", Option: 2}},
			Sources: []SourceLine{{Import: "imp1", Src: "row 4", Raw: "{}"}}},
		{UID: "empty"},
		{UID: "neg", Offset: new(int), Flags: []string{}, Keys: []string{}},
	}
	var buf bytes.Buffer
	jl := newJSONLines(&buf)
	for i := range written {
		if err := jl.write(&written[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := jl.flush(); err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
	for _, line := range lines {
		var ml MessageLine
		if s := (lineScanner{b: line}); !s.messageLine(&ml) {
			t.Errorf("a line as the dump writes it is left to encoding/json: %s", line)
		}
	}
	for _, s := range []string{
		`{"uid":"a","ts":1,"kind":"text"}`,
		`  {"uid" : "a" , "ts" : 1 }  ` + "\n",
		`{}`,
		`{"UID":"a"}`,                     // encoding/json matches keys regardless of case
		`{"uid":"a","uid":"b"}`,           // the last one wins
		`{"uid":"a","extra":{"x":[1,2]}}`, // unknown keys are ignored
		`{"uid":null,"offset":null}`,      // null
		`{"ts":1.5}`, `{"ts":1e3}`, `{"ts":01}`, `{"ts":-}`, `{"ts":99999999999999999999}`,
		`{"offset":-0}`, `{"ts":-0}`,
		`{"text":"\ud83d\ude00 pair"}`, `{"text":"\ud83d lone"}`, `{"text":"\u00e9\u0041\/"}`, `{"text":"bad \x escape"}`,
		"{\"text\":\"invalid \xff utf-8\"}", "{\"text\":\"raw \x01 control\"}",
		`{"from_me":true,"offset_assumed":false}`, `{"from_me":tru}`, `{"from_me":1}`,
		`{"flags":["a",1]}`, `{"flags":"a"}`, `{"keys":["a","b",]}`,
		`{"details":{"quote":{"text":"}]\""}}}`, `{"details":{"x":]}`, `{"details":[1]}`, `{"attachments":[{"kind":"photo","size":"big"}]}`,
		`{"reactions":[{"emoji":"x"}]]}`, `{"uid":"a"} trailing`, `{"uid":"a"}{}`, `{"uid":"a",}`, `{"uid":"a"`, `[]`, ``, `"uid"`,
		`{"uid":"a"` + "\n" + `}`,
	} {
		lines = append(lines, []byte(s))
	}
	return lines
}

// The hand-written reader gives exactly what encoding/json gives, errors included.
func TestDecodeMessageLineMatchesEncodingJSON(t *testing.T) {
	for _, line := range decodeLineCases(t) {
		checkDecodeLine(t, line)
	}
}

func FuzzDecodeMessageLine(f *testing.F) {
	for _, line := range decodeLineCases(f) {
		f.Add(line)
	}
	f.Fuzz(checkDecodeLine)
}

func checkDecodeLine(t *testing.T, line []byte) {
	var want, got MessageLine
	werr := json.Unmarshal(line, &want)
	gerr := decodeMessageLine(line, &got)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%q: encoding/json error %v, decodeMessageLine error %v", line, werr, gerr)
	}
	if werr == nil && !reflect.DeepEqual(want, got) {
		t.Fatalf("%q:\nencoding/json      %+v\ndecodeMessageLine %+v", line, want, got)
	}
}
