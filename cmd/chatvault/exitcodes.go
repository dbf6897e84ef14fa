package main

import (
	"context"
	"errors"
	"io/fs"
	"strings"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
)

// Exit statuses. Distinct codes let scripts and monitoring tell failures apart; every command's
// help lists the ones it uses.
const (
	exitOK          = 0
	exitFailure     = 1  // anything else
	exitUsage       = 2  // wrong flags or arguments
	exitBadInput    = 3  // a source could not be imported (not a chat, truncated, hostile)
	exitSkipped     = 4  // everything found was imported, but some files were skipped (listed)
	exitNoVault     = 10 // no vault at the destination, or no such vault configured
	exitLocked      = 11 // the archive or vault is busy with another chatvault process
	exitBadPassword = 12 // wrong password or recovery key
	exitUnreachable = 13 // the destination cannot be reached
	exitNoSpace     = 14 // not enough space at the destination
	exitDamaged     = 15 // verify found damage
	exitInterrupted = 130
)

// exitStatusHelp is appended to commands' long help.
const exitStatusHelp = `

EXIT STATUS
  0   success
  1   failure
  2   wrong flags or arguments
  3   a source could not be imported (not a chat export, damaged, or hostile)
  4   every source found was imported, but some files were skipped (each is listed, with why)
  11  the archive is busy with another chatvault process`

// usageError marks errors in how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(msg string) error { return &usageError{msg} }

// silentError carries an exit status for a failure the command already reported.
type silentError struct{ code int }

func (e *silentError) Error() string { return "" }

// codedError gives an error a specific exit status.
type codedError struct {
	err  error
	code int
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

func withCode(err error, code int) error {
	if err == nil {
		return nil
	}
	return &codedError{err, code}
}

func exitCode(err error) int {
	var silent *silentError
	var coded *codedError
	var usage *usageError
	var bad *importer.SourceError
	switch {
	case errors.As(err, &silent):
		return silent.code
	case errors.As(err, &coded):
		return coded.code
	case errors.As(err, &usage), isCobraUsage(err):
		return exitUsage
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.Is(err, archive.ErrBusy):
		return exitLocked
	case errors.As(err, &bad), errors.Is(err, importer.ErrUnknownFormat):
		return exitBadInput
	}
	return exitFailure
}

// isCobraUsage recognises cobra's own argument and flag errors, which are plain errors.
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown flag", "unknown shorthand flag", "unknown command", "accepts ", "requires at least",
		"flag needs an argument", "invalid argument", "required flag"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// oneLine keeps a failure to one line: what, where, what to do.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
}

// exitKinds name the exit statuses in --json failure reports (the "kind" of an error object), so
// scripts can branch on a word rather than a number.
var exitKinds = map[int]string{
	exitFailure:        "failure",
	exitUsage:          "usage",
	exitBadInput:       "bad_input",
	exitSkipped:        "skipped",
	exitNoVault:        "no_vault",
	exitLocked:         "locked",
	exitBadPassword:    "bad_password",
	exitUnreachable:    "unreachable",
	exitNoSpace:        "no_space",
	exitDamaged:        "damaged",
	exitBackupsFailing: "backups_failing",
	exitInterrupted:    "interrupted",
}

func exitKind(code int) string {
	if k, ok := exitKinds[code]; ok {
		return k
	}
	return "failure"
}

// errorPath is the file or folder an error is about, when it names one.
func errorPath(err error) string {
	var src *importer.SourceError
	var pe *fs.PathError
	switch {
	case errors.As(err, &src):
		return src.Path
	case errors.As(err, &pe):
		return pe.Path
	}
	return ""
}
