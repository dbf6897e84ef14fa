package viewer

import (
	"crypto/sha256"
	"encoding/hex"
)

// ConversationID is the id the viewer gives a conversation: derived from its service and key, so
// a link to a chat opens the same chat in the live viewer and in a snapshot's (the archive's row
// ids are not in a dump, and a dump's order is not the archive's).
func ConversationID(service, key string) string {
	sum := sha256.Sum256([]byte(service + "\x00" + key))
	return hex.EncodeToString(sum[:8])
}
