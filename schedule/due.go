package schedule

import (
	"strconv"
	"time"
)

var itoa = strconv.Itoa

// Backoff is how long to wait before the next attempt after n failures in a row: 5 minutes,
// doubling, at most 6 hours. A drive left unplugged is tried a few times an hour at first, then
// four times a day, never given up on.
func Backoff(n int) time.Duration {
	const first, most = 5 * time.Minute, 6 * time.Hour
	if n <= 0 {
		return 0
	}
	d := first
	for i := 1; i < n && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}

// Decision is whether a vault's backup is due now, and if not, when it will be.
type Decision struct {
	Due bool
	// Since is the first slot the vault missed (when Due, or when waiting to retry): a run
	// that catches up after a week off covers every missed slot at once.
	Since time.Time
	// Next is when the backup is next due: the retry time while backing off, the next slot
	// otherwise (zero when due now or when the plan is off).
	Next time.Time
	// Retrying says the vault is waiting out a backoff after failures.
	Retrying bool
}

// Decide says whether v's backup is due at now. A backup is due when a slot passed since the last
// success (or none succeeded yet); however many slots passed, one backup covers them all.
func (p Plan) Decide(now time.Time, v *VaultState) Decision {
	if p.Kind == Off {
		return Decision{}
	}
	var d Decision
	switch {
	case v.LastSuccess.IsZero():
		d.Due, d.Since = true, v.Since
	case v.LastSuccess.Before(p.Prev(now)):
		d.Due, d.Since = true, p.Next(v.LastSuccess)
	default:
		return Decision{Next: p.Next(now)}
	}
	if v.Failures > 0 && now.Before(v.NextRetry) {
		d.Due, d.Retrying, d.Next = false, true, v.NextRetry
	}
	return d
}

// Health is the verdict `chatvault status` gives a vault.
type Health struct {
	// Failing is set when backups to the vault have failed FailLimit times in a row or have
	// not succeeded for two periods of the plan; Reason says which, plainly.
	Failing bool
	Reason  string
}

// FailLimit is how many failures in a row make a vault "failing".
const FailLimit = 3

// Judge gives v's health at now. since is when the schedule began, used for a vault that was
// never tried: a timer that never fires must be noticed too.
func (p Plan) Judge(now time.Time, v *VaultState, since time.Time) Health {
	if p.Kind == Off {
		return Health{}
	}
	if v != nil && v.Failures >= FailLimit {
		return Health{true, "failed " + itoa(v.Failures) + " times in a row"}
	}
	// Counted from the last success; for a vault that never had one, from when the schedule
	// was set (or, if the settings do not say, from the first attempt).
	ref, what := since, "scheduled since "
	if v != nil && !v.LastSuccess.IsZero() {
		ref, what = v.LastSuccess, "last backup "
	} else if ref.IsZero() && v != nil {
		ref = v.Since
	}
	if !ref.IsZero() && now.Sub(ref) > 2*p.Period() {
		return Health{true, "no backup for " + roughAge(now.Sub(ref)) + " (" + what + ref.In(p.loc()).Format("2006-01-02 15:04") + "; plan: " + p.String() + ")"}
	}
	return Health{}
}

// roughAge says how long ago in the unit a person would use.
func roughAge(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return itoa(int(d/(24*time.Hour))) + " days"
	case d >= 2*time.Hour:
		return itoa(int(d/time.Hour)) + " hours"
	}
	return itoa(int(d/time.Minute)) + " minutes"
}
