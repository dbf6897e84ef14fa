package wachat

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// shortLines is an endless source of short continuation lines.
type shortLines struct{ n int64 }

func (s *shortLines) Read(p []byte) (int, error) {
	if s.n <= 0 {
		return 0, io.EOF
	}
	line := "more text\n"
	k := 0
	for k+len(line) <= len(p) && s.n > 0 {
		k += copy(p[k:], line)
		s.n -= int64(len(line))
	}
	return k, nil
}

// A message that goes on for more than MaxMessageBytes (short lines, no header) ends the parse
// with an error naming the line, instead of growing without bound.
func TestHugeMessageIsRefusedWithItsLine(t *testing.T) {
	head := "12/9/20, 23:55 - Alice: the start\n"
	mk := func() io.Reader { return io.MultiReader(strings.NewReader(head), &shortLines{n: 3 * MaxMessageBytes}) }
	layout, err := Scan(mk(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = Parse(mk(), layout, Options{}, func(*Record) error { n++; return nil })
	var le *LineError
	if !errors.As(err, &le) || !errors.Is(err, ErrMessageTooLong) || le.Line < MaxMessageBytes/len("more text\n") {
		t.Fatalf("parse of a huge message: %v (%d records)", err, n)
	}
}
