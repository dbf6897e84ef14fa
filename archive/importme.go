package archive

// KnownMe lists the keys of the participants of a service already marked as the user, so an
// importer can recognise "me" in a new export after the user said it once (--me).
func (im *Import) KnownMe(service string) (map[string]bool, error) {
	rows, err := im.tx.QueryContext(im.ctx, `SELECT key FROM participants WHERE service=? AND is_me=1`, service)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// MarkFromMe flags a participant's messages in a conversation as sent by the user, once an
// importer has worked out who the user is (which may be after reading the whole source).
func (im *Import) MarkFromMe(conversationID, participantID int64) error {
	if err := im.flush(); err != nil {
		return err
	}
	res, err := im.tx.ExecContext(im.ctx, `UPDATE messages SET from_me=1 WHERE conversation_id=? AND sender_id=? AND from_me=0`,
		conversationID, participantID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		if im.meMarked == nil {
			im.meMarked = map[int64]bool{}
		}
		im.meMarked[conversationID] = true
		if err := countMeMark(im.ctx, im.tx); err != nil {
			return err
		}
		return im.markConversationChanged(conversationID)
	}
	return nil
}
