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
// a hop that only turns a page appends its mark to the batch and does no
// SQL. Run owns the writing; it is a worker of the app, stopped after the
// HTTP server, and saves every mark it holds before it returns. Without Run
// (a one-off dial, a test of a single hop) Mark writes at once.
//
// A mark wakes Run only when it starts a batch or fills one: waking a
// goroutine for each page would cost more than the page itself.
type Progress struct {
	st   PageSaver
	log  *slog.Logger
	wait time.Duration
	size int

	mu      sync.Mutex // running and marks: no mark is lost at shutdown
	running bool
	marks   []store.PageMark
	kick    chan struct{} // a batch was started or filled
	sync    chan chan error
}

// NewProgress returns the write-behind of lesson pages into st.
func NewProgress(st PageSaver, log *slog.Logger) *Progress {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Progress{st: st, log: log.With("component", "ussd-progress"), wait: pageWait, size: pageBatch,
		kick: make(chan struct{}, 1), sync: make(chan chan error)}
}

// Mark hands over a page a nurse reached. It writes the mark itself, inside
// the hop, only when Run is not going or is far behind.
func (p *Progress) Mark(ctx context.Context, m store.PageMark) error {
	p.mu.Lock()
	if p.running && len(p.marks) < pageQueue {
		p.marks = append(p.marks, m)
		n := len(p.marks)
		p.mu.Unlock()
		if n == 1 || n == p.size {
			select {
			case p.kick <- struct{}{}:
			default: // Run is woken already
			}
		}
		return nil
	}
	p.mu.Unlock()
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
	var left []store.PageMark // marks whose write failed
	timer := time.NewTimer(p.wait)
	timer.Stop()
	armed := false
	for {
		select {
		case <-p.kick:
			if p.pending() >= p.size {
				left = p.save(append(left, p.take(false)...))
			}
			if !armed {
				timer.Reset(p.wait)
				armed = true
			}
		case <-timer.C:
			armed = false
			if left = p.save(append(left, p.take(false)...)); len(left) > 0 || p.pending() > 0 {
				timer.Reset(p.wait)
				armed = true
			}
		case done := <-p.sync:
			left = p.save(append(left, p.take(false)...))
			done <- p.failed(left)
		case <-ctx.Done():
			left = p.save(append(left, p.take(true)...))
			return p.failed(left)
		}
	}
}

// pending returns the number of marks waiting in the batch.
func (p *Progress) pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.marks)
}

// take empties the batch and returns it; with stop, later marks are
// written by Mark itself.
func (p *Progress) take(stop bool) []store.PageMark {
	p.mu.Lock()
	defer p.mu.Unlock()
	if stop {
		p.running = false
	}
	m := p.marks
	p.marks = nil
	return m
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
