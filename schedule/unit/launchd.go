package unit

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"time"

	"github.com/chatvault/chatvault/schedule"
)

// Launchd returns the agent ~/Library/LaunchAgents/org.chatvault.backup.plist. launchd runs a
// StartCalendarInterval job missed during sleep when the Mac wakes, but not one missed while it
// was off; RunAtLoad covers that (a pass at login that finds nothing due does nothing).
func Launchd(s Spec) (File, error) {
	if err := s.check(); err != nil {
		return File{}, err
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString("<plist version=\"1.0\">\n<dict>\n")
	key := func(k string) { fmt.Fprintf(&b, "  <key>%s</key>\n", k) }
	str := func(indent, v string) {
		b.WriteString(indent + "<string>")
		xml.EscapeText(&b, []byte(v))
		b.WriteString("</string>\n")
	}
	key("Label")
	str("  ", LaunchLabel)
	key("ProgramArguments")
	b.WriteString("  <array>\n")
	for _, a := range append([]string{s.Exe}, s.Args...) {
		str("    ", a)
	}
	b.WriteString("  </array>\n")
	if len(s.Env) > 0 {
		key("EnvironmentVariables")
		b.WriteString("  <dict>\n")
		keys := make([]string, 0, len(s.Env))
		for k := range s.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteString("    <key>")
			xml.EscapeText(&b, []byte(k))
			b.WriteString("</key>\n")
			str("    ", s.Env[k])
		}
		b.WriteString("  </dict>\n")
	}
	if entries := calendarIntervals(s.Plan); len(entries) > 0 {
		key("StartCalendarInterval")
		b.WriteString("  <array>\n")
		for _, e := range entries {
			b.WriteString("    <dict>")
			for _, kv := range e {
				fmt.Fprintf(&b, "<key>%s</key><integer>%d</integer>", kv.k, kv.v)
			}
			b.WriteString("</dict>\n")
		}
		b.WriteString("  </array>\n")
	}
	if s.Wake > 0 {
		key("StartInterval")
		fmt.Fprintf(&b, "  <integer>%d</integer>\n", int(s.Wake/time.Second))
	}
	if len(s.Watch) > 0 {
		key("WatchPaths")
		b.WriteString("  <array>\n")
		for _, w := range s.Watch {
			str("    ", w)
		}
		b.WriteString("  </array>\n")
	}
	key("RunAtLoad")
	b.WriteString("  <true/>\n")
	key("ProcessType")
	str("  ", "Background")
	key("LowPriorityIO")
	b.WriteString("  <true/>\n")
	if s.Output != "" {
		key("StandardOutPath")
		str("  ", s.Output)
		key("StandardErrorPath")
		str("  ", s.Output)
	}
	b.WriteString("</dict>\n</plist>\n")
	return File{LaunchLabel + ".plist", b.Bytes()}, nil
}

type intKV struct {
	k string
	v int
}

// calendarIntervals lists the plan's slots as launchd calendar entries (Weekday 0 is Sunday).
func calendarIntervals(p schedule.Plan) [][]intKV {
	var out [][]intKV
	switch p.Kind {
	case schedule.Off:
		return nil
	case schedule.Every:
		if p.Interval < time.Hour {
			// Minutes within every hour.
			for m := p.Minute; m < 60; m += int(p.Interval / time.Minute) {
				out = append(out, []intKV{{"Minute", m}})
			}
			return out
		}
	}
	for _, m := range slotMinutes(p) {
		e := []intKV{{"Hour", m / 60}, {"Minute", m % 60}}
		switch p.Kind {
		case schedule.Weekly:
			e = append([]intKV{{"Weekday", int(p.Weekday)}}, e...)
		case schedule.Monthly:
			e = append([]intKV{{"Day", p.Day}}, e...)
		}
		out = append(out, e)
	}
	return out
}
