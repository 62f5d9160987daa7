package ussd

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"chanjo/store"
)

// PageSaver is where lesson page marks end up: store.DB.SaveLessonPages.
type PageSaver interface {
	SaveLessonPages(ctx context.Context, marks []store.PageMark) error
}

// Limits of the write-behind of lesson pages (design.md: "lesson page
// progress may be written behind, in batches, at most a second late").
const (
	// pageWait is how long the first mark of a batch waits for others: the
	// write itself must still fit in the second.
	pageWait = 500 * time.Millisecond
	// pageBatch is the size at which a batch is written at once.
	pageBatch = 500
	// pageQueue is the room for marks waiting to be read; when it is full
	// the hop writes its mark itself.
	pageQueue = 4 * pageBatch
	// pageKeep bounds the marks kept while the database does not answer.
	pageKeep = 20 * pageBatch
	// saveTimeout bounds one write, and the last one at shutdown.
	saveTimeout = 5 * time.Second
)

// Progress writes the lesson pages nurses reach behind the hops, in batches:
// a hop that only turns a page hands its mark over and does no SQL. Run
// owns the writing; it is a worker of the app, stopped after the HTTP server,
// and saves every mark it holds before it returns. Without Run (a one-off
// dial, a test of a single hop) Mark writes at once.
type Progress struct {
	st   PageSaver
	log  *slog.Logger
	wait time.Duration
	size int

	mu      sync.RWMutex // running and the queue's closing: no mark is lost at shutdown
	running bool
	in      chan store.PageMark
	sync    chan chan error
}

// NewProgress returns the write-behind of lesson pages into st.
func NewProgress(st PageSaver, log *slog.Logger) *Progress {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Progress{st: st, log: log.With("component", "ussd-progress"), wait: pageWait, size: pageBatch,
		in: make(chan store.PageMark, pageQueue), sync: make(chan chan error)}
}

// Mark hands over a page a nurse reached. It writes the mark itself, inside
// the hop, only when Run is not going or is far behind.
func (p *Progress) Mark(ctx context.Context, m store.PageMark) error {
	p.mu.RLock()
	if p.running {
		select {
		case p.in <- m:
			p.mu.RUnlock()
			return nil
		default:
		}
	}
	p.mu.RUnlock()
	if err := p.st.SaveLessonPages(ctx, []store.PageMark{m}); err != nil {
		return fmt.Errorf("ussd: lesson page: %w", err)
	}
	return nil
}

// Run writes the marks handed over: a batch at most pageWait after its
// first mark, or as soon as it holds pageBatch marks. A failed write is
// tried again with the next batch. When ctx ends it writes what it holds
// and returns.
func (p *Progress) Run(ctx context.Context) error {
	p.mu.Lock()
	p.running = true
	p.mu.Unlock()
	var batch []store.PageMark
	timer := time.NewTimer(p.wait)
	timer.Stop()
	for {
		select {
		case m := <-p.in:
			if len(batch) == 0 {
				timer.Reset(p.wait)
			}
			if batch = append(batch, m); len(batch) >= p.size {
				batch = p.save(batch)
			}
		case <-timer.C:
			if batch = p.save(batch); len(batch) > 0 {
				timer.Reset(p.wait)
			}
		case done := <-p.sync:
			batch = p.drain(batch)
			batch = p.save(batch)
			done <- p.failed(batch)
		case <-ctx.Done():
			p.mu.Lock()
			p.running = false
			p.mu.Unlock()
			batch = p.save(p.drain(batch))
			return p.failed(batch)
		}
	}
}

// Sync makes Run write every mark handed over so far and waits for it.
func (p *Progress) Sync(ctx context.Context) error {
	done := make(chan error, 1)
	select {
	case p.sync <- done:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// drain adds the marks waiting in the queue to batch.
func (p *Progress) drain(batch []store.PageMark) []store.PageMark {
	for {
		select {
		case m := <-p.in:
			batch = append(batch, m)
		default:
			return batch
		}
	}
}

// save writes batch and returns what is left to write: nothing, or on
// failure the batch, less its oldest marks beyond pageKeep.
func (p *Progress) save(batch []store.PageMark) []store.PageMark {
	if len(batch) == 0 {
		return batch
	}
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	err := p.st.SaveLessonPages(ctx, batch)
	if err == nil {
		return batch[:0]
	}
	p.log.Error("save lesson pages", "marks", len(batch), "err", err)
	if n := len(batch) - pageKeep; n > 0 {
		p.log.Error("lesson pages dropped", "marks", n)
		batch = append(batch[:0], batch[n:]...)
	}
	return batch
}

func (p *Progress) failed(batch []store.PageMark) error {
	if len(batch) > 0 {
		return fmt.Errorf("ussd: %d lesson page marks not saved", len(batch))
	}
	return nil
}
