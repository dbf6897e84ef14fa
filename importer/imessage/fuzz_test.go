package imessage

import (
	"testing"
	"time"

	"github.com/chatvault/chatvault/importer/imessage/imessagetest"
)

func FuzzAttributedBody(f *testing.F) {
	f.Add(imessagetest.AttributedBody("hello"))
	f.Add(imessagetest.AttributedBody(string(make([]byte, 200))))
	f.Add([]byte("\x04\x0bstreamtypedNSString\x01+\x82\xff\xff\xff\x7f"))
	f.Add([]byte("\x04\x0bstreamtypedNSString\x01+\x81"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeAttributedBody(b)
		if err == nil && len(s) > len(b) {
			t.Fatalf("%d bytes of text from %d bytes", len(s), len(b))
		}
	})
}

func FuzzSummaryInfo(f *testing.F) {
	f.Add(imessagetest.SummaryInfo([]string{"a", "b"}, []time.Time{imessagetest.Base, imessagetest.Base}, nil))
	f.Add(imessagetest.SummaryInfo(nil, nil, []int{0, 1}))
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeSummary(b)
	})
}
