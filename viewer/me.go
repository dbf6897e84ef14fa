package viewer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"

	"github.com/chatvault/chatvault/dump"
)

// A conversation in which no message is marked as the user's ("me" unknown: a text export that
// does not say who exported it) shows every sender's name, or a two-person chat would be one
// column of unnamed bubbles. The live archive knows it from its conversation list (cached until
// a message is added or "me" is set); a snapshot is read for it here.

// meUnknown says whether no message of a snapshot's conversation is the user's. It reads months
// newest first until it finds one (usually in the first); a snapshot does not change, so the
// answer is kept either way.
func (s *DumpSource) meUnknown(ctx context.Context, id string, c *dumpConv) (bool, error) {
	s.mu.Lock()
	known, asked := s.meKnown[id]
	s.mu.Unlock()
	if asked {
		return !known, nil
	}
	for mi := len(c.meta.Months) - 1; mi >= 0 && !known; mi-- {
		var err error
		if known, err = s.monthHasMine(ctx, c.dir+"/"+c.meta.Months[mi].Path); err != nil {
			return false, err
		}
	}
	s.mu.Lock()
	if s.meKnown == nil {
		s.meKnown = map[string]bool{}
	}
	s.meKnown[id] = known
	s.mu.Unlock()
	return !known, nil
}

// monthHasMine reads a month file for a message of the user's without keeping it: only lines
// that can say so are decoded.
func (s *DumpSource) monthHasMine(ctx context.Context, p string) (bool, error) {
	if lines, ok := s.months.get(p); ok {
		for _, l := range lines {
			if l.FromMe {
				return true, nil
			}
		}
		return false, nil
	}
	r, err := s.src.Open(ctx, p)
	if err != nil {
		return false, err
	}
	defer r.Close()
	br := bufio.NewReaderSize(r, 256<<10)
	mark := []byte(`"from_me":true`)
	for {
		b, err := br.ReadBytes('\n')
		if bytes.Contains(b, mark) {
			var l dump.MessageLine
			if json.Unmarshal(b, &l) == nil && l.FromMe {
				return true, nil
			}
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
}
