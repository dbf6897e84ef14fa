package dump

import (
	"context"
	"runtime"
	"testing"
)

// Months measured on the snapshot and a twin of it, two at a time, are what one reader measures
// alone, in the same order.
func TestMeasureOnTwoReaders(t *testing.T) {
	ctx := context.Background()
	a := openArchive(t, "a")
	fillArchive(t, a, 700) // a message a day: two years of months
	build := func(procs int) *Dump {
		t.Helper()
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		d, err := Build(ctx, a, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.snap.Close() }) // not Close: the next Build must measure again
		return d
	}
	one, two := build(1), build(2)
	if one.readers != 1 || two.readers != 2 {
		t.Fatalf("readers: %d and %d, want 1 and 2", one.readers, two.readers)
	}
	if len(one.measured) < twinMinMonths || len(one.measured) != len(two.measured) {
		t.Fatalf("%d and %d months measured", len(one.measured), len(two.measured))
	}
	for i := range one.measured {
		if one.measured[i] != two.measured[i] {
			t.Errorf("month %d: %+v alone, %+v on two readers", i, one.measured[i], two.measured[i])
		}
	}
}
