package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
}

// formatCount writes 1234567 as 1,234,567.
func formatCount(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + formatCount(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func formatTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// parseDate reads --since/--until values: a date, a date and time, or RFC 3339.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef(fmt.Sprintf("cannot read date %q: use YYYY-MM-DD or YYYY-MM-DD HH:MM", s))
}

// sanitizeTerminal keeps untrusted text from steering the terminal: control characters
// (escape sequences) and bidi overrides are shown as visible escapes.
func sanitizeTerminal(s string) string {
	clean := true
	for _, r := range s {
		if isUnsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isUnsafeRune(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isUnsafeRune(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// printJSONLine writes one compact JSON object per line (JSON Lines), for streams of messages.
func printJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// countOf writes "1 snapshot" or "3 snapshots".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return formatCount(int64(n)) + " " + noun + "s"
}

// failure is the "error" object of --json output: every command that takes --json prints one on
// stdout when it fails (alone, or inside its report when it printed one), and the same message
// as one line on stderr. docs/user-guide.md ("Scripting with --json") documents it.
type failure struct {
	Kind       string `json:"kind"`        // the exit status as a word: usage, bad_input, skipped, locked, ...
	Message    string `json:"message"`     // the one line printed on stderr, without "chatvault: "
	Path       string `json:"path"`        // the file or folder concerned, "" when none is
	ExitStatus int    `json:"exit_status"` // the process's exit status
}

func newFailure(err error, code int, path string) *failure {
	if path == "" {
		path = errorPath(err)
	}
	return &failure{Kind: exitKind(code), Message: oneLine(err), Path: path, ExitStatus: code}
}

// failureReport is what a command prints with --json when it fails before printing anything.
type failureReport struct {
	Error *failure `json:"error"`
}

// wantsJSON reports whether the command that ran was asked for --json. A flag error can stop
// parsing before --json is read, so the arguments are looked at too.
func wantsJSON(cmd *cobra.Command, args []string) bool {
	if cmd == nil {
		return false
	}
	f := cmd.Flags().Lookup("json")
	if f == nil {
		return false
	}
	if f.Value.String() == "true" {
		return true
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "--json" || a == "--json=true" || a == "--json=1" {
			return true
		}
	}
	return false
}

// writeTracker remembers whether anything was written through it: a command that printed its
// report already carries its failure in it, and a second JSON document would break parsers.
type writeTracker struct {
	w     io.Writer
	wrote bool
}

func (t *writeTracker) Write(p []byte) (int, error) {
	if len(p) > 0 {
		t.wrote = true
	}
	return t.w.Write(p)
}

// damageFailure is the error member of a --json report that found damage (exit status 15); the
// same line goes to stderr, as for every --json failure.
func damageFailure(g *globals, message string) *failure {
	fmt.Fprintf(g.stderr, "chatvault: %s\n", message)
	return &failure{Kind: exitKind(exitDamaged), Message: message, ExitStatus: exitDamaged}
}
