package wadb

import (
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
)

// LID.sqlite and CallHistory.sqlite as notes/whatsapp-databases.md §6 names their tables and
// columns ([S]: mvt for the LID pairs; Knugi and iLEAPP for the call log, whose joins agree:
// ZWACDCALLEVENT.Z1CALLEVENTS → ZWAAGGREGATECALLEVENT.Z_PK, and the aggregate's participants
// by ZWACDCALLEVENTPARTICIPANT.Z1PARTICIPANTS).
var (
	lidDDL  = []string{`CREATE TABLE ZWAPHONENUMBERLIDPAIR (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZTIMESTAMP TIMESTAMP, ZLID VARCHAR, ZPHONENUMBER VARCHAR)`}
	callDDL = []string{
		`CREATE TABLE ZWAAGGREGATECALLEVENT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZINCOMING INTEGER, ZMISSED INTEGER, ZVIDEO INTEGER, ZFIRSTDATE TIMESTAMP)`,
		`CREATE TABLE ZWACDCALLEVENT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZOUTCOME INTEGER, Z1CALLEVENTS INTEGER, ZBYTESRECEIVED INTEGER, ZBYTESSENT INTEGER, ZDATE TIMESTAMP, ZDURATION FLOAT, ZCALLIDSTRING VARCHAR, ZGROUPCALLCREATORUSERJIDSTRING VARCHAR, ZGROUPJIDSTRING VARCHAR)`,
		`CREATE TABLE ZWACDCALLEVENTPARTICIPANT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZOUTCOME INTEGER, Z1PARTICIPANTS INTEGER, ZJIDSTRING VARCHAR)`,
	}
)

func appleSecs(at time.Time) float64 { return float64(at.UnixMilli())/1000 - appleEpoch }

// setReceipt gives the message with stanza id its ZWAMESSAGEINFO row holding blob.
func setReceipt(t testing.TB, dir, stanza string, blob []byte) {
	db := openNew(t, filepath.Join(dir, "ChatStorage.sqlite"))
	defer db.Close()
	var pk int64
	if err := db.QueryRow(`SELECT Z_PK FROM ZWAMESSAGE WHERE ZSTANZAID = ?`, stanza).Scan(&pk); err != nil {
		t.Fatalf("message %s: %v", stanza, err)
	}
	res, err := db.Exec(`INSERT INTO ZWAMESSAGEINFO(ZMESSAGE, ZRECEIPTINFO) VALUES(?,?)`, pk, blob)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := res.LastInsertId()
	if _, err := db.Exec(`UPDATE ZWAMESSAGE SET ZMESSAGEINFO = ? WHERE Z_PK = ?`, info, pk); err != nil {
		t.Fatal(err)
	}
}

// writeLIDs writes LID.sqlite with the pairs lid → phone, as the app stores them (JIDs).
func writeLIDs(t testing.TB, dir string, pairs map[string]string) {
	db := openNew(t, filepath.Join(dir, "LID.sqlite"))
	defer db.Close()
	execAll(t, db, lidDDL...)
	for l, p := range pairs {
		if _, err := db.Exec(`INSERT INTO ZWAPHONENUMBERLIDPAIR(ZLID, ZPHONENUMBER, ZTIMESTAMP) VALUES(?,?,0)`, l, p); err != nil {
			t.Fatal(err)
		}
	}
}

// iosCallRow is one call of the generated call log: an aggregate with one event.
type iosCallRow struct {
	id, peer, group, creator string
	at                       time.Time
	dur                      float64
	outcome                  int
	incoming, video, missed  bool
}

func writeCallHistory(t testing.TB, dir string, calls []iosCallRow) {
	db := openNew(t, filepath.Join(dir, "CallHistory.sqlite"))
	defer db.Close()
	execAll(t, db, callDDL...)
	for _, c := range calls {
		res, err := db.Exec(`INSERT INTO ZWAAGGREGATECALLEVENT(ZINCOMING, ZMISSED, ZVIDEO, ZFIRSTDATE) VALUES(?,?,?,?)`, b2i(c.incoming), b2i(c.missed), b2i(c.video), appleSecs(c.at))
		if err != nil {
			t.Fatal(err)
		}
		agg, _ := res.LastInsertId()
		if _, err := db.Exec(`INSERT INTO ZWACDCALLEVENT(Z1CALLEVENTS, ZOUTCOME, ZDATE, ZDURATION, ZCALLIDSTRING, ZGROUPJIDSTRING, ZGROUPCALLCREATORUSERJIDSTRING, ZBYTESSENT, ZBYTESRECEIVED)
			VALUES(?,?,?,?,?,?,?,0,0)`, agg, c.outcome, appleSecs(c.at), c.dur, c.id, nilIfEmpty(c.group), nilIfEmpty(c.creator)); err != nil {
			t.Fatal(err)
		}
		if c.peer != "" {
			if _, err := db.Exec(`INSERT INTO ZWACDCALLEVENTPARTICIPANT(Z1PARTICIPANTS, ZOUTCOME, ZJIDSTRING) VALUES(?,?,?)`, agg, c.outcome, c.peer); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// pb builds protobuf messages for ZRECEIPTINFO blobs: fields given as number and value (a
// string or []byte is length-delimited, an int a varint).
func pb(fields ...any) []byte {
	var b []byte
	for i := 0; i+1 < len(fields); i += 2 {
		num := protowire.Number(fields[i].(int))
		switch v := fields[i+1].(type) {
		case string:
			b = protowire.AppendTag(b, num, protowire.BytesType)
			b = protowire.AppendString(b, v)
		case []byte:
			b = protowire.AppendTag(b, num, protowire.BytesType)
			b = protowire.AppendBytes(b, v)
		case int:
			b = protowire.AppendTag(b, num, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(v))
		case int64:
			b = protowire.AppendTag(b, num, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(v))
		}
	}
	return b
}
