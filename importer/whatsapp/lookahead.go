package whatsapp

import (
	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
)

// lookahead holds the next records before they are stored, so that the media files they name
// are already being copied and hashed (archive.Import.StageMedia, on other cores) when their
// message's turn comes. Records are still stored one by one, in file order.
type lookahead struct {
	c     *converter
	ring  [lookaheadRecords]aheadRecord
	first int // index of the oldest record
	n     int
}

// lookaheadRecords is how far ahead media are started: at 5% media a window holds about a dozen
// files, enough to keep the copy workers busy.
const lookaheadRecords = 256

type aheadRecord struct {
	rec   wachat.Record
	media *archive.PendingMedia
}

// push queues a copy of rec (the parser reuses its records) and stores the oldest queued record
// once the window is full.
func (l *lookahead) push(rec *wachat.Record) error {
	if l.n == len(l.ring) {
		if err := l.pop(); err != nil {
			return err
		}
	}
	item := &l.ring[(l.first+l.n)%len(l.ring)]
	*item = aheadRecord{rec: *rec}
	if f, ok := l.c.mediaFile(rec); ok {
		item.media = l.c.im.StageMedia(f.open, l.c.opts.MaxMediaBytes)
	}
	l.n++
	return nil
}

func (l *lookahead) pop() error {
	item := &l.ring[l.first]
	l.first = (l.first + 1) % len(l.ring)
	l.n--
	err := l.c.add(&item.rec, item.media)
	*item = aheadRecord{} // drop references to the parser's buffers
	return err
}

// drain stores every queued record.
func (l *lookahead) drain() error {
	for l.n > 0 {
		if err := l.pop(); err != nil {
			return err
		}
	}
	return nil
}
