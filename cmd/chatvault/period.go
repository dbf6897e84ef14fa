package main

import (
	"time"

	"github.com/spf13/pflag"
)

// periodOptions are --since and --until, the same for every command that reads messages.
type periodOptions struct {
	since, until string
}

func (o *periodOptions) addFlags(f *pflag.FlagSet) {
	f.StringVar(&o.since, "since", "", "only messages from this date on (YYYY-MM-DD or YYYY-MM-DD HH:MM)")
	f.StringVar(&o.until, "until", "", "only messages before this date (YYYY-MM-DD or YYYY-MM-DD HH:MM)")
}

// bounds reads the dates in loc; a zero time is an open end.
func (o *periodOptions) bounds(loc *time.Location) (since, until time.Time, err error) {
	if o.since != "" {
		if since, err = parseDate(o.since, loc); err != nil {
			return
		}
	}
	if o.until != "" {
		until, err = parseDate(o.until, loc)
	}
	return
}
