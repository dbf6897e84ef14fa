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

// measureMonth renders a month only to learn its digest, size and message count.
func measureMonth(ctx context.Context, v *archive.View, k *keys, m archive.DumpMonth) (archive.DumpMonth, error) {
	d := newDigestWriter()
	n, err := writeMonth(ctx, v, k, m.ConversationID, m.Month, d)
	if err != nil {
		return m, err
	}
	m.Digest, m.Size, m.Messages, m.DigestOf = d.sum(), d.size, n, m.ChangedAt
	return m, nil
}
