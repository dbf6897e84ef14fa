package wadb

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/sqlitefs"
)

// readWaDB takes contact names from wa.db's wa_contacts (§5): the address-book display_name,
// else the push name (wa_name). A wa.db that cannot be read only costs names: a note says so.
func (s *sink) readWaDB(ctx context.Context, fsys fs.FS, name string, opts importer.Options) {
	if isEncrypted(name) {
		s.im.Note(fmt.Sprintf("%s is encrypted and was not read: contact names come from the message database only", name))
		return
	}
	db, err := sqlitefs.Open(fsys, name)
	if err != nil {
		s.im.Note(fmt.Sprintf("%s: not readable (%v): contact names come from the message database only", name, err))
		return
	}
	defer db.Close()
	sc, err := newSchema(db)
	if err != nil || !sc.hasCols("wa_contacts", "jid") {
		s.im.Note(fmt.Sprintf("%s has no wa_contacts table: contact names come from the message database only", name))
		return
	}
	c := &cols{}
	c.from(sc.columns("wa_contacts"), "w", "jid", "display_name", "wa_name")
	rows, err := db.QueryContext(ctx, "SELECT "+c.list()+" FROM wa_contacts w")
	if err != nil {
		return
	}
	defer rows.Close()
	r := newRow(c)
	n := 0
	for rows.Next() && n < 1<<20 {
		if rows.Scan(r.ptrs()...) != nil {
			continue
		}
		jid := bareJID(r.str("w_jid"))
		nm := r.str("w_display_name")
		if nm == "" {
			nm = r.str("w_wa_name")
		}
		if jid != "" && nm != "" {
			s.names[jid] = clipName(nm)
			n++
		}
	}
	s.im.Note(fmt.Sprintf("%d contact names from %s", n, name))
}

func clipName(s string) string {
	if len(s) > 256 {
		return s[:256]
	}
	return s
}
