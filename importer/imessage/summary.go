package imessage

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"howett.net/plist"
)

// summaryInfo is what message_summary_info (a binary plist, iOS 16+ / macOS 13+) says about
// edits and unsends: "ec" maps a message part's index to its edit history, each entry the
// part's text as an attributedBody ("t") and when it was written ("d", seconds since 2001);
// "rp" lists the indexes of parts that were unsent (retracted). Layout learned from
// imessage-exporter's test plists (Edited.plist, Deleted.plist).
type summaryInfo struct {
	Edits     map[string][]summaryEdit `plist:"ec"`
	Retracted []int                    `plist:"rp"`
}

type summaryEdit struct {
	Text []byte  `plist:"t"`
	Date float64 `plist:"d"`
}

// edit is one version of a message's text.
type edit struct {
	Time time.Time
	Text string
}

// summary is the decoded edit history (oldest first, per part, parts in order) and the
// unsent part indexes.
type summary struct {
	History   []edit
	Retracted []int
}

// maxSummary bounds one message_summary_info plist.
const maxSummary = 4 << 20

func decodeSummary(b []byte) (summary, error) {
	var s summary
	if len(b) > maxSummary {
		return s, fmt.Errorf("message_summary_info: %d bytes, more than %d", len(b), maxSummary)
	}
	var si summaryInfo
	if err := decodePlist(b, &si); err != nil {
		return s, fmt.Errorf("message_summary_info: %w", err)
	}
	parts := make([]int, 0, len(si.Edits))
	for k := range si.Edits {
		n, err := strconv.Atoi(k)
		if err != nil {
			return s, fmt.Errorf("message_summary_info: edit part %q is not a number", k)
		}
		parts = append(parts, n)
	}
	sort.Ints(parts)
	for _, p := range parts {
		for _, e := range si.Edits[strconv.Itoa(p)] {
			text, err := decodeAttributedBody(e.Text)
			if err != nil {
				return s, fmt.Errorf("message_summary_info: edit of part %d: %w", p, err)
			}
			s.History = append(s.History, edit{Time: appleSeconds(e.Date), Text: text})
		}
	}
	s.Retracted = si.Retracted
	return s, nil
}

// decodePlist decodes a plist, turning the decoder's panics on hostile input into errors.
func decodePlist(b []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed plist: %v", r)
		}
	}()
	_, err = plist.Unmarshal(b, v)
	return err
}
