package html

import (
	"runtime"
	"sync"
)

// pool renders pages on every core while the conversation writer reads the next page from the
// archive: rendering (html/template) costs more than reading, and a 2-core machine halves the
// time. At most a few pages wait in the queue, so memory stays bounded.
type pool struct {
	jobs chan func() error
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
}

func newPool() *pool {
	n := max(runtime.GOMAXPROCS(0), 1)
	p := &pool{jobs: make(chan func() error, n)}
	for range n {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for job := range p.jobs {
				if p.failed() != nil {
					continue
				}
				if err := job(); err != nil {
					p.mu.Lock()
					if p.err == nil {
						p.err = err
					}
					p.mu.Unlock()
				}
			}
		}()
	}
	return p
}

func (p *pool) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// do queues a job; it returns the first failure of an earlier job, so the writer stops early.
func (p *pool) do(job func() error) error {
	if err := p.failed(); err != nil {
		return err
	}
	p.jobs <- job
	return nil
}

// wait finishes every queued job and returns the first failure.
func (p *pool) wait() error {
	close(p.jobs)
	p.wg.Wait()
	return p.err
}
