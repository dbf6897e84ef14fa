package wadb

import (
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/sqlitefs"
)

// lids reads which phone number each hidden "<n>@lid" JID stands for: ZWAPHONENUMBERLIDPAIR
// (ZLID, ZPHONENUMBER) in LID.sqlite beside ChatStorage, or in ChatStorage itself in versions that
// keep it there (§6), and a chat WhatsApp files under a LID names the number in
// ZWACHATSESSION.ZCONTACTIDENTIFIER (newer stores; three public readers agree). ContactsV2's
// ZLID/ZWHATSAPPID pairs are added by names. Both sides may be JIDs or bare digits. It runs
// before any message, so every sender is resolved the same way.
func (r *iosReader) lids(src importer.Source, dir string) {
	read := func(s *schema) {
		if !s.hasCols("zwaphonenumberlidpair", "zlid", "zphonenumber") {
			return
		}
		rows, err := s.db.QueryContext(r.ctx, `SELECT ZLID, ZPHONENUMBER FROM ZWAPHONENUMBERLIDPAIR`)
		if err != nil {
			return
		}
		defer rows.Close()
		for rows.Next() {
			var l, p any
			if rows.Scan(&l, &p) == nil {
				r.sk.addLID(asString(l), asString(p))
			}
		}
	}
	read(r.s)
	if r.s.hasCols("zwachatsession", "zcontactjid", "zcontactidentifier") {
		if rows, err := r.s.db.QueryContext(r.ctx, `SELECT ZCONTACTJID, ZCONTACTIDENTIFIER FROM ZWACHATSESSION`); err == nil {
			for rows.Next() {
				var l, p any
				if rows.Scan(&l, &p) == nil {
					r.sk.addLID(asString(l), asString(p))
				}
			}
			rows.Close()
		}
	}
	if p := join(dir, "LID.sqlite"); sqliteWith(src.FS, p, "ZWAPHONENUMBERLIDPAIR") {
		if db, err := sqlitefs.Open(src.FS, p); err == nil {
			defer db.Close()
			if s, err := newSchema(db); err == nil {
				read(s)
			}
		}
	}
}
