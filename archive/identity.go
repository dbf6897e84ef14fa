package archive

import (
	"database/sql"
	"errors"
	"strings"
)

// Source ranks: how much a kind of source knows about a message. When two sources hold the same
// message or chat, the richer one's fields win; a poorer one never downgrades them (a partial text
// export does not turn a group into a direct chat, nor replace a sender's id with a name).
const (
	RankExport   = 10 // text exports: wall-clock minutes, display names, no ids
	RankDatabase = 20 // the app's own database: native ids, exact times, ids of people
)

// rankBit is a rank's bit in conversations.message_ranks.
func rankBit(rank int) int64 { return 1 << (rank / 10) }

// Conversation finds or creates the conversation and returns its id. It is found by its key or by
// any of its Idents (the same chat seen through another source); the key and idents it was not yet
// known by are recorded, with this import, so a later import of either source lands here too.
// Title and kind are taken when this source ranks at least as high as the one that set them,
// except that a chat once known as a group, channel or self chat is never turned into a direct
// chat (sources that cannot tell say "direct").
func (im *Import) Conversation(c Conversation) (int64, error) {
	if c.Service == "" || c.Key == "" {
		return 0, errors.New("conversation needs a service and a key")
	}
	if c.Kind == "" {
		c.Kind = ConvDirect
	}
	id, err := im.findConversation(c)
	if err != nil {
		return 0, err
	}
	if id == 0 {
		err = im.tx.QueryRowContext(im.ctx, `INSERT INTO conversations(service, key, title, kind, rank) VALUES(?,?,?,?,?) RETURNING id`,
			c.Service, c.Key, c.Title, string(c.Kind), im.info.Rank).Scan(&id)
		if err == nil {
			if im.newConvs == nil {
				im.newConvs = map[int64]bool{}
			}
			im.newConvs[id] = true
		}
	} else {
		_, err = im.tx.ExecContext(im.ctx, `UPDATE conversations SET
			title = CASE WHEN ?1 >= rank AND ?2 <> '' THEN ?2 ELSE title END,
			kind = CASE WHEN ?1 >= rank AND NOT (?3 = 'direct' AND kind <> 'direct') THEN ?3 ELSE kind END,
			rank = max(rank, ?1)
			WHERE id = ?4`, im.info.Rank, c.Title, string(c.Kind), id)
	}
	if err != nil {
		return 0, err
	}
	if err := im.recordIdents("conversation_ids", "conversation_id", c.Service, id, append([]string{c.Key}, c.Idents...)); err != nil {
		return 0, err
	}
	if _, seen := im.convs[id]; !seen {
		var title string
		if err := im.tx.QueryRowContext(im.ctx, `SELECT title FROM conversations WHERE id=?`, id).Scan(&title); err != nil {
			return 0, err
		}
		im.convs[id] = title
		im.report.Conversations = append(im.report.Conversations, title)
	}
	return id, nil
}

func (im *Import) findConversation(c Conversation) (int64, error) {
	return im.findIdent("conversations", "conversation_ids", "conversation_id", c.Service, append([]string{c.Key}, c.Idents...))
}

// findIdent returns the owner of the first of idents that is an owner's key (in owners) or a
// recorded ident (in table), or 0.
func (im *Import) findIdent(owners, table, column, service string, idents []string) (int64, error) {
	for _, ident := range idents {
		if ident == "" {
			continue
		}
		var id int64
		err := im.tx.QueryRowContext(im.ctx, `SELECT id FROM `+owners+` WHERE service=?1 AND key=?2
			UNION ALL SELECT `+column+` FROM `+table+` WHERE service=?1 AND ident=?2 LIMIT 1`, service, ident).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	return 0, nil
}

// recordIdents links idents to owner; an ident already linked to another owner keeps its link
// (the first source to claim it wins, deterministically by import order).
func (im *Import) recordIdents(table, column, service string, owner int64, idents []string) error {
	for _, ident := range idents {
		if strings.TrimSpace(ident) == "" {
			continue
		}
		if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO `+table+`(service, ident, `+column+`, import_id) VALUES(?,?,?,?)
			ON CONFLICT DO NOTHING`, service, ident, owner, im.id); err != nil {
			return err
		}
	}
	return nil
}

// Participant finds or creates the participant and updates what the import knows better, and
// returns its id. It is found by its key or any of its Idents; an import that does not know who
// "me" is never clears IsMe, and an empty name or phone never replaces a known one.
func (im *Import) Participant(p Participant) (int64, error) {
	if p.Service == "" || p.Key == "" {
		return 0, errors.New("participant needs a service and a key")
	}
	id, err := im.findIdent("participants", "participant_ids", "participant_id", p.Service, append([]string{p.Key}, p.Idents...))
	if err != nil {
		return 0, err
	}
	if id == 0 {
		err = im.tx.QueryRowContext(im.ctx, `INSERT INTO participants(service, key, name, phone, is_me) VALUES(?,?,?,?,?) RETURNING id`,
			p.Service, p.Key, p.Name, p.Phone, p.IsMe).Scan(&id)
	} else {
		_, err = im.tx.ExecContext(im.ctx, `UPDATE participants SET
			name = CASE WHEN ?1 <> '' AND (name = '' OR ?4 >= ?5) THEN ?1 ELSE name END,
			phone = CASE WHEN ?2 <> '' THEN ?2 ELSE phone END,
			is_me = max(is_me, ?3)
			WHERE id = ?6`, p.Name, p.Phone, p.IsMe, im.info.Rank, RankExport, id)
	}
	if err != nil {
		return 0, err
	}
	return id, im.recordIdents("participant_ids", "participant_id", p.Service, id, append([]string{p.Key}, p.Idents...))
}
