package dump

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/chatvault/chatvault/archive"
)

// Source is where a dump is read from: a snapshot in a vault, or a folder.
type Source interface {
	// Open opens a file of the dump by its slash-separated path; a missing file is fs.ErrNotExist.
	Open(ctx context.Context, path string) (io.ReadCloser, error)
}

// Lister is a Source that can list a folder's names. A full restore uses it to bring the media
// back folder by folder, in the order they are stored, instead of looking each file up.
type Lister interface {
	List(ctx context.Context, dir string) ([]string, error)
}

// LoadOptions say what to restore.
type LoadOptions struct {
	// Include picks conversations; nil restores every one.
	Include func(ConversationEntry) bool
	// Description is recorded as the restore's source in the archive's import history.
	Description string
	// Progress, when set, is told how many messages have been read of how many.
	Progress func(done, total int64)
}

// LoadReport says what a restore did and what it found wrong.
type LoadReport struct {
	Manifest        *Manifest `json:"-"`
	Conversations   int       `json:"conversations"`
	MessagesRead    int       `json:"messages_read"`
	MessagesAdded   int       `json:"messages_added"`
	MessagesPresent int       `json:"messages_present"`
	MediaFiles      int       `json:"media_files"`
	MediaBytes      int64     `json:"media_bytes"`
	MediaMissing    int       `json:"media_missing"` // attachments whose file the backup does not hold
	// Problems lists damage found while reading: a file that could not be read or whose digest
	// does not match the manifest. Empty means everything checked out.
	Problems []string `json:"problems"`
}

// ErrNewerFormat means the dump was written by a newer chatvault.
var ErrNewerFormat = errors.New("this backup was written by a newer chatvault")

// ReadManifest reads and checks manifest.json.
func ReadManifest(ctx context.Context, src Source) (*Manifest, error) {
	r, err := src.Open(ctx, "manifest.json")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("not a chatvault backup: it has no manifest.json")
		}
		return nil, fmt.Errorf("read manifest.json: %w", err)
	}
	defer r.Close()
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(r, 1<<30)).Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest.json is damaged: %w", err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("not a chatvault backup (format %q)", m.Format)
	}
	if m.Version > Version {
		return nil, fmt.Errorf("%w (dump format %d; this one reads up to %d): upgrade chatvault to restore it", ErrNewerFormat, m.Version, Version)
	}
	return &m, nil
}

// Load restores a dump into the archive in one import: it lands whole or not at all. A fresh
// (empty) archive takes over the backed-up archive's identity.
func Load(ctx context.Context, src Source, a *archive.Archive, opts LoadOptions) (*LoadReport, error) {
	m, err := ReadManifest(ctx, src)
	if err != nil {
		return nil, err
	}
	rep := &LoadReport{Manifest: m, Problems: []string{}}
	if opts.Include == nil {
		if err := a.AdoptID(ctx, m.ArchiveID); err != nil && !errors.Is(err, archive.ErrNotEmpty) {
			return nil, err
		}
	}
	im, err := a.BeginImport(ctx, archive.ImportInfo{Importer: "chatvault-restore", ImporterVersion: fmt.Sprint(Version), SourcePath: opts.Description, Restore: true})
	if err != nil {
		return nil, err
	}
	l := &loader{ctx: ctx, src: src, im: im, rep: rep, opts: opts, people: map[[2]string]int64{}, imports: map[string]int64{}, media: map[string]string{}}
	for _, c := range m.Conversations {
		if opts.Include == nil || opts.Include(c) {
			l.total += int64(c.Messages)
		}
	}
	if err := l.load(m); err != nil {
		im.Rollback() // stops a media load, and with it the feed
		if l.bulk != nil {
			l.bulk.wait()
		}
		return nil, err
	}
	r, err := im.Commit()
	if err != nil {
		return nil, err
	}
	rep.MessagesAdded, rep.MessagesPresent = r.MessagesAdded, r.MessagesPresent
	return rep, nil
}

type loader struct {
	ctx     context.Context
	src     Source
	im      *archive.Import
	rep     *LoadReport
	opts    LoadOptions
	people  map[[2]string]int64 // (service, key) -> id
	imports map[string]int64    // key -> id
	media   map[string]string   // sha256 -> why it is missing (files that could not be restored)
	bulk    *mediaFeed          // every media file of the dump is being restored by a MediaLoad
	done    int64
	total   int64
}

func (l *loader) problem(format string, args ...any) {
	l.rep.Problems = append(l.rep.Problems, fmt.Sprintf(format, args...))
}

func (l *loader) load(m *Manifest) error {
	if err := l.loadImports(m.Imports); err != nil {
		return err
	}
	for _, c := range m.Contacts {
		if err := l.loadContacts(c); err != nil {
			return err
		}
	}
	if lister, ok := l.src.(Lister); ok && l.opts.Include == nil {
		// Every media file of the dump comes back on workers while the messages load.
		ml, err := l.im.LoadMedia()
		if err != nil {
			return err
		}
		l.bulk = startMediaFeed(l.ctx, l.src, lister, ml)
	}
	for _, c := range m.Conversations {
		if l.opts.Include != nil && !l.opts.Include(c) {
			continue
		}
		if err := l.loadConversation(c); err != nil {
			return err
		}
	}
	if l.bulk != nil {
		if err := l.finishMedia(); err != nil {
			return err
		}
	}
	if l.opts.Include == nil {
		l.check(m)
	}
	if m.Selection != nil || l.opts.Include != nil || len(l.rep.Problems) > 0 || l.rep.MediaMissing > 0 {
		// Less came back than the imports named here had brought: importing their sources
		// again (tonight's iPhone backup) must fill it in, not be skipped as unchanged.
		return l.im.ForgetManifestDigests()
	}
	return nil
}

// check compares what was read with what the manifest promised.
func (l *loader) check(m *Manifest) {
	if l.rep.Conversations != m.Counts.Conversations {
		l.problem("the backup lists %d conversations, %d were restored", m.Counts.Conversations, l.rep.Conversations)
	}
	if l.rep.MessagesRead != m.Counts.Messages {
		l.problem("the backup lists %d messages, %d were read", m.Counts.Messages, l.rep.MessagesRead)
	}
	if l.rep.MediaFiles != m.Counts.MediaFiles {
		l.problem("the backup lists %d media files, %d were restored", m.Counts.MediaFiles, l.rep.MediaFiles)
	}
}

// verifiedLines reads a JSON Lines file, checking its digest against the manifest at the end.
func (l *loader) verifiedLines(fd FileDigest, fn func(line []byte) error) error {
	r, err := l.src.Open(l.ctx, fd.Path)
	if err != nil {
		return err
	}
	defer r.Close()
	d := newDigestWriter()
	br := bufio.NewReaderSize(io.TeeReader(r, d), 256<<10)
	n := 0
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			n++
			if err := fn(line); err != nil {
				return fmt.Errorf("%s line %d: %w", fd.Path, n, err)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if fd.SHA256 != "" && d.sum() != fd.SHA256 {
		return fmt.Errorf("%s does not match its digest in the manifest (damaged or altered)", fd.Path)
	}
	return nil
}

func (l *loader) loadImports(fd FileDigest) error {
	err := l.verifiedLines(fd, func(line []byte) error {
		var r archive.ImportRecord
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		id, err := l.im.AddImportRecord(r)
		l.imports[r.Key] = id
		return err
	})
	if err != nil {
		l.problem("import history: %v", err)
	}
	return l.ctx.Err()
}

func (l *loader) loadContacts(fd FileDigest) error {
	var service string
	err := l.verifiedLines(fd, func(line []byte) error {
		var c ContactLine
		if err := json.Unmarshal(line, &c); err != nil {
			return err
		}
		if service == "" {
			service = serviceOfContacts(fd.Path)
		}
		id, err := l.im.Participant(archive.Participant{Service: service, Key: c.Key, Name: c.Name, Phone: c.Phone, IsMe: c.IsMe})
		l.people[[2]string{service, c.Key}] = id
		return err
	})
	if err != nil {
		l.problem("contacts: %v", err)
	}
	return l.ctx.Err()
}

func serviceOfContacts(p string) string {
	base := p[len("contacts/"):]
	return base[:len(base)-len(".jsonl")]
}

func (l *loader) participant(service, key string) (int64, error) {
	if key == "" {
		return 0, nil
	}
	if id, ok := l.people[[2]string{service, key}]; ok {
		return id, nil
	}
	id, err := l.im.Participant(archive.Participant{Service: service, Key: key, Name: key})
	l.people[[2]string{service, key}] = id
	return id, err
}

func (l *loader) loadConversation(c ConversationEntry) error {
	var meta ConversationMeta
	r, err := l.src.Open(l.ctx, c.Meta.Path)
	if err != nil {
		l.problem("conversation %q: %v", c.Title, err)
		return l.ctx.Err()
	}
	data, err := io.ReadAll(io.LimitReader(r, 256<<20))
	r.Close()
	if err == nil && digestOf(data) != c.Meta.SHA256 {
		err = fmt.Errorf("%s does not match its digest in the manifest", c.Meta.Path)
	}
	if err == nil {
		err = json.Unmarshal(data, &meta)
	}
	if err != nil {
		l.problem("conversation %q: %v", c.Title, err)
		return l.ctx.Err()
	}
	convID, err := l.im.Conversation(archive.Conversation{Service: meta.Service, Key: meta.Key, Title: meta.Title, Kind: meta.Kind})
	if err != nil {
		return err
	}
	l.rep.Conversations++
	for _, k := range meta.Members {
		pid, err := l.participant(meta.Service, k)
		if err != nil {
			return err
		}
		if err := l.im.Member(convID, pid); err != nil {
			return err
		}
	}
	dir := c.Meta.Path[:len(c.Meta.Path)-len("meta.json")]
	for _, mo := range meta.Months {
		fd := FileDigest{Path: dir + mo.Path, SHA256: mo.SHA256, Size: mo.Size}
		n := 0
		err := l.verifiedLines(fd, func(line []byte) error {
			n++
			return l.loadMessage(meta.Service, convID, line)
		})
		if err != nil {
			if l.ctx.Err() != nil {
				return l.ctx.Err()
			}
			var fatal *fatalError
			if errors.As(err, &fatal) {
				return fatal.err
			}
			l.problem("conversation %q, %s: %v", meta.Title, mo.Month, err)
		} else if n != mo.Messages {
			l.problem("conversation %q, %s: %d messages read, %d listed", meta.Title, mo.Month, n, mo.Messages)
		}
	}
	return nil
}

// fatalError is an archive failure (not damage in the backup): it stops the restore.
type fatalError struct{ err error }

func (f *fatalError) Error() string { return f.err.Error() }

func (l *loader) loadMessage(service string, convID int64, line []byte) error {
	var ml MessageLine
	if err := decodeMessageLine(line, &ml); err != nil {
		return err
	}
	m, err := ml.Message(func(key string) (int64, error) { return l.participant(service, key) },
		func(key string) int64 { return l.imports[key] })
	if err != nil {
		return &fatalError{err}
	}
	m.ConversationID = convID
	for i := range m.Attachments {
		if err := l.attachMedia(&m.Attachments[i]); err != nil {
			return &fatalError{err}
		}
	}
	if err := l.im.AddMessage(m); err != nil {
		return &fatalError{err}
	}
	l.rep.MessagesRead++
	l.done++
	if l.opts.Progress != nil && l.done%1000 == 0 {
		l.opts.Progress(l.done, l.total)
	}
	return nil
}

// attachMedia brings an attachment's file back from the dump, once per file. A file the backup
// left out (--no-videos, --max-media-size) or could not read makes the attachment "missing".
func (l *loader) attachMedia(a *archive.Attachment) error {
	sha := a.SHA256
	if sha == "" {
		return nil
	}
	if !archive.ValidSHA256(sha) {
		l.markMissing(a, "invalid media name in backup")
		return nil
	}
	if l.bulk != nil {
		return nil // finishMedia detaches it if its file did not come
	}
	if why, bad := l.media[sha]; bad {
		l.markMissing(a, why)
		return nil
	}
	has, err := l.im.HasMedia(sha)
	if err != nil || has {
		return err
	}
	why, err := l.restoreMedia(sha, a.MIME)
	if err != nil {
		return err
	}
	if why != "" {
		l.media[sha] = why
		l.markMissing(a, why)
	}
	return nil
}

func (l *loader) markMissing(a *archive.Attachment, why string) {
	a.SHA256 = ""
	if a.Details == nil {
		a.Details = &archive.Details{}
	}
	a.Details.Missing = why
	l.rep.MediaMissing++
}

// restoreMedia brings one file back; the archive does not have it yet. It returns why the
// attachment must go without it ("" when it came).
func (l *loader) restoreMedia(sha, mime string) (string, error) {
	r, err := l.src.Open(l.ctx, mediaPath(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return "not in backup", nil
	}
	if err != nil {
		l.problem("media file %s: %v", sha, err)
		return "damaged in backup", nil
	}
	defer r.Close()
	got, size, err := l.im.PutMedia(r, mime, 0)
	if err != nil {
		if l.ctx.Err() != nil {
			return "", l.ctx.Err()
		}
		l.problem("media file %s: %v", sha, err)
		return "damaged in backup", nil
	}
	if got != sha {
		l.problem("media file %s is damaged in the backup (its content has digest %s)", sha, got)
		return "damaged in backup", nil
	}
	l.rep.MediaFiles++
	l.rep.MediaBytes += size
	return "", nil
}
