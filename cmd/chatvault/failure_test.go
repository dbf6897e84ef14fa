package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
)

// Every kind of failure a command can return gets its exit status's word, its one-line message
// and the path it is about, for the --json error object.
func TestFailureObject(t *testing.T) {
	_, statErr := os.Stat("/nonexistent/chat.txt")
	cases := []struct {
		err        error
		kind, path string
		status     int
	}{
		{usagef("--date-order must be DMY, MDY or YMD"), "usage", "", exitUsage},
		{fmt.Errorf("unknown flag: --bogus"), "usage", "", exitUsage},
		{&importer.SourceError{Path: "a.zip", Err: errors.New("damaged")}, "bad_input", "a.zip", exitBadInput},
		{withCode(statErr, exitBadInput), "bad_input", "/nonexistent/chat.txt", exitBadInput},
		{fmt.Errorf("importing: %w", archive.ErrBusy), "locked", "", exitLocked},
		{fmt.Errorf("backup: %w", context.Canceled), "interrupted", "", exitInterrupted},
		{withCode(errors.New("no vault configured"), exitNoVault), "no_vault", "", exitNoVault},
		{withCode(errors.New("wrong password"), exitBadPassword), "bad_password", "", exitBadPassword},
		{withCode(errors.New("cannot reach"), exitUnreachable), "unreachable", "", exitUnreachable},
		{withCode(errors.New("disk full"), exitNoSpace), "no_space", "", exitNoSpace},
		{withCode(errors.New("damaged"), exitDamaged), "damaged", "", exitDamaged},
		{errors.New("something else\nover two lines"), "failure", "", exitFailure},
	}
	for _, c := range cases {
		f := newFailure(c.err, exitCode(c.err), "")
		if f.Kind != c.kind || f.Path != c.path || f.ExitStatus != c.status || f.Message != oneLine(c.err) {
			t.Errorf("%v: got %+v, want kind %q path %q status %d", c.err, *f, c.kind, c.path, c.status)
		}
	}
}
