package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// A restore brings back thousands of media files whose names (their SHA-256) it knows before it
// reads them. LoadMedia copies them on workers while the import goes on writing messages: each
// file goes straight into a fan-out folder of the staging area under its own name (no temporary
// name and no rename of its own), hashed as it streams; a file whose bytes have another digest
// is dropped and reported by name. At commit a fan-out folder the store does not have yet is
// published with one rename for all its files (publish).

// MediaLoad is a batch of media files being copied into the store by name.
type MediaLoad struct {
	im      *Import
	dir     string // <staging>/bulk: files are at <dir>/<aa>/<sha>
	fresh   bool   // the archive held no media when the load began: nothing to look for first
	ctx     context.Context
	cancel  context.CancelFunc
	jobs    chan mediaJob
	workers sync.WaitGroup

	mu       sync.Mutex
	made     map[string]bool // fan-out folders created under dir
	loaded   []loadedMedia
	failures []MediaFailure
	fatal    error // the first failure of the archive's side (disk full): it stops the load
	finished bool
}

type mediaJob struct {
	sha  string
	open func() (io.ReadCloser, error)
}

type loadedMedia struct {
	sha    string
	size   int64
	staged bool // false: the store has the file already
}

// MediaFailure is a file a MediaLoad could not bring in because of its source: it could not be
// opened or read (Err), or its bytes have another digest than its name (Got).
type MediaFailure struct {
	SHA256 string
	Got    string // the digest the bytes have, when they were read whole
	Err    error
}

// LoadMedia starts copying media files by name into the store on a few workers. Add names the
// files (from one goroutine, each name once); Finish, on the import's goroutine, waits for them
// and records them in the import. Commit publishes them, Rollback removes them.
func (im *Import) LoadMedia() (*MediaLoad, error) {
	if im.bulk != nil {
		return nil, errors.New("a media load is already running")
	}
	stage, err := im.a.media.staging()
	if err != nil {
		return nil, fmt.Errorf("store media: %w", err)
	}
	var any int
	err = im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM (SELECT 1 FROM media LIMIT 1)`).Scan(&any)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(im.ctx)
	ml := &MediaLoad{im: im, dir: filepath.Join(stage, "bulk"), fresh: any == 0, ctx: ctx, cancel: cancel,
		jobs: make(chan mediaJob, mediaWorkers), made: map[string]bool{}}
	if err := os.MkdirAll(ml.dir, 0o700); err != nil {
		cancel()
		return nil, fmt.Errorf("store media: %w", err)
	}
	for range mediaWorkers {
		ml.workers.Add(1)
		go ml.work()
	}
	im.bulk = ml
	return ml, nil
}

// Add queues a file: sha is its name, open gives its bytes. It waits while every worker is busy
// and fails once the load has stopped (an error of the archive's side, or a rollback).
func (ml *MediaLoad) Add(sha string, open func() (io.ReadCloser, error)) error {
	if !ValidSHA256(sha) {
		return fmt.Errorf("invalid media name %q", sha)
	}
	select {
	case ml.jobs <- mediaJob{sha: sha, open: open}:
		return nil
	case <-ml.ctx.Done():
		ml.mu.Lock()
		defer ml.mu.Unlock()
		if ml.fatal != nil {
			return ml.fatal
		}
		return ml.ctx.Err()
	}
}

func (ml *MediaLoad) work() {
	defer ml.workers.Done()
	for {
		var j mediaJob
		var ok bool
		select {
		case j, ok = <-ml.jobs:
		case <-ml.ctx.Done():
			return
		}
		if !ok {
			return
		}
		lm, fail, err := ml.fetch(j)
		ml.mu.Lock()
		switch {
		case err != nil:
			if ml.fatal == nil {
				ml.fatal = err
				ml.cancel()
			}
		case fail != nil:
			ml.failures = append(ml.failures, *fail)
		default:
			ml.loaded = append(ml.loaded, lm)
		}
		ml.mu.Unlock()
	}
}

// sourceError marks a failure to read a file from its source, as opposed to writing it here.
type sourceError struct{ err error }

func (e sourceError) Error() string { return e.err.Error() }
func (e sourceError) Unwrap() error { return e.err }

type sourceReader struct{ r io.Reader }

func (s sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		err = sourceError{err}
	}
	return n, err
}

// fetch copies one file to <dir>/<aa>/<sha>. A failure of the source is a MediaFailure; any
// other error (the archive's disk) is returned.
func (ml *MediaLoad) fetch(j mediaJob) (loadedMedia, *MediaFailure, error) {
	store := ml.im.a.media
	if !ml.fresh {
		if fi, err := os.Stat(store.path(j.sha)); err == nil {
			return loadedMedia{sha: j.sha, size: fi.Size()}, nil, nil
		}
	}
	r, err := j.open()
	if err != nil {
		return loadedMedia{}, &MediaFailure{SHA256: j.sha, Err: err}, nil
	}
	defer r.Close()
	dir, err := ml.fanOut(j.sha[:2])
	if err != nil {
		return loadedMedia{}, nil, err
	}
	p := filepath.Join(dir, j.sha)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return loadedMedia{}, nil, fmt.Errorf("store media: %w", err)
	}
	h := sha256.New()
	size, err := copyHashing(f, h, sourceReader{r}, 0)
	if err == nil {
		if err = syncFile(f); err != nil {
			err = fmt.Errorf("store media: %w", err)
		}
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("store media: %w", cerr)
	}
	var got string
	if err == nil {
		if got = hex.EncodeToString(h.Sum(nil)); got != j.sha {
			os.Remove(p)
			return loadedMedia{}, &MediaFailure{SHA256: j.sha, Got: got}, nil
		}
		return loadedMedia{sha: j.sha, size: size, staged: true}, nil, nil
	}
	os.Remove(p)
	if se := (sourceError{}); errors.As(err, &se) {
		return loadedMedia{}, &MediaFailure{SHA256: j.sha, Err: se.err}, nil
	}
	return loadedMedia{}, nil, err
}

func (ml *MediaLoad) fanOut(aa string) (string, error) {
	dir := filepath.Join(ml.dir, aa)
	ml.mu.Lock()
	defer ml.mu.Unlock()
	if !ml.made[aa] {
		if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
			return "", fmt.Errorf("store media: %w", err)
		}
		ml.made[aa] = true
	}
	return dir, nil
}

// mediaRowsPerInsert media rows go into one INSERT.
const mediaRowsPerInsert = 100

// MediaLoadResult says what a MediaLoad brought in.
type MediaLoadResult struct {
	Files    int   // files the archive did not have before
	Bytes    int64 // their size
	Failures []MediaFailure
}

// Finish waits for the files added, records them in the import (Commit publishes them) and
// reports the files the source failed to give, by name. An error of the archive's side fails it.
// The caller must have stopped calling Add.
func (ml *MediaLoad) Finish() (MediaLoadResult, error) {
	var res MediaLoadResult
	im := ml.im
	if ml.finished {
		return res, errors.New("media load already finished")
	}
	ml.finished = true
	close(ml.jobs)
	ml.workers.Wait()
	ml.cancel()
	if ml.fatal != nil {
		return res, ml.fatal
	}
	if err := im.ctx.Err(); err != nil {
		return res, err
	}
	loaded := ml.loaded
	ml.loaded = nil
	for i := 0; i < len(loaded); i += mediaRowsPerInsert {
		batch := loaded[i:min(i+mediaRowsPerInsert, len(loaded))]
		args := make([]any, 0, 2*len(batch))
		for _, lm := range batch {
			args = append(args, lm.sha, lm.size)
			if lm.staged {
				im.staged = append(im.staged, staged{sha: lm.sha, tmp: filepath.Join(ml.dir, lm.sha[:2], lm.sha), bulk: true})
			}
		}
		q := `INSERT INTO media(sha256, size, mime) VALUES ` + strings.TrimSuffix(strings.Repeat(`(?,?,''),`, len(batch)), ",") +
			` ON CONFLICT DO NOTHING RETURNING size`
		rows, err := im.tx.QueryContext(im.ctx, q, args...)
		if err != nil {
			return res, err
		}
		for rows.Next() {
			var size int64
			if err := rows.Scan(&size); err != nil {
				rows.Close()
				return res, err
			}
			res.Files++
			res.Bytes += size
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return res, err
		}
	}
	im.report.MediaAdded += res.Files
	im.report.MediaBytesAdded += res.Bytes
	res.Failures = ml.failures
	sort.Slice(res.Failures, func(i, j int) bool { return res.Failures[i].SHA256 < res.Failures[j].SHA256 })
	return res, nil
}

// abort stops the workers of a load that will not finish and removes what they copied.
func (ml *MediaLoad) abort() {
	ml.cancel()
	ml.workers.Wait()
	if !ml.finished {
		ml.finished = true
		os.RemoveAll(ml.dir)
	}
}

// DetachMissingMedia ends a restore that brought its media in with LoadMedia: each attachment this
// import added whose file the archive does not have (the backup left it out, or held it damaged)
// loses its file reference, and its details say why (why(sha)). It returns how many it changed.
func (im *Import) DetachMissingMedia(why func(sha string) string) (int, error) {
	if err := im.flush(); err != nil {
		return 0, err
	}
	type row struct {
		id           int64
		sha, details string
	}
	var missing []row
	rows, err := im.tx.QueryContext(im.ctx, `SELECT a.id, a.sha256, a.details FROM attachments a
		WHERE a.message_id > ? AND a.sha256 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM media m WHERE m.sha256 = a.sha256)`, im.firstID)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.sha, &r.details); err != nil {
			rows.Close()
			return 0, err
		}
		missing = append(missing, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, r := range missing {
		d := &Details{}
		if r.details != "" {
			if err := json.Unmarshal([]byte(r.details), d); err != nil {
				return 0, fmt.Errorf("attachment %d: details: %w", r.id, err)
			}
		}
		d.Missing = why(r.sha)
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE attachments SET sha256 = NULL, details = ? WHERE id = ?`, detailsJSON(d), r.id); err != nil {
			return 0, err
		}
	}
	im.report.MediaMissing += len(missing)
	return len(missing), nil
}
