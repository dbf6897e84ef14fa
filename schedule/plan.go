package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind is how often a plan runs.
type Kind string

const (
	Off     Kind = "off"
	Daily   Kind = "daily"
	Weekly  Kind = "weekly"
	Monthly Kind = "monthly"
	Every   Kind = "every" // a fixed interval that divides a day (every 6h, every 30m)
)

// DefaultAt is the time of day when none is given: at night, when a phone's WhatsApp backs up
// too. A laptop that is off then catches up at its next start.
const DefaultAt = "02:30"

// Plan says when backups are due: the slots are wall-clock times in Loc, so "daily at 02:30"
// stays at 02:30 across daylight-saving changes.
type Plan struct {
	Kind     Kind
	Hour     int           // of the slot (for Every: the offset of the first slot of the day)
	Minute   int           //
	Weekday  time.Weekday  // Weekly only
	Day      int           // Monthly only: 1..28, so every month has it
	Interval time.Duration // Every only
	Loc      *time.Location
}

// Parse reads a plan as the user writes it: every is "daily", "weekly", "monthly", "off" (or
// empty), "every 6h" or just "6h"; at is "HH:MM" (default 02:30; for intervals it shifts the
// slots, default 00:00); on is a weekday for weekly plans (default Sunday) or a day of the month
// for monthly ones (default 1).
func Parse(every, at, on string, loc *time.Location) (Plan, error) {
	if loc == nil {
		loc = time.Local
	}
	p := Plan{Loc: loc}
	e := strings.ToLower(strings.TrimSpace(every))
	switch e {
	case "", "off", "none", "never":
		p.Kind = Off
		if at != "" || on != "" {
			return Plan{}, fmt.Errorf("a schedule that is off takes no --at or --on")
		}
		return p, nil
	case "daily", "weekly", "monthly":
		p.Kind = Kind(e)
	case "hourly":
		p.Kind, p.Interval = Every, time.Hour
	default:
		d, err := parseInterval(strings.TrimSpace(strings.TrimPrefix(e, "every")), every)
		if err != nil {
			return Plan{}, err
		}
		p.Kind, p.Interval = Every, d
	}
	if at == "" {
		at = DefaultAt
		if p.Kind == Every {
			at = "00:00"
		}
	}
	var err error
	if p.Hour, p.Minute, err = parseAt(at); err != nil {
		return Plan{}, err
	}
	switch p.Kind {
	case Weekly:
		p.Weekday = time.Sunday
		if on != "" {
			if p.Weekday, err = parseWeekday(on); err != nil {
				return Plan{}, err
			}
		}
	case Monthly:
		p.Day = 1
		if on != "" {
			n, err := strconv.Atoi(strings.TrimSpace(on))
			if err != nil || n < 1 || n > 28 {
				return Plan{}, fmt.Errorf("--on %q: a monthly backup runs on a day from 1 to 28 (every month has those)", on)
			}
			p.Day = n
		}
	default:
		if on != "" {
			return Plan{}, fmt.Errorf("--on is for weekly (a weekday) and monthly (a day) schedules only")
		}
	}
	if p.Kind == Every {
		// Reduce the offset to the first slot of the day so slots and calendar entries agree.
		off := (p.Hour*60 + p.Minute) % int(p.Interval/time.Minute)
		p.Hour, p.Minute = off/60, off%60
	}
	return p, nil
}

// parseInterval accepts intervals that divide a day evenly, so every day has the same slots and
// systemd, launchd and Task Scheduler can all express them exactly.
func parseInterval(s, as string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || s == "" {
		return 0, fmt.Errorf("unknown schedule %q: use daily, weekly, monthly, off, or every <interval> such as every 6h", strings.TrimSpace(as))
	}
	const day = 24 * time.Hour
	ok := d >= 15*time.Minute && d%time.Minute == 0 &&
		((d < time.Hour && time.Hour%d == 0) || (d >= time.Hour && d%time.Hour == 0 && day%d == 0))
	if !ok {
		return 0, fmt.Errorf("every %s does not divide a day evenly: use 15m, 20m, 30m, 1h, 2h, 3h, 4h, 6h, 8h or 12h, or daily", s)
	}
	return d, nil
}

func parseAt(s string) (int, int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, 0, fmt.Errorf("--at %q: use a 24-hour time such as 02:30", s)
	}
	return t.Hour(), t.Minute(), nil
}

func parseWeekday(s string) (time.Weekday, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if s == name || (len(s) >= 3 && strings.HasPrefix(name, s)) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("--on %q: a weekly backup runs on a weekday, such as sunday or mon", s)
}

// At is the slot time as HH:MM.
func (p Plan) At() string { return fmt.Sprintf("%02d:%02d", p.Hour, p.Minute) }

// Every is the plan as the settings file stores it ("daily", "6h", "off").
func (p Plan) Every() string {
	if p.Kind == Every {
		return shortDuration(p.Interval)
	}
	return string(p.Kind)
}

// On is the weekday or day of the month as the settings file stores it ("" when neither).
func (p Plan) On() string {
	switch p.Kind {
	case Weekly:
		return strings.ToLower(p.Weekday.String())
	case Monthly:
		return strconv.Itoa(p.Day)
	}
	return ""
}

func (p Plan) String() string {
	switch p.Kind {
	case Daily:
		return "daily at " + p.At()
	case Weekly:
		return fmt.Sprintf("weekly on %s at %s", p.Weekday, p.At())
	case Monthly:
		return fmt.Sprintf("monthly on day %d at %s", p.Day, p.At())
	case Every:
		return fmt.Sprintf("every %s (from %s)", shortDuration(p.Interval), p.At())
	}
	return "off"
}

func shortDuration(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dm", d/time.Minute)
}

// Period is the longest time between two slots (a month counts 31 days).
func (p Plan) Period() time.Duration {
	switch p.Kind {
	case Daily:
		return 24 * time.Hour
	case Weekly:
		return 7 * 24 * time.Hour
	case Monthly:
		return 31 * 24 * time.Hour
	case Every:
		return p.Interval
	}
	return 0
}

func (p Plan) loc() *time.Location {
	if p.Loc == nil {
		return time.Local
	}
	return p.Loc
}

// slots lists the plan's slots on one calendar day, in order. Building each from wall-clock
// fields (not by adding durations) keeps them on the clock face across daylight-saving changes.
func (p Plan) slots(y int, m time.Month, d int) []time.Time {
	loc := p.loc()
	at := func(min int) time.Time { return time.Date(y, m, d, 0, min, 0, 0, loc) }
	first := p.Hour*60 + p.Minute
	switch p.Kind {
	case Daily:
		return []time.Time{at(first)}
	case Weekly:
		if time.Date(y, m, d, 12, 0, 0, 0, loc).Weekday() == p.Weekday {
			return []time.Time{at(first)}
		}
	case Monthly:
		if d == p.Day {
			return []time.Time{at(first)}
		}
	case Every:
		step := int(p.Interval / time.Minute)
		var out []time.Time
		for min := first; min < 24*60; min += step {
			out = append(out, at(min))
		}
		return out
	}
	return nil
}

// day is the calendar date n days from t's, computed at noon so a daylight-saving change at
// midnight cannot move it.
func (p Plan) day(t time.Time, n int) (int, time.Month, int) {
	y, m, d := t.Date()
	return time.Date(y, m, d+n, 12, 0, 0, 0, p.loc()).Date()
}

// Prev is the latest slot at or before t (zero for a plan that is off).
func (p Plan) Prev(t time.Time) time.Time {
	if p.Kind == Off {
		return time.Time{}
	}
	t = t.In(p.loc())
	for back := 0; back <= 32; back++ {
		y, m, d := p.day(t, -back)
		s := p.slots(y, m, d)
		for i := len(s) - 1; i >= 0; i-- {
			if !s[i].After(t) {
				return s[i]
			}
		}
	}
	return time.Time{}
}

// Next is the earliest slot after t (zero for a plan that is off).
func (p Plan) Next(t time.Time) time.Time {
	if p.Kind == Off {
		return time.Time{}
	}
	t = t.In(p.loc())
	for fwd := 0; fwd <= 32; fwd++ {
		y, m, d := p.day(t, fwd)
		for _, s := range p.slots(y, m, d) {
			if s.After(t) {
				return s
			}
		}
	}
	return time.Time{}
}
