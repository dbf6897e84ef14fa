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

// ConversationByContent finds the conversation of a service whose keys start with keyPrefix and
// that already holds the most of the given message uids, and how many of them it holds (0 when
// none does). An importer uses it to recognise a source it has seen under another name: the same
// chat exported again after a contact or group was renamed. Every conversation is probed through
// its (conversation, uid) index, so the cost does not grow with the number of messages.
func (im *Import) ConversationByContent(service, keyPrefix string, uids []string) (Conversation, int, error) {
	if len(uids) == 0 {
		return Conversation{}, 0, nil
	}
	args := []any{service, keyPrefix}
	for _, u := range uids {
		args = append(args, u)
	}
	marks := make([]string, len(uids))
	for i := range uids {
		marks[i] = "?" + strconv.Itoa(i+3) // ?1 and ?2 are the service and the prefix
	}
	in := strings.Join(marks, ",")
	var c Conversation
	var n int
	err := im.tx.QueryRowContext(im.ctx, `SELECT c.id, c.key, c.title, c.kind,
			(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.uid IN (`+in+`)) AS n
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
