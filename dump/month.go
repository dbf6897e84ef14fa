package dump

import (
	"bufio"
	"context"
	"io"

	"github.com/chatvault/chatvault/archive"
)

// writeMonth writes a conversation month's messages as JSON Lines and returns how many.
func writeMonth(ctx context.Context, v *archive.View, k *keys, convID int64, month string, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	n := 0
	err := v.EachMonthMessage(ctx, convID, month, func(m *archive.Message) error {
		l := k.messageLine(m)
		line = appendMessageLine(line[:0], &l)
		n++
		_, err := bw.Write(line)
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, bw.Flush()
}

// measureMonth renders a month to learn its digest, size and message count, keeping what it
// rendered in the spool file sf when there is one with room.
func measureMonth(ctx context.Context, v *archive.View, k *keys, m archive.DumpMonth, sf *spoolFile) (archive.DumpMonth, error) {
	d := newDigestWriter()
	var w io.Writer = d
	var off int64
	spooling := sf != nil && sf.room()
	if spooling {
		off = sf.size
		w = io.MultiWriter(d, sf)
	}
	n, err := writeMonth(ctx, v, k, m.ConversationID, m.Month, w)
	if err != nil {
		return m, err
	}
	m.Digest, m.Size, m.Messages, m.DigestOf = d.sum(), d.size, n, m.ChangedAt
	if spooling {
		sf.keep(monthID{m.ConversationID, m.Month}, off, m.Size)
	}
	return m, nil
}
