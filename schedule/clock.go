package schedule

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Clock is the scheduler's only source of time, so tests can drive a simulated week.
type Clock interface {
	Now() time.Time
	// Sleep waits until d has passed on this clock or ctx is done (then it returns ctx.Err()).
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits for wall-clock time to pass. Go's timers run on the monotonic clock, which stops
// while a laptop is suspended, so a 24-hour timer set before a night asleep would fire hours
// late; checking the wall clock at least once a minute wakes the caller on time after a resume.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	deadline := time.Now().Add(d).Round(0) // Round(0) drops the monotonic reading
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return nil
		}
		t := time.NewTimer(min(left, time.Minute))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// ManualClock is a clock a test moves by hand: Sleep blocks until Advance or Set moves the time
// past the sleeper's deadline.
type ManualClock struct {
	mu       sync.Mutex
	now      time.Time
	sleepers []*sleeper
	changed  chan struct{} // closed and replaced whenever the set of sleepers changes
}

type sleeper struct {
	until time.Time
	wake  chan struct{}
}

// NewManualClock starts a manual clock at t.
func NewManualClock(t time.Time) *ManualClock {
	return &ManualClock{now: t, changed: make(chan struct{})}
}

func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *ManualClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	s := &sleeper{until: c.now.Add(d), wake: make(chan struct{})}
	c.sleepers = append(c.sleepers, s)
	c.notify()
	c.mu.Unlock()
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		for i, x := range c.sleepers {
			if x == s {
				c.sleepers = append(c.sleepers[:i], c.sleepers[i+1:]...)
				break
			}
		}
		c.notify()
		c.mu.Unlock()
		return ctx.Err()
	}
}

// Set moves the clock to t (forward or back) and wakes every sleeper whose deadline has passed.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	keep := c.sleepers[:0]
	for _, s := range c.sleepers {
		if !s.until.After(t) {
			close(s.wake)
		} else {
			keep = append(keep, s)
		}
	}
	c.sleepers = keep
	c.notify()
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// WaitForSleepers blocks until at least n goroutines are sleeping on the clock (or ctx is done),
// and returns the earliest deadline among them: a test uses it to know a daemon is idle and when
// it next wants to wake.
func (c *ManualClock) WaitForSleepers(ctx context.Context, n int) (time.Time, error) {
	for {
		c.mu.Lock()
		if len(c.sleepers) >= n {
			ds := make([]time.Time, len(c.sleepers))
			for i, s := range c.sleepers {
				ds[i] = s.until
			}
			c.mu.Unlock()
			sort.Slice(ds, func(i, j int) bool { return ds[i].Before(ds[j]) })
			return ds[0], nil
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		}
	}
}

func (c *ManualClock) notify() {
	close(c.changed)
	c.changed = make(chan struct{})
}
