package archive

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"
)

// ConversationByKey returns the conversation (service, key), if the archive has it.
func (im *Import) ConversationByKey(service, key string) (Conversation, bool, error) {
	c := Conversation{Service: service, Key: key}
	err := im.tx.QueryRowContext(im.ctx, `SELECT id, title, kind FROM conversations WHERE service=? AND key=?`, service, key).
		Scan(&c.ID, &c.Title, &c.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return Conversation{}, false, nil
	}
	return c, err == nil, err
}

// HasConversations reports whether the archive has any conversation of a service whose key
// starts with keyPrefix.
func (im *Import) HasConversations(service, keyPrefix string) (bool, error) {
	var one int
	err := im.tx.QueryRowContext(im.ctx, `SELECT 1 FROM conversations WHERE service = ?1 AND substr(key, 1, length(?2)) = ?2 LIMIT 1`,
		service, keyPrefix).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// ConversationByContent finds the conversation of a service whose keys start with keyPrefix and
// that already holds messages with the most of the given uid prefixes (a uid matches a prefix it
// starts with), and how many prefixes it holds (0 when none does). An importer uses it to
// recognise a source it has seen under another name: the same chat exported again after a
// contact or group was renamed. Every prefix is a range probe on the (conversation, uid) index of
// every conversation, so the cost does not grow with the number of messages.
func (im *Import) ConversationByContent(service, keyPrefix string, uidPrefixes []string) (Conversation, int, error) {
	if len(uidPrefixes) == 0 {
		return Conversation{}, 0, nil
	}
	// Numbered parameters: ?1 and ?2 are the service and the key prefix, then each uid prefix.
	rows := make([]string, len(uidPrefixes))
	args := []any{service, keyPrefix}
	for i, p := range uidPrefixes {
		rows[i] = "(?" + strconv.Itoa(3+i) + ")"
		args = append(args, p)
	}
	var c Conversation
	var n int
	err := im.tx.QueryRowContext(im.ctx, `WITH sample(p) AS (VALUES `+strings.Join(rows, ",")+`)
		SELECT c.id, c.key, c.title, c.kind,
			(SELECT count(*) FROM sample s WHERE EXISTS (SELECT 1 FROM messages m
				WHERE m.conversation_id = c.id AND m.uid >= s.p AND m.uid < s.p || char(0x10FFFF))) AS n
		FROM conversations c WHERE c.service = ?1 AND substr(c.key, 1, length(?2)) = ?2
		ORDER BY n DESC, c.id LIMIT 1`, args...).Scan(&c.ID, &c.Key, &c.Title, &c.Kind, &n)
	if errors.Is(err, sql.ErrNoRows) {
		return Conversation{}, 0, nil
	}
	if err != nil {
		return Conversation{}, 0, err
	}
	c.Service = service
	return c, n, nil
}

// HasMessage reports whether a conversation holds a message known by key (its uid or another of
// its keys). An importer of a database that grows (a phone's daily backup) uses it to find how
// far an earlier import of the same database got; call it before adding messages.
func (im *Import) HasMessage(conversationID int64, key string) (bool, error) {
	id, err := im.findByKeys(&Message{ConversationID: conversationID, UID: key})
	return id != 0, err
}

// MessageCount returns how many messages a conversation holds.
func (im *Import) MessageCount(conversationID int64) (int64, error) {
	var n int64
	err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM messages WHERE conversation_id = ?`, conversationID).Scan(&n)
	return n, err
}
