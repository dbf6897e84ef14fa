package archive

import (
	"testing"
	"time"
)

// A sender waits while the bytes in flight leave no room for its own, goes on once they are
// given back, and a piece larger than the whole budget still goes when nothing else is in flight.
func TestByteBudget(t *testing.T) {
	b := newByteBudget()
	b.take(100, 16) // larger than the budget, nothing in flight: goes
	b.give(100)
	b.take(10, 16)
	done := make(chan struct{})
	go func() {
		b.take(10, 16)
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("a second take of 10 within a budget of 16 did not wait")
	case <-time.After(50 * time.Millisecond):
	}
	b.give(10)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting take did not go on after give")
	}
}
