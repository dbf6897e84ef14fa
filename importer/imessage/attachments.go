package imessage

import (
	"database/sql"
	"errors"
	"io"
	"io/fs"
	"mime"
	"path"
	"strconv"
	"strings"

	"github.com/chatvault/chatvault/archive"
)

// attRow is a row of the attachment table.
type attRow struct {
	rowid                     int64
	filename, mime, name, uti string
	size                      int64
	sticker                   bool
}

// stagedAtt is an attachment whose file is being copied into the archive ahead.
type stagedAtt struct {
	row     attRow
	pending *archive.PendingMedia // nil when the file is not there
	missing string
	loc     *archive.Location
}

func (r *reader) loadAttachments() error {
	r.atts = map[int64][]attRow{}
	if !r.tables["attachment"] || !r.tables["message_attachment_join"] {
		return nil
	}
	cols, err := r.db.Columns("attachment")
	if err != nil {
		return r.bad("attachment table: %s", err)
	}
	q := `SELECT j.message_id, a.ROWID, ` + pick(cols, "filename", "mime_type", "transfer_name", "uti", "total_bytes", "is_sticker") +
		` FROM message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id ORDER BY j.message_id, a.ROWID`
	rows, err := r.db.QueryContext(r.ctx, q)
	if err != nil {
		return r.bad("attachment table: %s", err)
	}
	defer rows.Close()
	for rows.Next() {
		var msgID, id int64
		var fn, mt, tn, uti sql.NullString
		var size, sticker sql.NullInt64
		if err := rows.Scan(&msgID, &id, &fn, &mt, &tn, &uti, &size, &sticker); err != nil {
			return r.bad("attachment table: %s", err)
		}
		r.atts[msgID] = append(r.atts[msgID], attRow{rowid: id, filename: fn.String, mime: mt.String, name: tn.String,
			uti: uti.String, size: size.Int64, sticker: sticker.Int64 != 0})
	}
	return rows.Err()
}

// homeOf is the folder, in the source's file system, that "~" stands for in attachment
// paths: the one holding Library/SMS/sms.db (iPhone) or Library/Messages/chat.db (Mac).
// "" when the database is not at such a path.
func homeOf(dbPath string) string {
	for _, marker := range []string{"Library/SMS/", "Library/Messages/"} {
		if dbPath == marker[:len(marker)-1] {
			continue
		}
		if i := strings.LastIndex(dbPath, marker); i >= 0 && (i == 0 || dbPath[i-1] == '/') {
			if i == 0 {
				return "."
			}
			return dbPath[:i-1]
		}
	}
	return ""
}

// attachmentPath maps an attachment.filename ("~/Library/SMS/Attachments/ab/11/<guid>/x.jpg",
// or an absolute "/Users/<name>/Library/Messages/Attachments/..." on a Mac,
// "/var/mobile/Library/SMS/..." in old iPhone databases) to a path in the source's file
// system: under the home folder, or, for a database not at its usual path, beside it.
func (r *reader) attachmentPath(filename string) (string, bool) {
	rel, ok := strings.CutPrefix(filename, "~/")
	if !ok {
		i := strings.Index(filename, "/Library/")
		if i < 0 {
			return "", false
		}
		rel = filename[i+1:]
	}
	var p string
	switch {
	case r.home != "":
		p = path.Join(r.home, rel)
	default:
		for _, pre := range []string{"Library/SMS/", "Library/Messages/"} {
			if s, ok := strings.CutPrefix(rel, pre); ok {
				p = path.Join(path.Dir(r.src.Path), s)
			}
		}
	}
	if p == "" || !fs.ValidPath(p) {
		return "", false
	}
	return p, true
}

// stageAttachments starts copying a message's files into the archive.
func (r *reader) stageAttachments(rowid, conv int64, uid string) ([]stagedAtt, error) {
	rows := r.atts[rowid]
	if len(rows) == 0 {
		return nil, nil
	}
	// A message the archive holds with all its files (the same backup imported again) would
	// not take new ones: its files are not read again.
	known, err := r.im.StoredWithFiles(conv, uid, len(rows))
	if err != nil {
		return nil, err
	}
	out := make([]stagedAtt, 0, len(rows))
	for _, a := range rows {
		s := stagedAtt{row: a}
		if known {
			s.missing = "already in the archive"
			out = append(out, s)
			continue
		}
		p, ok := r.attachmentPath(a.filename)
		var st fs.FileInfo
		var err error
		if ok {
			st, err = fs.Stat(r.src.FS, p)
		}
		switch {
		case a.filename == "":
			s.missing = "no file name in the database"
		case !ok:
			s.missing = "file path not understood: " + a.filename
		case errors.Is(err, fs.ErrNotExist):
			s.missing = "not in backup"
		case err != nil:
			s.missing = "cannot read: " + err.Error()
		case !st.Mode().IsRegular():
			s.missing = "not a regular file"
		default:
			if strings.HasSuffix(strings.ToLower(a.filename), ".loc.vcf") {
				s.loc = r.readLocation(p)
			}
			fsys := r.src.FS
			s.pending = r.im.StageMedia(func() (io.ReadCloser, error) { return fsys.Open(p) }, r.opts.MaxMediaBytes)
		}
		out = append(out, s)
	}
	return out, nil
}

// finishAttachment waits for a staged file and describes the attachment.
func (r *reader) finishAttachment(s stagedAtt) (archive.Attachment, error) {
	a := archive.Attachment{FileName: s.row.name, MIME: s.row.mime, Size: s.row.size}
	if a.FileName == "" {
		a.FileName = path.Base(s.row.filename)
	}
	if a.MIME == "" {
		a.MIME = mime.TypeByExtension(path.Ext(a.FileName))
	}
	a.Kind = kindOf(a.MIME, a.FileName, s.row.sticker)
	if s.loc != nil {
		a.Kind = archive.KindLocation
		a.Details = &archive.Details{Location: s.loc}
	}
	if s.pending == nil {
		if a.Details == nil {
			a.Details = &archive.Details{}
		}
		a.Details.Missing = s.missing
		return a, nil
	}
	sha, size, err := r.im.AddMedia(s.pending, a.MIME)
	if err != nil {
		if r.ctx.Err() != nil {
			return a, r.ctx.Err()
		}
		r.im.WarnAt(r.src.String(), "attachment row "+strconv.FormatInt(s.row.rowid, 10), "file not copied: %v", err)
		if a.Details == nil {
			a.Details = &archive.Details{}
		}
		a.Details.Missing = "cannot read: " + err.Error()
		return a, nil
	}
	a.SHA256, a.Size = sha, size
	return a, nil
}

// kindOf maps an attachment's MIME type to a message kind.
func kindOf(mt, name string, sticker bool) archive.Kind {
	switch {
	case sticker:
		return archive.KindSticker
	case mt == "image/gif":
		return archive.KindGIF
	case strings.HasPrefix(mt, "image/"):
		return archive.KindPhoto
	case strings.HasPrefix(mt, "video/"):
		return archive.KindVideo
	case strings.HasPrefix(mt, "audio/"):
		return archive.KindAudio
	case mt == "text/vcard" || mt == "text/x-vcard" || strings.HasSuffix(strings.ToLower(name), ".vcf"):
		return archive.KindContact
	}
	return archive.KindDocument
}

// readLocation reads a shared location: Messages sends it as a vCard ("CL.loc.vcf",
// "Current Location.loc.vcf") whose URL is an Apple Maps link with ll=<lat>,<lon>
// (the comma escaped as "\," in vCard).
func (r *reader) readLocation(p string) *archive.Location {
	f, err := r.src.FS.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil
	}
	return parseLocVCard(string(b))
}

func parseLocVCard(s string) *archive.Location {
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		i := strings.Index(line, "http")
		if i < 0 || !strings.Contains(line, "ll=") {
			continue
		}
		u := strings.ReplaceAll(line[i:], `\,`, ",")
		ll := u[strings.Index(u, "ll=")+3:]
		if j := strings.IndexAny(ll, "&; "); j >= 0 {
			ll = ll[:j]
		}
		lat, lon, ok := strings.Cut(ll, ",")
		if !ok {
			continue
		}
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(lon, 64)
		if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 {
			continue
		}
		l := &archive.Location{URL: u}
		l.Lat, l.Lon = archive.Coords(la, lo)
		return l
	}
	return nil
}
