package archive

import (
	"math/rand/v2"
	"testing"
	"time"
)

// noteMonth skips messages in the month it noted last; the months it records must still be every
// conversation month a message falls in, as MonthOf says, near month boundaries and time zones
// included.
func TestNoteMonthRecordsEveryConversationMonth(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	zones := []*time.Location{time.UTC, time.FixedZone("+14", 14*3600), time.FixedZone("-11", -11*3600)}
	im := &Import{months: map[monthKey]bool{}}
	want := map[monthKey]bool{}
	// Runs of messages close in time, as an import has, but with so many conversations and months
	// that most conversation months get only a message or two: a month skipped wrongly shows.
	conv, ts := int64(1), time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 3000; i++ {
		switch rng.IntN(4) {
		case 0:
			conv = int64(1 + rng.IntN(50))
		case 1:
			ts = time.Date(2015+rng.IntN(8), time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		case 2:
			ts = time.UnixMilli(-1) // around 1970, below the millisecond too
		}
		ts = ts.Add(time.Duration(rng.Int64N(int64(4*24*time.Hour))) - 2*24*time.Hour + time.Duration(rng.IntN(1000))*time.Microsecond)
		at := ts.In(zones[rng.IntN(len(zones))])
		im.noteMonth(conv, at)
		want[monthKey{conv, MonthOf(at)}] = true
	}
	if len(im.months) != len(want) {
		t.Errorf("noted %d conversation months, want %d", len(im.months), len(want))
	}
	for k := range want {
		if !im.months[k] {
			t.Errorf("month %s of conversation %d not noted", k.month, k.conv)
		}
	}
}
