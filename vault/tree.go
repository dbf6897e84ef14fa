package vault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/kopia/kopia/fs"

	"github.com/chatvault/chatvault/internal/tree"
)

// The tree a backup reads is the producer's (package tree): the dump makes it without importing the
// vault, so reading a dump (restore, the viewer) does not pull in kopia and every cloud SDK.
type (
	Entry = tree.Entry
	Dir   = tree.Dir
	File  = tree.File
)

// Permissions recorded in snapshots. Fixed values keep kopia's "unchanged"
// check independent of how the producer would report modes.
const (
	dirMode  = os.ModeDir | 0o755
	fileMode = os.FileMode(0o644)
)

// entryBase supplies the parts of fs.Entry that are the same for every
// entry of a generated tree.
type entryBase struct {
	name    string
	modTime time.Time
}

func (e *entryBase) Name() string                { return e.name }
func (e *entryBase) ModTime() time.Time          { return e.modTime }
func (e *entryBase) Sys() any                    { return nil }
func (e *entryBase) Owner() fs.OwnerInfo         { return fs.OwnerInfo{} }
func (e *entryBase) Device() fs.DeviceInfo       { return fs.DeviceInfo{} }
func (e *entryBase) LocalFilesystemPath() string { return "" }
func (e *entryBase) Close()                      {}

// treeAdapter converts our Entry values to kopia fs.Entry values; it knows
// the backup's start time for files without a usable ModTime.
type treeAdapter struct {
	now time.Time
}

func (a *treeAdapter) modTime(t time.Time) time.Time {
	if t.IsZero() || t.Year() < 1678 || t.Year() > 2261 {
		// Outside what kopia's nanosecond timestamps can hold (or unknown):
		// a fresh time means "never equal to the previous snapshot".
		return a.now
	}

	return t
}

func (a *treeAdapter) entry(e Entry) (fs.Entry, error) {
	switch e := e.(type) {
	case Dir:
		return &adaptedDir{entryBase: entryBase{e.Name(), a.modTime(e.ModTime())}, d: e, a: a}, nil
	case File:
		base := entryBase{e.Name(), a.modTime(e.ModTime())}
		if e.Size() < 0 {
			return &adaptedStream{entryBase: base, f: e}, nil
		}

		return &adaptedFile{entryBase: base, f: e, size: e.Size()}, nil
	default:
		return nil, fmt.Errorf("entry %q is neither a vault.Dir nor a vault.File (%T)", e.Name(), e)
	}
}

func validName(n string) error {
	if n == "" || n == "." || n == ".." || strings.ContainsRune(n, '/') || strings.ContainsRune(n, 0) {
		return fmt.Errorf("invalid entry name %q", n)
	}

	return nil
}

// adaptedDir is a kopia fs.Directory over a Dir.
type adaptedDir struct {
	entryBase
	d Dir
	a *treeAdapter
}

func (d *adaptedDir) IsDir() bool       { return true }
func (d *adaptedDir) Mode() os.FileMode { return dirMode }
func (d *adaptedDir) Size() int64       { return 0 }

func (d *adaptedDir) SupportsMultipleIterations() bool { return false }

var errNoChildLookup = errors.New("generated directories are only iterated")

// Child is not used for sources: the vault turns off kopia's ignore-file
// lookups and size estimation, the only callers.
func (d *adaptedDir) Child(context.Context, string) (fs.Entry, error) {
	return nil, errNoChildLookup
}

// Iterate turns the producer's push-style Entries into kopia's pull-style
// iterator: Entries runs in a goroutine and hands entries over one by one.
// Only one entry is in flight, so a huge directory costs no memory here.
func (d *adaptedDir) Iterate(ctx context.Context) (fs.DirectoryIterator, error) {
	ctx, cancel := context.WithCancel(ctx)

	it := &dirIterator{
		ch:     make(chan fs.Entry),
		done:   make(chan struct{}),
		cancel: cancel,
	}

	go func() {
		defer close(it.done)

		var prev string

		it.err = d.d.Entries(ctx, func(e Entry) error {
			name := e.Name()
			if err := validName(name); err != nil {
				return err
			}

			if prev != "" && name <= prev {
				return fmt.Errorf("entries out of order or repeated: %q after %q", name, prev)
			}

			prev = name

			fe, err := d.a.entry(e)
			if err != nil {
				return err
			}

			select {
			case it.ch <- fe:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()

	return it, nil
}

type dirIterator struct {
	ch     chan fs.Entry
	done   chan struct{}
	cancel context.CancelFunc
	err    error // written by the producer goroutine before done is closed
	once   sync.Once
}

func (it *dirIterator) Next(ctx context.Context) (fs.Entry, error) {
	select {
	case e := <-it.ch:
		return e, nil
	case <-it.done:
		if it.err != nil {
			return nil, fmt.Errorf("listing directory: %w", it.err)
		}

		return nil, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (it *dirIterator) Close() {
	it.once.Do(func() {
		it.cancel()
		<-it.done
	})
}

// adaptedFile is a kopia fs.File over a File of known size.
type adaptedFile struct {
	entryBase
	f    File
	size int64
}

func (f *adaptedFile) IsDir() bool       { return false }
func (f *adaptedFile) Mode() os.FileMode { return fileMode }
func (f *adaptedFile) Size() int64       { return f.size }

func (f *adaptedFile) Open(ctx context.Context) (fs.Reader, error) {
	rc, err := f.f.Open(ctx)
	if err != nil {
		return nil, err
	}

	return &fileReader{rc: rc, entry: f, size: f.size}, nil
}

// fileReader gives kopia the Seek it asks for (only forward, right after
// Open, when it reads a large file in parts) and checks that the producer's
// Size was right.
type fileReader struct {
	rc    io.ReadCloser
	entry fs.Entry
	size  int64
	pos   int64
}

func (r *fileReader) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	r.pos += int64(n)

	if r.pos > r.size {
		return n, fmt.Errorf("%s: more than the declared %d bytes", r.entry.Name(), r.size)
	}

	if errors.Is(err, io.EOF) && r.pos != r.size {
		return n, fmt.Errorf("%s: %d bytes, declared %d", r.entry.Name(), r.pos, r.size)
	}

	return n, err
}

func (r *fileReader) Seek(offset int64, whence int) (int64, error) {
	if s, ok := r.rc.(io.Seeker); ok {
		n, err := s.Seek(offset, whence)
		if err == nil {
			r.pos = n
		}

		return n, err
	}

	target := offset

	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		target = r.pos + offset
	default:
		return r.pos, fmt.Errorf("%s: cannot seek from the end of a generated file", r.entry.Name())
	}

	if target < r.pos {
		return r.pos, fmt.Errorf("%s: cannot seek backwards in a generated file", r.entry.Name())
	}

	n, err := io.CopyN(io.Discard, r.rc, target-r.pos)
	r.pos += n

	return r.pos, err
}

func (r *fileReader) Close() error { return r.rc.Close() }

func (r *fileReader) Entry() (fs.Entry, error) { return r.entry, nil }

// adaptedStream is a kopia fs.StreamingFile over a File of unknown size;
// kopia matches it to the previous snapshot by ModTime only.
type adaptedStream struct {
	entryBase
	f File
}

func (s *adaptedStream) IsDir() bool       { return false }
func (s *adaptedStream) Mode() os.FileMode { return fileMode }
func (s *adaptedStream) Size() int64       { return 0 }

func (s *adaptedStream) GetReader(ctx context.Context) (io.ReadCloser, error) {
	return s.f.Open(ctx)
}

var (
	_ fs.Directory     = (*adaptedDir)(nil)
	_ fs.File          = (*adaptedFile)(nil)
	_ fs.StreamingFile = (*adaptedStream)(nil)
)
