package wadbtest

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "github.com/chatvault/chatvault/internal/sqlitenomutex" // the "sqlite" driver, as chatvault opens it
)

// GenerateChats is how many chats GenerateIOS spreads its messages over; every tenth is a group.
const GenerateChats = 100

// iosIndexes are the indexes Core Data gives the relationship columns the importer joins on.
var iosIndexes = []string{
	`CREATE INDEX ZWAMESSAGE_ZCHATSESSION_INDEX ON ZWAMESSAGE (ZCHATSESSION)`,
	`CREATE INDEX ZWAMESSAGE_ZMEDIAITEM_INDEX ON ZWAMESSAGE (ZMEDIAITEM)`,
	`CREATE INDEX ZWAMESSAGE_ZMESSAGEINFO_INDEX ON ZWAMESSAGE (ZMESSAGEINFO)`,
	`CREATE INDEX ZWAMEDIAITEM_ZMESSAGE_INDEX ON ZWAMEDIAITEM (ZMESSAGE)`,
	`CREATE INDEX ZWAMESSAGEINFO_ZMESSAGE_INDEX ON ZWAMESSAGEINFO (ZMESSAGE)`,
	`CREATE INDEX ZWAGROUPMEMBER_ZCHATSESSION_INDEX ON ZWAGROUPMEMBER (ZCHATSESSION)`,
}

// appleEpoch is 2001-01-01 in Unix seconds: ChatStorage's times count from it.
const appleEpoch = 978307200

// GenerateIOS writes a large WhatsApp for iPhone app group folder at dir for benchmarks:
// ChatStorage.sqlite with n messages in GenerateChats chats (groups with three members), one in
// twenty a photo. It writes no media files: media lists, relative to dir, where each photo's
// file belongs (Message/Media/...), for a caller that wants them.
func GenerateIOS(dir string, n int) (media []string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "ChatStorage.sqlite")+"?_pragma=journal_mode(off)&_pragma=synchronous(off)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.Begin()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, q := range append(append([]string{}, IOSDDL...), iosIndexes...) {
		if _, err := tx.Exec(q); err != nil {
			return nil, err
		}
	}
	jid := func(c int) string {
		if c%10 == 0 {
			return fmt.Sprintf("4915100000000-%d@g.us", 1600000000+c)
		}
		return fmt.Sprintf("49151%07d@s.whatsapp.net", c)
	}
	for c := 0; c < GenerateChats; c++ {
		typ := 0
		if c%10 == 0 {
			typ = 1
		}
		if _, err := tx.Exec(`INSERT INTO ZWACHATSESSION(Z_PK, ZCONTACTJID, ZPARTNERNAME, ZSESSIONTYPE) VALUES(?,?,?,?)`, c+1, jid(c), fmt.Sprintf("Chat %d", c), typ); err != nil {
			return nil, err
		}
		if typ == 1 {
			for m := 0; m < 3; m++ {
				if _, err := tx.Exec(`INSERT INTO ZWAGROUPMEMBER(Z_PK, ZCHATSESSION, ZMEMBERJID) VALUES(?,?,?)`, c*3+m+1, c+1, fmt.Sprintf("49170%07d@s.whatsapp.net", m)); err != nil {
					return nil, err
				}
			}
		}
	}
	msg, err := tx.Prepare(`INSERT INTO ZWAMESSAGE(Z_PK, ZCHATSESSION, ZISFROMME, ZMESSAGEDATE, ZMESSAGETYPE, ZGROUPEVENTTYPE, ZTEXT, ZSTANZAID, ZGROUPMEMBER, ZMEDIAITEM, ZFLAGS, ZSTARRED)
		VALUES(?,?,?,?,?,0,?,?,?,?,0,0)`)
	if err != nil {
		return nil, err
	}
	defer msg.Close()
	item, err := tx.Prepare(`INSERT INTO ZWAMEDIAITEM(Z_PK, ZMESSAGE, ZMEDIALOCALPATH, ZFILESIZE) VALUES(?,?,?,?)`)
	if err != nil {
		return nil, err
	}
	defer item.Close()
	start := int64(1577836800 - appleEpoch) // 2020-01-01
	for i := 0; i < n; i++ {
		c := i % GenerateChats
		pk := int64(i) + 1
		fromMe := i % 3
		var member, mediaPK any
		if c%10 == 0 && fromMe != 0 {
			member = int64(c*3 + i%3 + 1)
		}
		typ, text := 0, any(fmt.Sprintf("message %d in chat %d, see you tomorrow at the station", i, c))
		if i%20 == 7 {
			typ, text = 1, nil
			p := fmt.Sprintf("Media/%s/%x/%x/%d.jpg", jid(c), i%16, (i/16)%16, pk)
			if _, err := item.Exec(pk, pk, p, 16384); err != nil {
				return nil, err
			}
			mediaPK = pk
			media = append(media, "Message/"+p)
		}
		if _, err := msg.Exec(pk, c+1, b2i(fromMe == 0), float64(start+int64(i)*60), typ, text, fmt.Sprintf("ST%010d", i), member, mediaPK); err != nil {
			return nil, err
		}
	}
	return media, tx.Commit()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
