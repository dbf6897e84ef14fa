package telegram

import (
	"testing"
	"time"
)

// parseWall's quick path must agree with time.Parse on every input, valid or not.
func TestParseWallAgreesWithTimeParse(t *testing.T) {
	inputs := []string{
		"2024-05-01T10:00:00", "2024-02-29T23:59:59", "2023-02-29T00:00:00", "1900-02-29T00:00:00",
		"2000-02-29T00:00:00", "2024-04-31T00:00:00", "2024-12-31T24:00:00", "2024-13-01T00:00:00",
		"2024-00-10T00:00:00", "2024-01-00T00:00:00", "2024-01-01T00:60:00", "2024-01-01T00:00:60",
		"2024-01-01 00:00:00", "2024-1-01T00:00:000", "+024-01-01T00:00:00", "2024-01-01T00:00:0x",
		"0000-01-01T00:00:00", "9999-12-31T23:59:59", "2024-01-01T00:00", "", "x",
	}
	// Every day of a leap and a common year, at a few times.
	for _, y := range []int{2023, 2024} {
		for d := time.Date(y, 1, 1, 7, 8, 9, 0, time.UTC); d.Year() == y; d = d.Add(25 * time.Hour) {
			inputs = append(inputs, d.Format("2006-01-02T15:04:05"))
		}
	}
	for _, s := range inputs {
		got, ok := parseWall(s)
		want, err := time.Parse("2006-01-02T15:04:05", s)
		if ok != (err == nil) || (ok && !got.Equal(want)) {
			t.Errorf("%q: %v %v, time.Parse %v %v", s, got, ok, want, err)
		}
		if q, qok := quickWall(s); qok && !q.Equal(want) {
			t.Errorf("%q: quick path %v, time.Parse %v", s, q, want)
		}
	}
}
