package imessage

import (
	"math"
	"time"
)

// appleEpoch is 2001-01-01 00:00:00 UTC, the zero of every date column in Messages databases.
var appleEpoch = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)

// appleTime converts a date column: nanoseconds since 2001 from iOS 11 / macOS 10.13 on,
// seconds before (the mvt sms.db holds 588813210539788032 = 2019-08-29; plaso's chat.db
// 469908586 = 2015-11-21). A value above 1e11 cannot be seconds (year 5170) and is taken as
// nanoseconds.
func appleTime(v int64) time.Time {
	if v > 1e11 || v < -1e11 {
		return appleEpoch.Add(time.Duration(v))
	}
	return appleEpoch.Add(time.Duration(v) * time.Second)
}

// appleSeconds converts fractional seconds since 2001 (plists).
func appleSeconds(s float64) time.Time {
	if math.IsNaN(s) || math.IsInf(s, 0) || math.Abs(s) > 1e11 {
		return appleEpoch
	}
	return appleEpoch.Add(time.Duration(s * float64(time.Second))).Truncate(time.Millisecond)
}
