package wadb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/chatvault/chatvault/archive"
	"github.com/chatvault/chatvault/importer"
	"github.com/chatvault/chatvault/internal/sqlitefs"
)

// iPhone importer identity.
const (
	IOSName    = "whatsapp-ios-db"
	IOSVersion = "1"
)

// appleEpoch is 2001-01-01 UTC in Unix seconds: Core Data dates count from it (§6).
const appleEpoch = 978307200

type iosImporter struct{}

func init() { importer.Register(iosImporter{}) }

func (iosImporter) Name() string    { return IOSName }
func (iosImporter) Version() string { return IOSVersion }
func (iosImporter) Rank() int       { return archive.RankDatabase }
func (iosImporter) Describe() string {
	return "WhatsApp for iPhone's ChatStorage.sqlite, or the app group folder holding it (with ContactsV2.sqlite, CallHistory.sqlite, LID.sqlite and Message/Media)"
}

// iosFiles locates ChatStorage.sqlite: the file itself, or in the app group folder.
func iosFiles(src importer.Source) (db, dir string, ok bool) {
	st, err := src.Stat()
	if err != nil {
		return "", "", false
	}
	if !st.IsDir() {
		return src.Path, path.Dir(src.Path), true
	}
	p := join(src.Path, "ChatStorage.sqlite")
	if st, err := src.FS.Open(p); err == nil {
		st.Close()
		return p, src.Path, true
	}
	return "", "", false
}

func (iosImporter) Detect(src importer.Source) int {
	db, _, ok := iosFiles(src)
	if !ok {
		return 0
	}
	if sqliteWith(src.FS, db, "ZWAMESSAGE") {
		return 90
	}
	if path.Base(db) == "ChatStorage.sqlite" && sqliteWith(src.FS, db) {
		return 60
	}
	return 0
}

func (iosImporter) Import(ctx context.Context, src importer.Source, im *archive.Import, opts importer.Options) error {
	name, dir, ok := iosFiles(src)
	where := src.String()
	if !ok {
		return importer.Bad(where, "no ChatStorage.sqlite here (give the file or the WhatsApp app group folder holding it)")
	}
	db, err := sqlitefs.Open(src.FS, name)
	if err != nil {
		return importer.Bad(where, "not a readable SQLite database: %v", err)
	}
	defer db.Close()
	db.ExecContext(ctx, `PRAGMA temp_store = MEMORY`) // see the Android importer
	s, err := newSchema(db)
	if err != nil {
		return importer.Bad(where, "not a readable SQLite database: %v", err)
	}
	if !s.hasCols("zwamessage", "z_pk", "zchatsession") || !s.hasCols("zwachatsession", "z_pk", "zcontactjid") {
		return importer.Bad(where, "a SQLite database without WhatsApp's ZWAMESSAGE and ZWACHATSESSION tables: not a ChatStorage.sqlite")
	}
	sk := newSink(im, opts, where)
	if isDir(src.FS, join(dir, "Message")) {
		sk.mediaFS, sk.mediaRoot = src.FS, join(dir, "Message")
	} else {
		sk.mediaWhy = "the app group folder with Message/Media was not given, only the database"
	}
	r := &iosReader{ctx: ctx, s: s, sk: sk, where: where}
	r.names(src, dir)
	r.lids(src, dir)
	r.loadCalls(src, dir)
	if err := r.run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var se *importer.SourceError
		if errors.As(err, &se) {
			return err
		}
		return importer.Bad(where, "%v", err)
	}
	return nil
}

type iosReader struct {
	ctx   context.Context
	s     *schema
	sk    *sink
	where string

	chats   map[int64]*chat
	members map[int64]string // ZWAGROUPMEMBER pk -> JID
	status  int
	unknown int

	calls     map[string][]*iosCall // call log entries by chat JID (callKey)
	callsLost int                   // call log entries that name no chat, or past maxCalls
	receipts  receiptCounts
}

// names: ContactsV2.sqlite (address book) beside ChatStorage, then push names.
func (r *iosReader) names(src importer.Source, dir string) {
	if p := join(dir, "ContactsV2.sqlite"); sqliteWith(src.FS, p) {
		if db, err := sqlitefs.Open(src.FS, p); err == nil {
			defer db.Close()
			if sc, err := newSchema(db); err == nil && sc.hasCols("zwaaddressbookcontact", "zwhatsappid") {
				c := &cols{}
				c.from(sc.columns("zwaaddressbookcontact"), "a", "zwhatsappid", "zlid", "zfullname", "zgivenname", "zbusinessname")
				rows, err := db.QueryContext(r.ctx, "SELECT "+c.list()+" FROM zwaaddressbookcontact a")
				if err == nil {
					row := newRow(c)
					for rows.Next() && len(r.sk.names) < 1<<20 {
						if rows.Scan(row.ptrs()...) != nil {
							continue
						}
						n := firstNonEmpty(firstNonEmpty(row.str("a_zfullname"), row.str("a_zgivenname")), row.str("a_zbusinessname"))
						if n == "" {
							continue
						}
						r.sk.addLID(row.str("a_zlid"), row.str("a_zwhatsappid"))
						for _, j := range []string{row.str("a_zwhatsappid"), row.str("a_zlid")} {
							if j != "" {
								r.sk.names[bareJID(j)] = clipName(n)
							}
						}
					}
					rows.Close()
				}
			}
		}
	}
	if r.s.hasCols("zwaprofilepushname", "zjid", "zpushname") {
		rows, err := r.s.db.QueryContext(r.ctx, `SELECT ZJID, ZPUSHNAME FROM ZWAPROFILEPUSHNAME`)
		if err == nil {
			for rows.Next() && len(r.sk.names) < 1<<20 {
				var j, n any
				if rows.Scan(&j, &n) == nil {
					if jid := bareJID(asString(j)); jid != "" && asString(n) != "" && r.sk.names[jid] == "" {
						r.sk.names[jid] = clipName(asString(n))
					}
				}
			}
			rows.Close()
		}
	}
}

func (r *iosReader) run() error {
	r.chats, r.members = map[int64]*chat{}, map[int64]string{}
	c := &cols{}
	c.from(r.s.columns("zwachatsession"), "c", "z_pk", "zcontactjid", "zpartnername", "zsessiontype")
	err := eachRow(r.ctx, r.s, "SELECT "+c.list()+" FROM ZWACHATSESSION c", c, func(row *row) error {
		r.chats[row.int("c_z_pk")] = &chat{jid: bareJID(row.str("c_zcontactjid")), title: row.str("c_zpartnername")}
		return nil
	})
	if err != nil {
		return fmt.Errorf("table ZWACHATSESSION: %w", err)
	}
	if r.s.hasCols("zwagroupmember", "z_pk", "zmemberjid") {
		g := &cols{}
		g.from(r.s.columns("zwagroupmember"), "g", "z_pk", "zmemberjid", "zchatsession")
		err := eachRow(r.ctx, r.s, "SELECT "+g.list()+" FROM ZWAGROUPMEMBER g", g, func(row *row) error {
			jid := bareJID(row.str("g_zmemberjid"))
			r.members[row.int("g_z_pk")] = jid
			if ch := r.chats[row.int("g_zchatsession")]; ch != nil && jid != "" && !isStatus(ch.jid) {
				conv, err := r.sk.conversation(ch)
				if err != nil {
					return err
				}
				pid, err := r.sk.person(jid)
				if err != nil {
					return err
				}
				return r.sk.member(conv, pid)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("table ZWAGROUPMEMBER: %w", err)
		}
	}
	q := &cols{}
	q.from(r.s.columns("zwamessage"), "m", "z_pk", "zchatsession", "zisfromme", "zmessagedate", "zmessagetype", "zgroupeventtype",
		"ztext", "zstanzaid", "zfromjid", "ztojid", "zgroupmember", "zmessagestatus", "zstarred", "zflags", "zmediaitem")
	from := "ZWAMESSAGE m"
	mc := r.s.columns("zwamediaitem")
	switch {
	case r.s.hasCols("zwamediaitem", "z_pk") && r.s.columns("zwamessage")["zmediaitem"]:
		from += " LEFT JOIN ZWAMEDIAITEM i ON i.Z_PK = m.ZMEDIAITEM"
	case r.s.hasCols("zwamediaitem", "zmessage"):
		from += " LEFT JOIN ZWAMEDIAITEM i ON i.ZMESSAGE = m.Z_PK"
	default:
		mc = map[string]bool{}
	}
	q.from(mc, "i", "zmedialocalpath", "zfilesize", "zmovieduration", "zlatitude", "zlongitude", "ztitle", "zvcardname", "zvcardstring", "zmetadata")
	// Reactions and polls are in the message's ZWAMESSAGEINFO row (ZWAMESSAGE.ZMESSAGEINFO, or
	// its back-link ZMESSAGE).
	switch {
	case r.s.hasCols("zwamessageinfo", "z_pk", "zreceiptinfo") && r.s.columns("zwamessage")["zmessageinfo"]:
		q.add("mi.ZRECEIPTINFO", "mi_zreceiptinfo", true)
		from += " LEFT JOIN ZWAMESSAGEINFO mi ON mi.Z_PK = m.ZMESSAGEINFO"
	case r.s.hasCols("zwamessageinfo", "zmessage", "zreceiptinfo"):
		// A join, not a subquery per message: without an index on ZMESSAGE (Core Data makes one,
		// trimmed copies lack it) the subquery scanned the whole table for every message, while
		// the join gets an automatic index. A message's second info row, if any, is skipped below.
		q.add("mi.ZRECEIPTINFO", "mi_zreceiptinfo", true)
		from += " LEFT JOIN ZWAMESSAGEINFO mi ON mi.ZMESSAGE = m.Z_PK"
	default:
		q.add("", "mi_zreceiptinfo", false)
	}
	var total any
	r.s.db.QueryRowContext(r.ctx, `SELECT max(Z_PK) FROM ZWAMESSAGE`).Scan(&total)
	n, last := 0, int64(-1)
	err = eachRow(r.ctx, r.s, "SELECT "+q.list()+" FROM "+from+" ORDER BY m.Z_PK", q, func(row *row) error {
		pk := row.int("m_z_pk")
		if pk == last {
			return nil // a join's second row for the same message: its first is the one read
		}
		last = pk
		if n++; n%1024 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
			if r.sk.opts.Progress != nil {
				r.sk.opts.Progress(row.int("m_z_pk"), asInt(total))
			}
		}
		return r.message(row)
	})
	if err != nil {
		return fmt.Errorf("table ZWAMESSAGE: %w", err)
	}
	if err := r.logCalls(); err != nil {
		return err
	}
	r.receipts.note(r.sk.im)
	if r.sk.opts.Progress != nil {
		r.sk.opts.Progress(asInt(total), asInt(total))
	}
	if r.status > 0 {
		r.sk.im.Note(fmt.Sprintf("%d status updates (the stories feed) are not a chat: skipped", r.status))
	}
	if r.unknown > 0 {
		r.sk.im.Note(fmt.Sprintf("%d messages of unknown type kept as system messages with their raw rows", r.unknown))
	}
	r.sk.noteMissing()
	return nil
}

func eachRow(ctx context.Context, s *schema, q string, c *cols, fn func(*row) error) error {
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	row := newRow(c)
	for rows.Next() {
		if err := rows.Scan(row.ptrs()...); err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// iosKind maps ZMESSAGETYPE (§6; IPED, amberkeep): iOS codes differ from Android's.
func iosKind(code int64) (k archive.Kind, viewOnce, ok bool) {
	switch code {
	case 0, 7, 12:
		return archive.KindText, false, true
	case 1:
		return archive.KindPhoto, false, true
	case 2, 54:
		return archive.KindVideo, false, true
	case 3:
		return archive.KindVoice, false, true
	case 4:
		return archive.KindContact, false, true
	case 5:
		return archive.KindLocation, false, true
	case 6, 10:
		return archive.KindSystem, false, true
	case 8:
		return archive.KindDocument, false, true
	case 11:
		return archive.KindGIF, false, true
	case 14:
		return archive.KindDeleted, false, true
	case 15:
		return archive.KindSticker, false, true
	case 38:
		return archive.KindPhoto, true, true
	case 39:
		return archive.KindVideo, true, true
	case 46:
		return archive.KindPoll, false, true
	case 53:
		return archive.KindVoice, true, true
	case 59:
		return archive.KindCall, false, true
	case 66:
		return archive.KindSystem, false, true // album container
	}
	return archive.KindSystem, false, false
}

func iosGroupEvent(code int64) string {
	switch code {
	case 1:
		return "subject_changed"
	case 2, 50:
		return "member_added"
	case 3:
		return "member_left"
	case 4:
		return "photo_changed"
	case 7:
		return "member_removed"
	case 12:
		return "group_created"
	case 15:
		return "joined_via_link"
	case 17:
		return "description_changed"
	case 26:
		return "disappearing_messages"
	}
	return "group_event_" + strconv.FormatInt(code, 10)
}

func appleTime(v float64) time.Time {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e11 {
		return time.Unix(appleEpoch, 0).UTC()
	}
	return time.UnixMilli(int64((v + appleEpoch) * 1000)).UTC()
}

func (r *iosReader) message(row *row) error {
	ch := r.chats[row.int("m_zchatsession")]
	pk := row.int("m_z_pk")
	pos := "ZWAMESSAGE row " + strconv.FormatInt(pk, 10)
	if ch == nil {
		ch = &chat{jid: "chat-" + strconv.FormatInt(row.int("m_zchatsession"), 10) + "@deleted", title: "deleted chat"}
		r.chats[row.int("m_zchatsession")] = ch
	}
	if isStatus(ch.jid) {
		r.status++
		return nil
	}
	sk := r.sk
	convID, err := sk.conversation(ch)
	if err != nil {
		return err
	}
	code := row.int("m_zmessagetype")
	kind, viewOnce, known := iosKind(code)
	fromMe := row.int("m_zisfromme") == 1
	m := &archive.Message{ConversationID: convID, Kind: kind, FromMe: fromMe, Time: appleTime(row.float("m_zmessagedate")),
		Text: row.str("m_ztext"), SrcPos: pos, Raw: rawJSON(row)}
	if !known {
		r.unknown++
		sk.im.WarnAt(r.where, pos, "message type %d is not known: kept as a system message with its raw row", code)
	}
	if viewOnce {
		m.Flags |= archive.FlagViewOnce
	}
	if row.int("m_zflags")&(1<<7) != 0 {
		m.Flags |= archive.FlagForwarded
	}
	if row.int("m_zstarred") != 0 {
		m.Flags |= archive.FlagStarred
	}
	group := chatKind(ch.jid) == archive.ConvGroup
	switch {
	case fromMe:
		m.SenderID, err = sk.owner()
	case group && r.members[row.int("m_zgroupmember")] != "":
		m.SenderID, err = sk.person(r.members[row.int("m_zgroupmember")])
	case !group && kind != archive.KindSystem:
		m.SenderID, err = sk.person(ch.jid)
	}
	if err != nil {
		return err
	}
	d := &archive.Details{}
	mediaPath := row.str("i_zmedialocalpath")
	switch kind {
	case archive.KindPhoto, archive.KindVideo, archive.KindVoice, archive.KindDocument, archive.KindSticker, archive.KindGIF:
		var ad *archive.Details
		if dur := row.float("i_zmovieduration"); dur > 0 && dur < 1e7 {
			ad = &archive.Details{DurationMS: int64(dur * 1000)}
			d.DurationMS = ad.DurationMS
		}
		att, err := sk.attachment(kind, mediaPath, row.str("i_zvcardstring"), row.int("i_zfilesize"), ad)
		if err != nil {
			return err
		}
		if kind == archive.KindDocument && row.str("i_ztitle") != "" {
			att.FileName = row.str("i_ztitle")
		}
		if !strings.Contains(att.MIME, "/") {
			att.MIME = ""
		}
		m.Attachments = []archive.Attachment{att}
	case archive.KindLocation:
		d.Location = &archive.Location{Name: row.str("i_ztitle")}
		d.Location.Lat, d.Location.Lon = archive.Coords(row.float("i_zlatitude"), row.float("i_zlongitude"))
	case archive.KindContact:
		v := row.str("i_zvcardstring")
		cards := strings.Split(v, "_$!<VCard-Separator>!$_")
		d.Contact = parseVCard(strings.Join(cards, "\n"))
		if d.Contact.Name == "" {
			d.Contact.Name = strings.ReplaceAll(row.str("i_zvcardname"), "_$!<Name-Separator>!$_", ", ")
		}
	case archive.KindDeleted:
		m.Flags |= archive.FlagDeleted
	case archive.KindSystem:
		ev := &archive.Event{Type: "notice_" + strconv.FormatInt(row.int("m_zgroupeventtype"), 10)}
		if code == 6 {
			ev.Type = iosGroupEvent(row.int("m_zgroupeventtype"))
		}
		if j := r.members[row.int("m_zgroupmember")]; j != "" {
			ev.Actor = j
		}
		d.Event = ev
	case archive.KindCall:
		d.Call = &archive.Call{}
		if c := r.matchCall(ch.jid, fromMe, m.Time); c != nil {
			// The call log's entry for this call message: its details, and its id as a second
			// key, so a backup that has only the log entry finds this message (and vice versa).
			call := c.call
			d.Call = &call
			m.Keys = append(m.Keys, "wa:call:"+c.id)
		}
	}
	if err := r.applyReceipt(m, d, row, pos); err != nil {
		return err
	}
	if q := quotedStanza(row.get("i_zmetadata")); q != "" {
		m.ReplyTo = "wa:" + q
	}
	if !d.IsEmpty() {
		m.Details = d
	}
	if id := row.str("m_zstanzaid"); id != "" {
		m.UID = "wa:" + id
	} else {
		h := sha256.Sum256([]byte(strconv.FormatInt(m.Time.UnixMilli(), 10) + "\x00" + row.str("m_zfromjid") + "\x00" + m.Text + "\x00" + strconv.FormatInt(pk, 10)))
		m.UID = "wa-row:" + hex.EncodeToString(h[:10])
	}
	return sk.im.AddMessage(m)
}

// quotedStanza reads the quoted message's id from ZWAMEDIAITEM.ZMETADATA, a protobuf whose
// field 5 is the quoted ZSTANZAID (§6, Knugi).
func quotedStanza(v any) string {
	b, ok := v.([]byte)
	if !ok || len(b) == 0 || len(b) > 1<<20 {
		return ""
	}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return ""
		}
		b = b[n:]
		if num == 5 && typ == protowire.BytesType {
			s, n := protowire.ConsumeBytes(b)
			if n < 0 || len(s) > 128 {
				return ""
			}
			return string(s)
		}
		n = protowire.ConsumeFieldValue(num, typ, b)
		if n < 0 {
			return ""
		}
		b = b[n:]
	}
	return ""
}
