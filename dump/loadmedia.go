package dump

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/chatvault/chatvault/archive"
)

// A full restore brings every media file of the dump back, folder by folder in the order they
// are stored, on the archive's media workers (archive.MediaLoad) while the messages load on this
// goroutine and the archive's writer. Attachments keep their file names meanwhile; once both are
// done, those whose file did not come are detached and say why.

// mediaFeed lists the dump's media folders on a goroutine of its own and hands each file to the
// load.
type mediaFeed struct {
	ml       *archive.MediaLoad
	done     chan struct{}
	problems []string // listing errors, read once done is closed
	err      error    // the load stopped (an error of the archive's side, or a rollback)
}

func startMediaFeed(ctx context.Context, src Source, lister Lister, ml *archive.MediaLoad) *mediaFeed {
	f := &mediaFeed{ml: ml, done: make(chan struct{})}
	go func() {
		defer close(f.done)
		f.err = f.run(ctx, src, lister)
	}()
	return f
}

func (f *mediaFeed) run(ctx context.Context, src Source, lister Lister) error {
	prefixes, err := lister.List(ctx, "media")
	if errors.Is(err, fs.ErrNotExist) {
		return nil // a dump without media
	}
	if err != nil {
		f.problems = append(f.problems, fmt.Sprintf("media: %v", err))
		return ctx.Err()
	}
	for _, p := range prefixes {
		names, err := lister.List(ctx, "media/"+p)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			f.problems = append(f.problems, fmt.Sprintf("media/%s: %v", p, err))
			continue
		}
		for _, sha := range names {
			if !archive.ValidSHA256(sha) {
				continue
			}
			if err := f.ml.Add(sha, func() (io.ReadCloser, error) { return src.Open(ctx, mediaPath(sha)) }); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f *mediaFeed) wait() { <-f.done }

// finishMedia waits for the media, reports the files that did not come, and detaches the
// attachments whose file the archive does not have.
func (l *loader) finishMedia() error {
	l.bulk.wait()
	if l.bulk.err != nil {
		return l.bulk.err
	}
	l.rep.Problems = append(l.rep.Problems, l.bulk.problems...)
	res, err := l.bulk.ml.Finish()
	if err != nil {
		return err
	}
	l.rep.MediaFiles, l.rep.MediaBytes = res.Files, res.Bytes
	for _, f := range res.Failures {
		switch {
		case f.Got != "":
			l.problem("media file %s is damaged in the backup (its content has digest %s)", f.SHA256, f.Got)
		case errors.Is(f.Err, fs.ErrNotExist):
			l.media[f.SHA256] = "not in backup"
			continue
		default:
			l.problem("media file %s: %v", f.SHA256, f.Err)
		}
		l.media[f.SHA256] = "damaged in backup"
	}
	n, err := l.im.DetachMissingMedia(func(sha string) string {
		if why, ok := l.media[sha]; ok {
			return why
		}
		return "not in backup"
	})
	l.rep.MediaMissing += n
	return err
}
