package wachat

import (
	"errors"
	"fmt"
)

var (
	// ErrNotAChat is returned (wrapped, with detail) by Scan when the input
	// has no line that looks like a WhatsApp message header.
	ErrNotAChat = errors.New("not a WhatsApp chat export")

	// ErrBinary is returned (wrapped, with detail) by Scan for input that is
	// not text: NUL bytes or runs of invalid UTF-8. errors.Is(err,
	// ErrNotAChat) holds for it too.
	ErrBinary = fmt.Errorf("%w: binary data, not UTF-8 text", ErrNotAChat)

	// ErrLineTooLong is wrapped in a *LineError when a line is longer than
	// Options.MaxLineBytes.
	ErrLineTooLong = errors.New("line too long")

	// ErrMessageTooLong is wrapped in a *LineError when the lines after one
	// message header run past MaxMessageBytes without another header: no
	// WhatsApp message is that long (the app caps one at 65,536 characters),
	// and holding it would take memory without bound.
	ErrMessageTooLong = fmt.Errorf("a message longer than %d MiB, far more than WhatsApp allows: not a chat export, or a damaged one", MaxMessageBytes>>20)

	// ErrNoYear is returned by Parse when headers omit the year (Android
	// exports of 2013-2014 did so for messages of the current year), the
	// file has no dated header to infer it from, and Options.DefaultYear is
	// not set.
	ErrNoYear = errors.New("the export omits the year in its headers: give the year it was exported in with --year")
)

// LineError is an error at one line of the input.
type LineError struct {
	Line int // 1-based
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }
