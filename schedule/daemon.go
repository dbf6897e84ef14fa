package schedule

import (
	"context"
	"time"
)

// DaemonOptions configure Daemon.
type DaemonOptions struct {
	// Settings reads the settings afresh before every pass, so `chatvault schedule set` and
	// `chatvault watch add` take effect without a restart.
	Settings func() (Settings, error)
	// Report, when set, is told about every pass (rep is nil when the pass did not run).
	Report func(rep *Report, err error)
	// MaxSleep bounds one sleep (1 minute if 0), which is how soon changed settings are seen.
	MaxSleep time.Duration
}

// Daemon runs passes until ctx is done: for servers and containers, where no timer starts
// chatvault. It sleeps until the next slot, retry or folder poll. After the machine was
// suspended the clock has jumped; the first pass then catches up once, like a timer would.
func (r *Runner) Daemon(ctx context.Context, o DaemonOptions) error {
	maxSleep := o.MaxSleep
	if maxSleep <= 0 {
		maxSleep = time.Minute
	}
	for {
		var rep *Report
		s, err := o.Settings()
		if err == nil {
			rep, err = r.Pass(ctx, s, PassOptions{By: "daemon"})
		}
		if err != nil && ctx.Err() == nil {
			r.log().Warn("daemon pass", "err", oneLine(err))
		}
		if o.Report != nil {
			o.Report(rep, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sleep := maxSleep
		if rep != nil && !rep.NextWake.IsZero() {
			// At least a second, so a clock that went backwards cannot make a busy loop.
			sleep = max(min(sleep, rep.NextWake.Sub(r.Clock.Now())), time.Second)
		}
		if err := r.Clock.Sleep(ctx, sleep); err != nil {
			return err
		}
	}
}
