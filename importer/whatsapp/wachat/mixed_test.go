package wachat

import (
	"strings"
	"testing"
)

// A file that joins an Android export and an iPhone export keeps the
// majority's shape; every line of the other shape is named in a Problem of
// the message it was folded into, with its line number.
func TestMixedHeaderShapes(t *testing.T) {
	data := strings.Join([]string{
		"13/07/2017, 09:12 - Bob: one",
		"13/07/2017, 09:13 - Alice: two",
		"13/07/2017, 09:14 - Bob: three",
		"[14/07/2017, 10:00:01] Alice: from the iPhone",
		"[14/07/2017, 10:00:02] Bob: also from the iPhone",
		"second line of it",
		"14/07/2017, 10:05 - Alice: four",
	}, "\n") + "\n"
	p := parseBytes(t, []byte(data), Options{})
	if p.layout.Family != makeFamily(false, false, sepDash) || p.layout.OtherShapes != 2 {
		t.Fatalf("family %q, other shapes %d; want the Android shape and 2", p.layout.Family, p.layout.OtherShapes)
	}
	if len(p.recs) != 4 {
		t.Fatalf("%d records, want 4", len(p.recs))
	}
	probs := p.recs[2].Problems
	if len(probs) != 2 || !strings.HasPrefix(probs[0], "line 4 has a message header of another shape") || !strings.HasPrefix(probs[1], "line 5 ") {
		t.Errorf("problems of the record the lines went into: %q, want lines 4 and 5 named", probs)
	}
	for _, i := range []int{0, 1, 3} {
		if len(p.recs[i].Problems) != 0 {
			t.Errorf("record %d: problems %q, want none", i, p.recs[i].Problems)
		}
	}
	checkCoverage(t, []byte(data), p)
}

// Two date orders in one file of one shape: the headers whose date does
// not fit the file's order are named, each with its line.
func TestMixedDateOrders(t *testing.T) {
	data := "13/07/2017, 09:12 - Bob: one\n14/07/2017, 09:13 - Bob: two\n07/15/2017, 09:14 - Bob: month first\n07/16/2017, 09:15 - Bob: again\n"
	p := parseBytes(t, []byte(data), Options{})
	if len(p.recs) != 2 || p.layout.Misfits != 2 {
		t.Fatalf("%d records, %d misfits; want 2 and 2", len(p.recs), p.layout.Misfits)
	}
	probs := p.recs[1].Problems
	if len(probs) != 2 || !strings.HasPrefix(probs[0], "line 3 ") || !strings.HasPrefix(probs[1], "line 4 ") {
		t.Errorf("problems %q, want lines 3 and 4 named", probs)
	}
}

// A header of another shape inside a message's first line is not at the
// start of a line: the file has one shape and no such problem.
func TestOneShapeNoOtherShapeProblems(t *testing.T) {
	p := parseBytes(t, []byte("13/07/2017, 09:12 - Bob: see [14/07/2017, 10:00:01] Alice: hi\n13/07/2017, 09:13 - Alice: ok\n"), Options{})
	if p.layout.OtherShapes != 0 || len(p.recs) != 2 || len(p.recs[0].Problems) != 0 {
		t.Errorf("other shapes %d, records %d, problems %q", p.layout.OtherShapes, len(p.recs), p.recs[0].Problems)
	}
}
