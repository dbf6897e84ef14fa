package viewer

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Page sizes the API allows: enough to fill a tall screen, small enough that a page is quick.
const (
	defaultPage = 60
	maxPage     = 500
	maxHits     = 200
)

// api wraps a JSON handler: it times the work (Server-Timing, which the benchmarks and the
// browser's developer tools read), maps errors to statuses and never caches.
func (s *Server) api(fn func(r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		v, err := fn(r)
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Server-Timing", fmt.Sprintf("app;dur=%.1f", float64(time.Since(start).Microseconds())/1000))
		if err != nil {
			status := http.StatusInternalServerError
			switch {
			case errors.Is(err, ErrNotFound):
				status = http.StatusNotFound
			case errors.Is(err, ErrBadQuery):
				status = http.StatusBadRequest
			case r.Context().Err() != nil:
				return
			default:
				s.logf("viewer: %s: %v", r.URL.Path, err)
			}
			h.Set("Content-Type", "application/json")
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(map[string]string{"error": errorText(status, err)})
			return
		}
		h.Set("Content-Type", "application/json")
		enc := json.NewEncoder(w) // HTML-escaping stays on: defence in depth should data ever reach markup
		enc.Encode(v)
	}
}

func errorText(status int, err error) string {
	if status == http.StatusInternalServerError {
		return "the viewer could not read this (see the terminal)"
	}
	return err.Error()
}

func (s *Server) info(r *http.Request) (any, error) {
	return map[string]string{"source": s.src.Describe()}, nil
}

func (s *Server) conversations(r *http.Request) (any, error) {
	return s.src.Conversations(r.Context())
}

func pageSize(v string, def, limit int) int {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return def
	}
	return min(n, limit)
}

func (s *Server) messages(r *http.Request) (any, error) {
	q := r.URL.Query()
	mq := MessageQuery{Conversation: q.Get("c"), Before: q.Get("before"), After: q.Get("after"), Around: q.Get("around"),
		Limit: pageSize(q.Get("limit"), defaultPage, maxPage)}
	if mq.Conversation == "" {
		return nil, fmt.Errorf("%w: which conversation? (c=...)", ErrBadQuery)
	}
	if at := q.Get("at"); at != "" {
		t, err := parseAt(at, q.Get("tz"))
		if err != nil {
			return nil, err
		}
		mq.At = t
	}
	return s.src.Messages(r.Context(), mq)
}

// parseAt reads a date (YYYY-MM-DD, at midnight in the browser's zone given as minutes west of
// UTC, JavaScript's getTimezoneOffset) or Unix milliseconds.
func parseAt(at, tz string) (time.Time, error) {
	if ms, err := strconv.ParseInt(at, 10, 64); err == nil {
		return time.UnixMilli(ms), nil
	}
	loc := time.UTC
	if mins, err := strconv.Atoi(tz); err == nil && mins > -24*60 && mins < 24*60 {
		loc = time.FixedZone("", -mins*60)
	}
	t, err := time.ParseInLocation("2006-01-02", at, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: date %q (want YYYY-MM-DD)", ErrBadQuery, at)
	}
	return t, nil
}

func (s *Server) search(r *http.Request) (any, error) {
	q := r.URL.Query()
	text := strings.TrimSpace(q.Get("q"))
	if text == "" {
		return []Hit{}, nil
	}
	return s.src.Search(r.Context(), SearchQuery{Text: text, Conversation: q.Get("c"), Limit: pageSize(q.Get("limit"), 50, maxHits)})
}
