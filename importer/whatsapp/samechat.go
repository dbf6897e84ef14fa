package whatsapp

import (
	"errors"
	"fmt"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
)

// A chat exported again after the contact or group was renamed arrives under a new file name,
// so a new title and conversation key. Its messages tell it apart from a new chat: when the
// archive has no conversation under the new key, the uids of the export's first messages are
// looked up, and a WhatsApp export conversation that already holds most of them is the same chat.
// The import then goes into it and keeps its title. --title turns this off (the title decides).
//
// Only the first messages are sampled, so an export that begins before the archived one did
// (the archived export was cut short, the new one was not) is not recognised; --title merges it.
const (
	sameChatSample   = 50 // messages sampled from the start of the export (system events not counted)
	sameChatMinMatch = 3  // and at least this many, and half of the sample, must be there already
)

var errSampled = errors.New("sampled enough")

// sampleUIDs returns the uids the import will give the export's first messages.
func sampleUIDs(e *export, layout wachat.Layout, wopts wachat.Options) ([]string, error) {
	r, err := e.openChat()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	wopts.OnUnparsed = nil
	var keys keyCounter
	var uids []string
	err = wachat.Parse(r, layout, wopts, func(rec *wachat.Record) error {
		uid := keys.uid(rec) // every record, in order, as the import counts occurrences
		if rec.Kind != wachat.KindSystem {
			uids = append(uids, uid)
		}
		if len(uids) >= sameChatSample {
			return errSampled
		}
		return nil
	})
	if errors.Is(err, errSampled) {
		err = nil
	}
	return uids, err
}

// sameChat returns the archived conversation this export continues under another name, if any.
func sameChat(im *archive.Import, conv archive.Conversation, e *export, layout wachat.Layout, wopts wachat.Options) (archive.Conversation, bool, error) {
	if _, exists, err := im.ConversationByKey(Service, conv.Key); err != nil || exists {
		return archive.Conversation{}, false, err
	}
	uids, err := sampleUIDs(e, layout, wopts)
	if err != nil {
		return archive.Conversation{}, false, err
	}
	best, n, err := im.ConversationByContent(Service, exportKeyPrefix, uids)
	if err != nil || n < sameChatMinMatch || 2*n < len(uids) {
		return archive.Conversation{}, false, err
	}
	im.Note(fmt.Sprintf("the same chat as %q (%d of its first %d messages are archived there): imported into it; pass --title to keep it apart", best.Title, n, len(uids)))
	return best, true, nil
}
