package unit

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/chatvault/chatvault/schedule"
)

// TaskNamespace is the Task Scheduler schema's namespace (task version 1.2 and later).
const TaskNamespace = "http://schemas.microsoft.com/windows/2004/02/mit/task"

// TaskScheduler returns the task definition for `schtasks /Create /TN "chatvault backup" /XML
// FILE`, as UTF-8 text (for --print and tests). StartWhenAvailable runs a start missed while the
// computer was off as soon as it is on again. Use TaskFile for the bytes schtasks reads.
func TaskScheduler(s Spec) (File, error) {
	if err := s.check(); err != nil {
		return File{}, err
	}
	var b bytes.Buffer
	esc := func(v string) string {
		var e bytes.Buffer
		xml.EscapeText(&e, []byte(v))
		return e.String()
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, "<Task version=\"1.2\" xmlns=\"%s\">\n", TaskNamespace)
	fmt.Fprintf(&b, "  <RegistrationInfo>\n    <Description>%s</Description>\n    <URI>\\%s</URI>\n  </RegistrationInfo>\n",
		esc(s.description()), esc(TaskName))
	b.WriteString("  <Triggers>\n")
	if s.Plan.Kind != schedule.Off {
		b.WriteString(calendarTrigger(s.Plan))
	}
	if s.Wake > 0 {
		// The wake-ups: every day from midnight, repeated all day.
		b.WriteString("    <CalendarTrigger>\n      <Enabled>true</Enabled>\n      <StartBoundary>2024-01-01T00:00:00</StartBoundary>\n")
		fmt.Fprintf(&b, "      <Repetition>\n        <Interval>%s</Interval>\n        <Duration>P1D</Duration>\n      </Repetition>\n", isoDuration(s.Wake))
		b.WriteString("      <ScheduleByDay>\n        <DaysInterval>1</DaysInterval>\n      </ScheduleByDay>\n    </CalendarTrigger>\n")
	}
	b.WriteString("  </Triggers>\n")
	b.WriteString(`  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <Priority>7</Priority>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
`)
	fmt.Fprintf(&b, "      <Command>%s</Command>\n", esc(s.Exe))
	if len(s.Args) > 0 {
		args := make([]string, len(s.Args))
		for i, a := range s.Args {
			args[i] = windowsQuote(a)
		}
		fmt.Fprintf(&b, "      <Arguments>%s</Arguments>\n", esc(strings.Join(args, " ")))
	}
	b.WriteString("    </Exec>\n  </Actions>\n</Task>\n")
	return File{Name + ".xml", b.Bytes()}, nil
}

// TaskFile is the task definition as schtasks reads it most reliably: UTF-16 (little endian,
// with a byte order mark) and declared so, as Task Scheduler itself exports tasks.
func TaskFile(f File) File {
	text := strings.Replace(string(f.Data), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
	text = strings.ReplaceAll(text, "\n", "\r\n")
	u := utf16.Encode([]rune(text))
	var b bytes.Buffer
	b.Write([]byte{0xff, 0xfe})
	binary.Write(&b, binary.LittleEndian, u)
	return File{f.Name, b.Bytes()}
}

// calendarTrigger is the plan as a CalendarTrigger. The start boundary is a date in the past at
// the first slot's time: local time, no zone, so it follows the computer's clock.
func calendarTrigger(p schedule.Plan) string {
	var b strings.Builder
	b.WriteString("    <CalendarTrigger>\n      <Enabled>true</Enabled>\n")
	fmt.Fprintf(&b, "      <StartBoundary>2024-01-01T%02d:%02d:00</StartBoundary>\n", p.Hour, p.Minute)
	switch p.Kind {
	case schedule.Every:
		fmt.Fprintf(&b, "      <Repetition>\n        <Interval>%s</Interval>\n        <Duration>P1D</Duration>\n      </Repetition>\n", isoDuration(p.Interval))
		b.WriteString("      <ScheduleByDay>\n        <DaysInterval>1</DaysInterval>\n      </ScheduleByDay>\n")
	case schedule.Daily:
		b.WriteString("      <ScheduleByDay>\n        <DaysInterval>1</DaysInterval>\n      </ScheduleByDay>\n")
	case schedule.Weekly:
		fmt.Fprintf(&b, "      <ScheduleByWeek>\n        <DaysOfWeek>\n          <%s />\n        </DaysOfWeek>\n        <WeeksInterval>1</WeeksInterval>\n      </ScheduleByWeek>\n", p.Weekday)
	case schedule.Monthly:
		fmt.Fprintf(&b, "      <ScheduleByMonth>\n        <DaysOfMonth>\n          <Day>%d</Day>\n        </DaysOfMonth>\n        <Months>\n", p.Day)
		for m := time.January; m <= time.December; m++ {
			fmt.Fprintf(&b, "          <%s />\n", m)
		}
		b.WriteString("        </Months>\n      </ScheduleByMonth>\n")
	}
	b.WriteString("    </CalendarTrigger>\n")
	return b.String()
}

// isoDuration writes d as an XML Schema duration (PT6H, PT15M).
func isoDuration(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("PT%dH", d/time.Hour)
	}
	return fmt.Sprintf("PT%dM", d/time.Minute)
}

// windowsQuote quotes one argument the way Windows programs split their command line
// (CommandLineToArgvW): quotes around arguments with spaces, backslashes doubled only before a
// quote.
func windowsQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for _, r := range s {
		switch r {
		case '\\':
			slashes++
			continue
		case '"':
			b.WriteString(strings.Repeat(`\`, 2*slashes+1))
		default:
			b.WriteString(strings.Repeat(`\`, slashes))
		}
		slashes = 0
		b.WriteRune(r)
	}
	b.WriteString(strings.Repeat(`\`, 2*slashes))
	b.WriteByte('"')
	return b.String()
}
