package unit

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chatvault/chatvault/schedule"
)

// decodePlist reads an XML property list into Go values (map[string]any, []any, string, int,
// bool), failing on anything that is not well-formed.
func decodePlist(t *testing.T, data []byte) map[string]any {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var value func(start xml.StartElement) any
	value = func(start xml.StartElement) any {
		switch start.Name.Local {
		case "dict":
			m := map[string]any{}
			var key string
			for {
				tok, err := d.Token()
				if err != nil {
					t.Fatalf("plist: %v", err)
				}
				switch el := tok.(type) {
				case xml.StartElement:
					if el.Name.Local == "key" {
						var k string
						d.DecodeElement(&k, &el)
						key = k
						continue
					}
					m[key] = value(el)
				case xml.EndElement:
					return m
				}
			}
		case "array":
			var a []any
			for {
				tok, err := d.Token()
				if err != nil {
					t.Fatalf("plist: %v", err)
				}
				switch el := tok.(type) {
				case xml.StartElement:
					a = append(a, value(el))
				case xml.EndElement:
					return a
				}
			}
		case "true", "false":
			d.Skip()
			return start.Name.Local == "true"
		}
		var s string
		if err := d.DecodeElement(&s, &start); err != nil {
			t.Fatalf("plist: %v", err)
		}
		if start.Name.Local == "integer" {
			n, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("plist integer %q", s)
			}
			return n
		}
		return s
	}
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("plist has no top dict: %v", err)
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "dict" {
			m := value(el).(map[string]any)
			for {
				if _, err := d.Token(); err == io.EOF {
					return m
				} else if err != nil {
					t.Fatalf("plist: %v", err)
				}
			}
		}
	}
}

// The launchd agent is a well-formed property list with the keys launchd requires (Label,
// ProgramArguments) and the calendar entries of the plan; arguments survive XML escaping.
func TestLaunchdPlist(t *testing.T) {
	for _, c := range []struct {
		p    schedule.Plan
		want string
	}{
		{plan(t, "daily", "02:30", "", time.Local), "[map[Hour:2 Minute:30]]"},
		{plan(t, "weekly", "04:15", "sunday", time.Local), "[map[Hour:4 Minute:15 Weekday:0]]"},
		{plan(t, "monthly", "23:59", "28", time.Local), "[map[Day:28 Hour:23 Minute:59]]"},
		{plan(t, "every 6h", "01:30", "", time.Local), "[map[Hour:1 Minute:30] map[Hour:7 Minute:30] map[Hour:13 Minute:30] map[Hour:19 Minute:30]]"},
		{plan(t, "every 20m", "00:05", "", time.Local), "[map[Minute:5] map[Minute:25] map[Minute:45]]"},
	} {
		spec := testSpec(t, c.p)
		spec.Output = "/Users/me/Library/Logs/chatvault & co.log"
		f, err := Launchd(spec)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name != "org.chatvault.backup.plist" || !bytes.Contains(f.Data, []byte(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN"`)) {
			t.Errorf("name %s or doctype missing", f.Name)
		}
		m := decodePlist(t, f.Data)
		if m["Label"] != LaunchLabel {
			t.Errorf("Label = %v", m["Label"])
		}
		var args []string
		for _, a := range m["ProgramArguments"].([]any) {
			args = append(args, a.(string))
		}
		if !reflect.DeepEqual(args, append([]string{spec.Exe}, spec.Args...)) {
			t.Errorf("ProgramArguments = %q", args)
		}
		if got := fmt.Sprint(m["StartCalendarInterval"]); got != c.want {
			t.Errorf("%s: StartCalendarInterval = %s, want %s", c.p, got, c.want)
		}
		if m["RunAtLoad"] != true || m["StartInterval"] != 3600 || len(m["WatchPaths"].([]any)) != 2 ||
			m["StandardOutPath"] != spec.Output || m["EnvironmentVariables"].(map[string]any)["XDG_STATE_HOME"] != spec.Env["XDG_STATE_HOME"] {
			t.Errorf("plist %v", m)
		}
	}
}

// task mirrors the parts of the Task Scheduler schema that must be present.
type task struct {
	XMLName          xml.Name `xml:"http://schemas.microsoft.com/windows/2004/02/mit/task Task"`
	Version          string   `xml:"version,attr"`
	RegistrationInfo *struct {
		Description string
		URI         string
	}
	Triggers struct {
		CalendarTrigger []struct {
			Enabled        bool
			StartBoundary  string
			Repetition     *struct{ Interval, Duration string }
			ScheduleByDay  *struct{ DaysInterval int }
			ScheduleByWeek *struct {
				DaysOfWeek struct {
					Days []xml.Name `xml:",any"`
				}
				WeeksInterval int
			}
			ScheduleByMonth *struct {
				DaysOfMonth struct{ Day []int }
				Months      struct {
					Months []xml.Name `xml:",any"`
				}
			}
		}
	}
	Settings *struct {
		StartWhenAvailable      *bool
		MultipleInstancesPolicy string
		ExecutionTimeLimit      string
	}
	Actions struct {
		Context string `xml:",attr"`
		Exec    []struct{ Command, Arguments string }
	}
}

// The Task Scheduler task is well-formed XML in the 1.2 schema namespace with the elements the
// schema requires (RegistrationInfo, a CalendarTrigger with its StartBoundary, Settings with
// StartWhenAvailable, Actions/Exec/Command), and its arguments split back to the original
// under Windows' command-line rules. The UTF-16 file schtasks reads holds the same text.
func TestTaskSchedulerXML(t *testing.T) {
	for _, c := range []struct {
		p         schedule.Plan
		boundary  string
		schedule  string
		repeating string
	}{
		{plan(t, "daily", "02:30", "", time.Local), "2024-01-01T02:30:00", "day", ""},
		{plan(t, "weekly", "04:15", "wed", time.Local), "2024-01-01T04:15:00", "week Wednesday", ""},
		{plan(t, "monthly", "23:59", "28", time.Local), "2024-01-01T23:59:00", "month 28 x12", ""},
		{plan(t, "every 6h", "01:30", "", time.Local), "2024-01-01T01:30:00", "day", "PT6H"},
		{plan(t, "every 15m", "00:05", "", time.Local), "2024-01-01T00:05:00", "day", "PT15M"},
	} {
		spec := testSpec(t, c.p)
		spec.Exe = `C:\Program Files\chatvault\chatvault.exe`
		spec.Args = []string{"--config", `C:\Users\Me\My "Settings"\`, "--archive", `C:\Users\Me\archive`, "run", "--scheduled"}
		f, err := TaskScheduler(spec)
		if err != nil {
			t.Fatal(err)
		}
		var tk task
		if err := xml.Unmarshal(f.Data, &tk); err != nil {
			t.Fatalf("%s: not well-formed: %v", c.p, err)
		}
		if v, _ := strconv.ParseFloat(tk.Version, 64); v < 1.2 {
			t.Errorf("version %q, want 1.2 or later", tk.Version)
		}
		if tk.RegistrationInfo == nil || tk.RegistrationInfo.URI != `\chatvault backup` {
			t.Errorf("RegistrationInfo %+v", tk.RegistrationInfo)
		}
		if tk.Settings == nil || tk.Settings.StartWhenAvailable == nil || !*tk.Settings.StartWhenAvailable ||
			tk.Settings.MultipleInstancesPolicy != "IgnoreNew" || tk.Settings.ExecutionTimeLimit != "PT0S" {
			t.Errorf("Settings %+v", tk.Settings)
		}
		if len(tk.Triggers.CalendarTrigger) != 2 {
			t.Fatalf("%d calendar triggers, want the plan's and the wake-ups", len(tk.Triggers.CalendarTrigger))
		}
		tr := tk.Triggers.CalendarTrigger[0]
		if !tr.Enabled || tr.StartBoundary != c.boundary {
			t.Errorf("%s: trigger %+v", c.p, tr)
		}
		var sched string
		switch {
		case tr.ScheduleByDay != nil && tr.ScheduleByDay.DaysInterval == 1:
			sched = "day"
		case tr.ScheduleByWeek != nil && len(tr.ScheduleByWeek.DaysOfWeek.Days) == 1:
			sched = "week " + tr.ScheduleByWeek.DaysOfWeek.Days[0].Local
		case tr.ScheduleByMonth != nil && len(tr.ScheduleByMonth.DaysOfMonth.Day) == 1:
			sched = fmt.Sprintf("month %d x%d", tr.ScheduleByMonth.DaysOfMonth.Day[0], len(tr.ScheduleByMonth.Months.Months))
		}
		if sched != c.schedule {
			t.Errorf("%s: schedule %q, want %q", c.p, sched, c.schedule)
		}
		if rep := tr.Repetition; (rep == nil) != (c.repeating == "") || (rep != nil && (rep.Interval != c.repeating || rep.Duration != "P1D")) {
			t.Errorf("%s: repetition %+v, want %s", c.p, rep, c.repeating)
		}
		if w := tk.Triggers.CalendarTrigger[1]; w.Repetition == nil || w.Repetition.Interval != "PT1H" {
			t.Errorf("wake-up trigger %+v", w)
		}
		if len(tk.Actions.Exec) != 1 || tk.Actions.Exec[0].Command != spec.Exe || tk.Actions.Context != "Author" {
			t.Fatalf("actions %+v", tk.Actions)
		}
		if got := splitWindows(tk.Actions.Exec[0].Arguments); !reflect.DeepEqual(got, spec.Args) {
			t.Errorf("arguments %q split back to %q, want %q", tk.Actions.Exec[0].Arguments, got, spec.Args)
		}

		// The file for schtasks: UTF-16LE with a byte order mark, declared UTF-16.
		u := TaskFile(f).Data
		if !bytes.HasPrefix(u, []byte{0xff, 0xfe}) || len(u)%2 != 0 {
			t.Fatal("task file is not UTF-16LE with a BOM")
		}
		units := make([]uint16, (len(u)-2)/2)
		binary.Read(bytes.NewReader(u[2:]), binary.LittleEndian, units)
		text := string(utf16.Decode(units))
		if !strings.HasPrefix(text, `<?xml version="1.0" encoding="UTF-16"?>`) ||
			strings.ReplaceAll(strings.Replace(text, "UTF-16", "UTF-8", 1), "\r\n", "\n") != string(f.Data) {
			t.Error("UTF-16 task file differs from the task")
		}
	}
}

// splitWindows splits a command line the way CommandLineToArgvW does.
func splitWindows(s string) []string {
	var args []string
	var cur strings.Builder
	inQuote, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			if i < len(s) && s[i] == '"' {
				cur.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					cur.WriteByte('"')
				} else {
					inQuote = !inQuote
				}
				have = true
			} else {
				cur.WriteString(strings.Repeat(`\`, n))
				i--
			}
			have = true
		case c == '"':
			inQuote, have = !inQuote, true
		case (c == ' ' || c == '\t') && !inQuote:
			if have {
				args = append(args, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if have {
		args = append(args, cur.String())
	}
	return args
}
