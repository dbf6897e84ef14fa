package whatsapp

import (
	"fmt"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer/whatsapp/wachat"
)

// A chat exported again after the contact or group was renamed arrives under a new file name,
// so a new title and conversation key. Its messages tell it apart from a new chat: when the
// archive has no conversation under the new key but has other WhatsApp exports, messages spread
// over the whole export are looked up, and a WhatsApp export conversation that already holds
// enough of them is the same chat. The import then goes into it and keeps its title. --title
// turns this off (the title decides).
//
// The sample is spread over the export because two exports of one chat may overlap anywhere:
// WhatsApp cuts an export with media at about 10,000 messages and one without at about 40,000,
// so a later, longer export can begin earlier and end later than the archived one.
const (
	sameChatSample   = 64 // messages sampled, evenly over the export (system events not counted)
	sameChatMinMatch = 3  // at least this many, and a tenth of the sample, must be archived already
)

// sampleKeys returns the content keys (uids without the occurrence number) of about
// sameChatSample messages spread evenly over the export. It reads the whole chat text once,
// keeping a sample that thins itself as it grows, so memory stays bounded.
func sampleKeys(e *export, layout wachat.Layout, wopts wachat.Options) ([]string, error) {
	r, err := e.openChat()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	wopts.OnUnparsed = nil
	var keys keyCounter
	var kept []string
	step, seen := 1, 0
	err = wachat.Parse(r, layout, wopts, func(rec *wachat.Record) error {
		if rec.Kind == wachat.KindSystem {
			return nil
		}
		if seen%step == 0 {
			stamp, sum := keys.contentKey(rec) // now: the record's text lives in the parser's buffers
			kept = append(kept, stamp+"-"+sum)
			if len(kept) == 2*sameChatSample {
				// Keep every other one and sample half as often from now on.
				for i := range sameChatSample {
					kept[i] = kept[2*i]
				}
				kept = kept[:sameChatSample]
				step *= 2
			}
		}
		seen++
		return nil
	})
	return kept, err
}

// sameChat returns the archived conversation this export continues under another name, if any.
func sameChat(im *archive.Import, conv archive.Conversation, e *export, layout wachat.Layout, wopts wachat.Options) (archive.Conversation, bool, error) {
	if _, exists, err := im.ConversationByKey(Service, conv.Key); err != nil || exists {
		return archive.Conversation{}, false, err
	}
	if others, err := im.HasConversations(Service, exportKeyPrefix); err != nil || !others {
		return archive.Conversation{}, false, err // the first export: nothing to compare with
	}
	keys, err := sampleKeys(e, layout, wopts)
	if err != nil {
		return archive.Conversation{}, false, err
	}
	best, n, err := im.ConversationByContent(Service, exportKeyPrefix, keys)
	if err != nil || n < sameChatMinMatch || 10*n < len(keys) {
		return archive.Conversation{}, false, err
	}
	im.Note(fmt.Sprintf("the same chat as %q (%d of %d messages sampled across this export are archived there): imported into it; pass --title to keep it apart", best.Title, n, len(keys)))
	return best, true, nil
}
