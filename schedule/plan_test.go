package schedule

import (
	"strings"
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s not available: %v", name, err)
	}
	return loc
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		every, at, on string
		want          string
		err           string
	}{
		{"daily", "", "", "daily at 02:30", ""},
		{"Daily", "23:05", "", "daily at 23:05", ""},
		{"weekly", "", "", "weekly on Sunday at 02:30", ""},
		{"weekly", "04:00", "wed", "weekly on Wednesday at 04:00", ""},
		{"monthly", "", "", "monthly on day 1 at 02:30", ""},
		{"monthly", "", "15", "monthly on day 15 at 02:30", ""},
		{"every 6h", "", "", "every 6h (from 00:00)", ""},
		{"6h", "02:30", "", "every 6h (from 02:30)", ""},
		{"every 6h", "13:30", "", "every 6h (from 01:30)", ""},
		{"every 30m", "", "", "every 30m (from 00:00)", ""},
		{"hourly", "", "", "every 1h (from 00:00)", ""},
		{"off", "", "", "off", ""},
		{"", "", "", "off", ""},
		{"every 5h", "", "", "", "does not divide a day"},
		{"every 7m", "", "", "", "does not divide a day"},
		{"every 2d", "", "", "", "unknown schedule"},
		{"fortnightly", "", "", "", "unknown schedule"},
		{"daily", "25:00", "", "", "24-hour time"},
		{"daily", "", "monday", "", "--on is for weekly"},
		{"monthly", "", "31", "", "from 1 to 28"},
		{"weekly", "", "someday", "", "weekday"},
		{"off", "02:00", "", "", "takes no --at"},
	} {
		p, err := Parse(c.every, c.at, c.on, time.UTC)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Parse(%q, %q, %q) error = %v, want one containing %q", c.every, c.at, c.on, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q, %q, %q): %v", c.every, c.at, c.on, err)
			continue
		}
		if p.String() != c.want {
			t.Errorf("Parse(%q, %q, %q) = %s, want %s", c.every, c.at, c.on, p, c.want)
		}
		// What the settings file stores reads back as the same plan.
		q, err := Parse(p.Every(), p.At(), p.On(), time.UTC)
		if p.Kind == Off {
			q, err = Parse(p.Every(), "", "", time.UTC)
		}
		if err != nil || q != p {
			t.Errorf("round trip of %s: %v, %v", p, q, err)
		}
	}
}

func TestPrevNext(t *testing.T) {
	utc := time.UTC
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.ParseInLocation("2006-01-02 15:04", s, utc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	plan := func(every, a, on string) Plan {
		p, err := Parse(every, a, on, utc)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		p          Plan
		now        string
		prev, next string
	}{
		{plan("daily", "02:30", ""), "2024-05-07 10:00", "2024-05-07 02:30", "2024-05-08 02:30"},
		{plan("daily", "02:30", ""), "2024-05-07 02:30", "2024-05-07 02:30", "2024-05-08 02:30"},
		{plan("daily", "02:30", ""), "2024-05-07 02:29", "2024-05-06 02:30", "2024-05-07 02:30"},
		{plan("daily", "02:30", ""), "2024-01-01 00:00", "2023-12-31 02:30", "2024-01-01 02:30"},
		// 2024-05-07 is a Tuesday.
		{plan("weekly", "02:30", "sunday"), "2024-05-07 10:00", "2024-05-05 02:30", "2024-05-12 02:30"},
		{plan("weekly", "02:30", "tuesday"), "2024-05-07 10:00", "2024-05-07 02:30", "2024-05-14 02:30"},
		{plan("weekly", "02:30", "tuesday"), "2024-05-07 01:00", "2024-04-30 02:30", "2024-05-07 02:30"},
		{plan("monthly", "02:30", "1"), "2024-05-07 10:00", "2024-05-01 02:30", "2024-06-01 02:30"},
		{plan("monthly", "02:30", "28"), "2024-03-01 00:00", "2024-02-28 02:30", "2024-03-28 02:30"},
		{plan("monthly", "02:30", "15"), "2024-01-10 00:00", "2023-12-15 02:30", "2024-01-15 02:30"},
		{plan("every 6h", "02:30", ""), "2024-05-07 10:00", "2024-05-07 08:30", "2024-05-07 14:30"},
		{plan("every 6h", "02:30", ""), "2024-05-07 01:00", "2024-05-06 20:30", "2024-05-07 02:30"},
		{plan("every 15m", "", ""), "2024-05-07 10:07", "2024-05-07 10:00", "2024-05-07 10:15"},
	} {
		if got := c.p.Prev(at(c.now)); !got.Equal(at(c.prev)) {
			t.Errorf("%s Prev(%s) = %s, want %s", c.p, c.now, got, c.prev)
		}
		if got := c.p.Next(at(c.now)); !got.Equal(at(c.next)) {
			t.Errorf("%s Next(%s) = %s, want %s", c.p, c.now, got, c.next)
		}
	}
	if !(Plan{Kind: Off}).Next(at("2024-05-07 10:00")).IsZero() {
		t.Error("a plan that is off has a next slot")
	}
}

// Slots stay on the wall clock across daylight-saving changes: 02:30 does not exist in Berlin
// on 2024-03-31 (clocks jump from 02:00 to 03:00); the backup then runs at 03:30, and the next
// day at 02:30 again.
func TestDaylightSaving(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	p, err := Parse("daily", "02:30", "", berlin)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 3, 30, 12, 0, 0, 0, berlin)
	var got []string
	for range 3 {
		now = p.Next(now)
		got = append(got, now.Format("01-02 15:04 MST"))
	}
	want := "03-31 03:30 CEST, 04-01 02:30 CEST, 04-02 02:30 CEST"
	if strings.Join(got, ", ") != want {
		t.Errorf("slots across the spring change = %s, want %s", strings.Join(got, ", "), want)
	}
	// In autumn 02:30 happens twice; there is one slot.
	now = time.Date(2024, 10, 26, 12, 0, 0, 0, berlin)
	a, b := p.Next(now), p.Next(p.Next(now))
	if b.Sub(a) < 24*time.Hour || a.Day() != 27 || b.Day() != 28 {
		t.Errorf("autumn slots %s, %s", a, b)
	}
}
