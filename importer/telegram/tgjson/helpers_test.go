package tgjson

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// readAll collects every item of a reader, stopping at the first error.
func readAll(t testing.TB, r *Reader) ([]Item, error) {
	t.Helper()
	var items []Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return items, err
		}
		items = append(items, it)
		if len(items) > 10_000_000 {
			t.Fatal("reader does not end")
		}
	}
}

func readString(t testing.TB, s string, opts Options) ([]Item, error) {
	t.Helper()
	return readAll(t, NewReader(strings.NewReader(s), opts))
}

// chatSummary is what a test compares: each chat's identity and its message ids in order.
type chatSummary struct {
	Name, Type string
	ID         int64
	List       string
	IDs        []int64
}

func summarize(t testing.TB, items []Item) []chatSummary {
	t.Helper()
	var out []chatSummary
	var open *Chat
	for _, it := range items {
		switch it.Kind {
		case KindChatStart:
			if open != nil {
				t.Fatalf("chat start inside chat %v", open)
			}
			open = it.Chat
			out = append(out, chatSummary{})
		case KindMessage:
			if open == nil || it.Chat != open {
				t.Fatalf("message %d outside its chat", it.Message.ID)
			}
			out[len(out)-1].IDs = append(out[len(out)-1].IDs, it.Message.ID)
		case KindChatEnd:
			if it.Chat != open {
				t.Fatal("chat end without its start")
			}
			c := &out[len(out)-1]
			c.Name, c.Type, c.ID, c.List = open.Name, open.Type, open.ID, open.List
			open = nil
		}
	}
	if open != nil {
		t.Fatal("chat not closed")
	}
	return out
}

func asError(t testing.TB, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	return e
}
