package tgjson

import (
	"fmt"
	"strings"
)

// Error is a problem reading the file, with where it happened.
type Error struct {
	Offset   int64  // byte offset in the file
	ChatID   int64  // the chat being read, when known (HasChat)
	ChatName string //
	HasChat  bool
	// MessageID is the message being read; AfterID the last one read before it in the chat.
	// 0 when unknown.
	MessageID int64
	AfterID   int64
	Err       error
}

func (e *Error) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "offset %d", e.Offset)
	if e.HasChat {
		fmt.Fprintf(&sb, ", chat %d", e.ChatID)
		if e.ChatName != "" {
			fmt.Fprintf(&sb, " (%q)", e.ChatName)
		}
	}
	if e.MessageID != 0 {
		fmt.Fprintf(&sb, ", message %d", e.MessageID)
	} else if e.AfterID != 0 {
		fmt.Fprintf(&sb, ", after message %d", e.AfterID)
	}
	sb.WriteString(": ")
	sb.WriteString(e.Err.Error())
	return sb.String()
}

func (e *Error) Unwrap() error { return e.Err }
