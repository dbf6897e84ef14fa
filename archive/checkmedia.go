package archive

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// MissingFile is a media file the archive refers to that is not in media/.
type MissingFile struct {
	SHA256 string      `json:"sha256"`
	Size   int64       `json:"size"`
	In     []MissingIn `json:"in"` // the conversations whose messages lose it
}

// MissingIn is one conversation that loses a missing file.
type MissingIn struct {
	ConversationID int64  `json:"conversation_id"`
	Title          string `json:"title"`
	Messages       int    `json:"messages"`
	FirstTS        int64  `json:"first_ts"` // the earliest such message, Unix ms
}

// OrphanFile is a file under a content name that nothing in the archive refers to (a crash
// between a media file's rename and the commit, or a hand-copied file).
type OrphanFile struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
}

// checkMedia compares the files under root with what the archive refers to: its media table
// (every file it stored) and its attachments.
func checkMedia(ctx context.Context, db *sql.DB, root string, readMedia bool, h *Health) error {
	want, err := referencedMedia(ctx, db)
	if err != nil {
		return err
	}
	found := map[string]bool{}
	publishing := livingJournals(filepath.Join(root, ".tmp"))
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && os.IsNotExist(err) {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() {
			if d.Name() == ".tmp" {
				return filepath.SkipDir // private folders: see leftovers
			}
			return nil
		}
		name := d.Name()
		if !d.Type().IsRegular() || !ValidSHA256(name) || filepath.Base(filepath.Dir(p)) != name[:2] {
			return nil // not a name the store makes
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if _, ok := want[name]; !ok && !publishing[name] {
			h.Orphans = append(h.Orphans, OrphanFile{Path: p, Size: info.Size()})
			return nil
		}
		if publishing[name] {
			return nil // a living import's, committed in a moment
		}
		found[name] = true
		h.MediaFiles++
		if readMedia {
			sum, n, err := hashFile(p)
			h.MediaRead += n
			if err != nil || sum != name {
				h.Mismatched = append(h.Mismatched, p)
			}
		}
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	var missing []string
	for sha := range want {
		if !found[sha] {
			missing = append(missing, sha)
		}
	}
	sort.Strings(missing)
	for _, sha := range missing {
		mf := MissingFile{SHA256: sha, Size: want[sha]}
		if mf.In, err = whereAttached(ctx, db, sha); err != nil {
			return err
		}
		h.Missing = append(h.Missing, mf)
	}
	return nil
}

// referencedMedia is every media name the archive refers to, with its size when known.
func referencedMedia(ctx context.Context, db *sql.DB) (map[string]int64, error) {
	want := map[string]int64{}
	rows, err := db.QueryContext(ctx, `SELECT sha256, size FROM media UNION ALL
		SELECT DISTINCT sha256, size FROM attachments WHERE sha256 IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var sha string
		var size int64
		if err := rows.Scan(&sha, &size); err != nil {
			return nil, err
		}
		if _, ok := want[sha]; !ok {
			want[sha] = size
		}
	}
	return want, rows.Err()
}

func whereAttached(ctx context.Context, db *sql.DB, sha string) ([]MissingIn, error) {
	rows, err := db.QueryContext(ctx, `SELECT c.id, c.title, count(DISTINCT m.id), min(m.ts)
		FROM attachments a JOIN messages m ON m.id = a.message_id JOIN conversations c ON c.id = m.conversation_id
		WHERE a.sha256 = ? GROUP BY c.id ORDER BY c.title`, sha)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MissingIn
	for rows.Next() {
		var in MissingIn
		if err := rows.Scan(&in.ConversationID, &in.Title, &in.Messages, &in.FirstTS); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}
