package vault

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/kopia/kopia/snapshot/upload"
)

// Progress is a snapshot of a running backup (or copy), delivered to the
// caller's callback from one goroutine at a steady interval and once more
// at the end.
type Progress struct {
	Elapsed       time.Duration `json:"elapsed"`
	FilesRead     int64         `json:"filesRead"`     // files opened and hashed
	FilesCached   int64         `json:"filesCached"`   // unchanged files taken from the previous snapshot unread
	BytesRead     int64         `json:"bytesRead"`     // bytes read and hashed so far
	BytesCached   int64         `json:"bytesCached"`   // bytes of unchanged files not read
	BytesUploaded int64         `json:"bytesUploaded"` // encrypted bytes written to the destination
	Done          bool          `json:"done"`
}

// progress implements kopia's upload.Progress with atomic counters. It also
// keeps the first per-file error kopia reports, with its path: kopia
// records failures in the snapshot instead of returning them.
type progress struct {
	start time.Time

	filesRead, filesCached            atomic.Int64
	bytesRead, bytesCached, bytesSent atomic.Int64

	mu       sync.Mutex
	errPath  string
	firstErr error
	errCount int
}

func newProgress() *progress { return &progress{start: time.Now()} }

func (p *progress) snapshot(done bool) Progress {
	return Progress{
		Elapsed:       time.Since(p.start),
		FilesRead:     p.filesRead.Load(),
		FilesCached:   p.filesCached.Load(),
		BytesRead:     p.bytesRead.Load(),
		BytesCached:   p.bytesCached.Load(),
		BytesUploaded: p.bytesSent.Load(),
		Done:          done,
	}
}

// report calls fn every interval until the returned stop function is
// called; stop delivers a final report with Done set.
func (p *progress) report(fn func(Progress), interval time.Duration) (stop func()) {
	var done atomic.Bool

	stopTicker := reportEvery(fn, interval, func() Progress { return p.snapshot(done.Load()) })

	return func() {
		done.Store(true)
		stopTicker()
	}
}

// reportEvery calls fn(get()) every interval (default 0.5 s) from one
// goroutine until the returned stop function is called, which waits for
// that goroutine and then calls fn once more. A nil fn does nothing.
func reportEvery[T any](fn func(T), interval time.Duration, get func() T) (stop func()) {
	if fn == nil {
		return func() {}
	}

	if interval <= 0 {
		interval = 500 * time.Millisecond
	}

	quit := make(chan struct{})
	finished := make(chan struct{})

	go func() {
		defer close(finished)

		t := time.NewTicker(interval)
		defer t.Stop()

		for {
			select {
			case <-t.C:
				fn(get())
			case <-quit:
				return
			}
		}
	}()

	var once sync.Once

	return func() {
		once.Do(func() {
			close(quit)
			<-finished
			fn(get())
		})
	}
}

// failure returns the first failed path, how many failed, and the first error.
func (p *progress) failure() (string, int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()

	return p.errPath, p.errCount, p.firstErr
}

// Enabled returns false on purpose: when true, kopia starts a second walk of
// the source to estimate its size, and a generated tree is walked only once.
func (p *progress) Enabled() bool { return false }

func (p *progress) UploadStarted()                    {}
func (p *progress) UploadFinished()                   {}
func (p *progress) HashingFile(string)                {}
func (p *progress) ExcludedFile(string, int64)        {}
func (p *progress) ExcludedDir(string)                {}
func (p *progress) FinishedFile(string, error)        {}
func (p *progress) StartedDirectory(string)           {}
func (p *progress) FinishedDirectory(string)          {}
func (p *progress) EstimatedDataSize(int64, int64)    {}
func (p *progress) UploadedBytes(int64)               {} // counted through the write session's OnUpload
func (p *progress) HashedBytes(n int64)               { p.bytesRead.Add(n) }
func (p *progress) FinishedHashingFile(string, int64) { p.filesRead.Add(1) }

func (p *progress) CachedFile(_ string, size int64) {
	p.filesCached.Add(1)
	p.bytesCached.Add(size)
}

func (p *progress) Error(path string, err error, isIgnored bool) {
	if isIgnored {
		return
	}

	p.mu.Lock()
	defer p.mu.Unlock()

	p.errCount++
	if p.firstErr == nil {
		p.errPath, p.firstErr = path, err
	}
}

func (p *progress) EstimationParameters() upload.EstimationParameters {
	return upload.EstimationParameters{Type: upload.EstimationTypeClassic}
}

var _ upload.Progress = (*progress)(nil)
