package unit

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/chatvault/chatvault/schedule"
)

// Systemd returns the user units: NAME.service (one pass), NAME.timer (the slots, Persistent=true
// so a slot missed while the machine was off fires at boot) and, when folders are watched,
// NAME.path (a change there starts a pass at once). They go in ~/.config/systemd/user.
func Systemd(s Spec) ([]File, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	var svc strings.Builder
	fmt.Fprintf(&svc, "[Unit]\nDescription=%s\nDocumentation=https://github.com/chatvault/chatvault/blob/main/docs/schedules.md\n\n", escapeSpecifiers(s.description()))
	svc.WriteString("[Service]\nType=oneshot\n")
	keys := make([]string, 0, len(s.Env))
	for k := range s.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&svc, "Environment=%s\n", envQuote(k+"="+s.Env[k]))
	}
	args := []string{systemdQuote(s.Exe)}
	for _, a := range s.Args {
		args = append(args, systemdQuote(a))
	}
	fmt.Fprintf(&svc, "ExecStart=%s\n", strings.Join(args, " "))
	// A backup is background work: it yields the CPU and the disk to whatever the user does.
	svc.WriteString("Nice=10\nIOSchedulingClass=idle\n")

	var tmr strings.Builder
	fmt.Fprintf(&tmr, "[Unit]\nDescription=%s\n\n[Timer]\n", escapeSpecifiers(s.description()))
	if cal := OnCalendar(s.Plan); cal != "" {
		fmt.Fprintf(&tmr, "OnCalendar=%s\n", cal)
	}
	if s.Wake > 0 {
		fmt.Fprintf(&tmr, "OnCalendar=%s\n", wakeCalendar(s.Wake))
	}
	tmr.WriteString("Persistent=true\nAccuracySec=1min\n\n[Install]\nWantedBy=timers.target\n")

	files := []File{{Name + ".service", []byte(svc.String())}, {Name + ".timer", []byte(tmr.String())}}
	if len(s.Watch) > 0 {
		var p strings.Builder
		p.WriteString("[Unit]\nDescription=chatvault: import chat exports dropped into watched folders\n\n[Path]\n")
		for _, w := range s.Watch {
			fmt.Fprintf(&p, "PathChanged=%s\n", escapeSpecifiers(w))
		}
		fmt.Fprintf(&p, "Unit=%s.service\n\n[Install]\nWantedBy=paths.target\n", Name)
		files = append(files, File{Name + ".path", []byte(p.String())})
	}
	return files, nil
}

// OnCalendar is the plan as a systemd calendar expression ("" when off).
func OnCalendar(p schedule.Plan) string {
	var cal string
	switch p.Kind {
	case schedule.Daily:
		cal = fmt.Sprintf("*-*-* %02d:%02d:00", p.Hour, p.Minute)
	case schedule.Weekly:
		cal = fmt.Sprintf("%s *-*-* %02d:%02d:00", p.Weekday.String()[:3], p.Hour, p.Minute)
	case schedule.Monthly:
		cal = fmt.Sprintf("*-*-%02d %02d:%02d:00", p.Day, p.Hour, p.Minute)
	case schedule.Every:
		if p.Interval >= time.Hour {
			cal = fmt.Sprintf("*-*-* %02d/%d:%02d:00", p.Hour, p.Interval/time.Hour, p.Minute)
		} else {
			cal = fmt.Sprintf("*-*-* *:%02d/%d:00", p.Minute, p.Interval/time.Minute)
		}
	default:
		return ""
	}
	// Without a zone systemd uses the machine's; a plan in another zone names it.
	if p.Loc != nil && p.Loc != time.Local && p.Loc.String() != "Local" {
		cal += " " + p.Loc.String()
	}
	return cal
}

func wakeCalendar(d time.Duration) string {
	if d >= time.Hour {
		return fmt.Sprintf("*-*-* 00/%d:00:00", d/time.Hour)
	}
	return fmt.Sprintf("*-*-* *:00/%d:00", d/time.Minute)
}

// systemdQuote quotes one word for ExecStart= and Environment=: double quotes, with backslash and
// quote escaped, "%" doubled (specifiers) and "$" doubled (variable expansion).
func systemdQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `%`, `%%`, `$`, `$$`)
	return `"` + r.Replace(s) + `"`
}

// envQuote quotes an Environment= assignment: like systemdQuote, but "$" stays as it is, since
// systemd does not expand variables there.
func envQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `%`, `%%`)
	return `"` + r.Replace(s) + `"`
}

// escapeSpecifiers protects "%" in free-text and path settings.
func escapeSpecifiers(s string) string { return strings.ReplaceAll(s, "%", "%%") }
