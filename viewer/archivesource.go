package viewer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/export"
)

// ArchiveSource serves the live archive. Imports that land while the viewer runs show up: the
// conversation list and the participants are cached only until the archive's newest message id
// changes, or "me" is set (chatvault me).
type ArchiveSource struct {
	a *archive.Archive

	mu        sync.Mutex
	seen      int64 // newest message id when the caches were filled
	seenMarks int64 // and the archive's MeMarks then
	convs     []Conversation
	titles    map[int64]string
	ids       map[string]int64 // viewer id (ConversationID) -> archive id
	viewID    map[int64]string
	people    people
	loaded    bool
	meKnown   map[int64]bool // conversations with a message of the user's
}

// NewArchiveSource serves a. The caller keeps ownership: Close does not close the archive.
func NewArchiveSource(a *archive.Archive) *ArchiveSource { return &ArchiveSource{a: a} }

// Describe names the archive's folder.
func (s *ArchiveSource) Describe() string { return "archive " + s.a.Dir() }

// Close does nothing; the caller closes the archive.
func (s *ArchiveSource) Close() error { return nil }

// refresh reloads the caches when the archive changed.
func (s *ArchiveSource) refresh(ctx context.Context) error {
	newest, err := s.a.MaxMessageID(ctx)
	if err != nil {
		return err
	}
	marks, err := s.a.MeMarks(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loaded && newest == s.seen && marks == s.seenMarks {
		return nil
	}
	ps, err := s.a.ParticipantMap(ctx)
	if err != nil {
		return err
	}
	sums, err := s.a.Conversations(ctx)
	if err != nil {
		return err
	}
	convs := make([]Conversation, 0, len(sums))
	titles := make(map[int64]string, len(sums))
	ids, viewID := make(map[string]int64, len(sums)), make(map[int64]string, len(sums))
	meKnown := make(map[int64]bool, len(sums))
	for _, c := range sums {
		title := export.CleanName(c.Title)
		titles[c.ID] = title
		meKnown[c.ID] = c.MeKnown
		id := ConversationID(c.Service, c.Key)
		ids[id], viewID[c.ID] = c.ID, id
		v := Conversation{ID: id, Service: c.Service, Title: title, Kind: string(c.Kind), Messages: c.Messages}
		if c.Messages > 0 {
			v.First, v.Last = c.First.UnixMilli(), c.Last.UnixMilli()
		}
		convs = append(convs, v)
	}
	s.convs, s.titles, s.ids, s.viewID, s.people, s.seen, s.loaded = convs, titles, ids, viewID, newPeople(ps), newest, true
	s.meKnown, s.seenMarks = meKnown, marks
	return nil
}

func (s *ArchiveSource) sender(id int64) *Sender {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.people[id]; ok {
		return p
	}
	return &Sender{Name: "unknown"}
}

// Conversations lists the conversations, most recently active first.
func (s *ArchiveSource) Conversations(ctx context.Context) ([]Conversation, error) {
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.convs, nil
}

// archiveID finds the archive's id of a viewer conversation id.
func (s *ArchiveSource) archiveID(id string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.ids[id]
	if !ok {
		return 0, fmt.Errorf("%w: conversation %q", ErrNotFound, id)
	}
	return n, nil
}

// A cursor is "<unix ms>.<message id>": the archive's own paging position.
func cursorOf(m *archive.Message) string {
	return strconv.FormatInt(m.Time.UnixMilli(), 10) + "." + strconv.FormatInt(m.ID, 10)
}

func parseCursor(c string) (*archive.Position, error) {
	ts, id, ok := strings.Cut(c, ".")
	t, err1 := strconv.ParseInt(ts, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return nil, fmt.Errorf("%w: cursor %q", ErrBadQuery, c)
	}
	return &archive.Position{Time: time.UnixMilli(t), ID: n}, nil
}

// Messages returns one page: each query reads at most limit+1 messages through the archive's
// (conversation, time) index, so a page of a conversation of millions costs what a page of a
// small one does.
func (s *ArchiveSource) Messages(ctx context.Context, q MessageQuery) (*Page, error) {
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	conv, err := s.archiveID(q.Conversation)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	meKnown := s.meKnown[conv]
	s.mu.Unlock()
	limit := q.Limit
	if limit <= 0 {
		limit = defaultPage
	}
	base := archive.MessageQuery{ConversationID: conv, WithParts: true}
	page := &Page{Messages: []Message{}, MeUnknown: !meKnown}
	switch {
	case q.Before != "":
		pos, err := parseCursor(q.Before)
		if err != nil {
			return nil, err
		}
		msgs, more, err := s.read(ctx, base, pos, true, limit)
		if err != nil {
			return nil, err
		}
		page.MoreBefore, page.MoreAfter = more, true
		return s.finish(ctx, page, msgs)
	case q.After != "":
		pos, err := parseCursor(q.After)
		if err != nil {
			return nil, err
		}
		msgs, more, err := s.read(ctx, base, pos, false, limit)
		if err != nil {
			return nil, err
		}
		page.MoreBefore, page.MoreAfter = true, more
		return s.finish(ctx, page, msgs)
	case q.Around != "":
		pos, err := parseCursor(q.Around)
		if err != nil {
			return nil, err
		}
		before, moreBefore, err := s.read(ctx, base, pos, true, limit/2)
		if err != nil {
			return nil, err
		}
		from := &archive.Position{Time: pos.Time, ID: pos.ID - 1} // the hit itself starts the second half
		after, moreAfter, err := s.read(ctx, base, from, false, limit-len(before))
		if err != nil {
			return nil, err
		}
		page.MoreBefore, page.MoreAfter = moreBefore, moreAfter
		return s.finish(ctx, page, append(before, after...))
	case !q.At.IsZero():
		base.Since = q.At
		msgs, more, err := s.read(ctx, base, nil, false, limit)
		if err != nil {
			return nil, err
		}
		earlier := archive.MessageQuery{ConversationID: conv, Until: q.At}
		_, page.MoreBefore, err = s.read(ctx, earlier, nil, true, 0)
		if err != nil {
			return nil, err
		}
		page.MoreAfter = more
		if len(msgs) == 0 { // after the last message: show the end
			return s.Messages(ctx, MessageQuery{Conversation: q.Conversation, Limit: limit})
		}
		return s.finish(ctx, page, msgs)
	default:
		msgs, more, err := s.read(ctx, base, nil, true, limit)
		if err != nil {
			return nil, err
		}
		page.MoreBefore = more
		return s.finish(ctx, page, msgs)
	}
}

// read reads up to limit messages from pos (exclusive) backwards or forwards and returns them
// oldest first, and whether there are more beyond them.
func (s *ArchiveSource) read(ctx context.Context, q archive.MessageQuery, pos *archive.Position, backwards bool, limit int) ([]*archive.Message, bool, error) {
	q.After, q.Desc, q.Limit = pos, backwards, limit+1
	var out []*archive.Message
	err := s.a.EachMessage(ctx, q, func(m *archive.Message) error {
		c := *m
		out = append(out, &c)
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	if backwards {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, more, nil
}

// finish converts a page and resolves the replies in it.
func (s *ArchiveSource) finish(ctx context.Context, page *Page, msgs []*archive.Message) (*Page, error) {
	byUID := make(map[string]*archive.Message, len(msgs))
	for _, m := range msgs {
		byUID[m.UID] = m
	}
	for _, m := range msgs {
		v := viewMessage(m, cursorOf(m), s.sender)
		if m.ReplyTo != "" {
			orig := byUID[m.ReplyTo]
			if orig == nil {
				o, err := s.a.MessageByUID(ctx, m.ConversationID, m.ReplyTo)
				if err != nil && !errors.Is(err, archive.ErrNotFound) {
					return nil, err
				}
				orig = o
			}
			if orig != nil {
				v.Reply = replyOf(orig, cursorOf(orig), s.sender)
			}
		}
		page.Messages = append(page.Messages, v)
	}
	return page, nil
}

// Search uses the archive's full-text index.
func (s *ArchiveSource) Search(ctx context.Context, q SearchQuery) ([]Hit, error) {
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	sq := archive.SearchQuery{Text: q.Text, Limit: q.Limit}
	if q.Conversation != "" {
		id, err := s.archiveID(q.Conversation)
		if err != nil {
			return nil, err
		}
		sq.ConversationID = id
	}
	hits, err := s.a.Search(ctx, sq)
	if err != nil {
		if strings.Contains(err.Error(), "nothing to search for") {
			return []Hit{}, nil
		}
		return nil, err
	}
	terms := parseTerms(q.Text)
	out := make([]Hit, 0, len(hits))
	for _, h := range hits {
		m := h.Message
		s.mu.Lock()
		title, id := s.titles[m.ConversationID], s.viewID[m.ConversationID]
		s.mu.Unlock()
		v := viewMessage(m, cursorOf(m), s.sender)
		out = append(out, Hit{Conversation: id, ConversationTitle: title,
			Message: v, Ranges: highlight(m.Text, terms)})
	}
	return out, nil
}

// OpenMedia opens a file of the media store.
func (s *ArchiveSource) OpenMedia(ctx context.Context, sha string) (*Media, error) {
	if !archive.ValidSHA256(sha) {
		return nil, fmt.Errorf("%w: media %q", ErrNotFound, sha)
	}
	f, err := s.a.OpenMedia(sha)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: media %s", ErrNotFound, sha)
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	mime, err := s.a.MediaType(ctx, sha)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Media{ReadSeekCloser: f, Size: st.Size(), Type: mime, ModTime: st.ModTime()}, nil
}
