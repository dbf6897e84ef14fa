package wadb

import "fmt"

// loadJIDMap reads jid_map (lid_row_id -> jid_row_id, §4.2): a sender or chat known only by its
// "<n>@lid" JID is then the person of that phone number, as on the iPhone (LID.sqlite).
func (r *androidReader) loadJIDMap() error {
	if !r.s.hasCols("jid_map", "lid_row_id", "jid_row_id") {
		return nil
	}
	c := &cols{}
	c.from(r.s.columns("jid_map"), "j", "lid_row_id", "jid_row_id")
	err := r.each("SELECT "+c.list()+" FROM jid_map j", c, func(row *row) {
		r.sk.addLID(r.jids[row.int("j_lid_row_id")], r.jids[row.int("j_jid_row_id")])
	})
	if err != nil {
		return fmt.Errorf("table jid_map: %w", err)
	}
	return nil
}
