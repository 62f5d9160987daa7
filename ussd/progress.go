package ussd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// PageSaver is where lesson page marks end up: store.DB.SaveLessonPages.
type PageSaver interface {
	SaveLessonPages(ctx context.Context, marks []store.PageMark) error
}

// ErrPageNotSaved is returned by Mark when it could neither keep a mark for
// later nor write it: the nurse's screen says so.
var ErrPageNotSaved = errors.New("lesson page not saved")

// Limits of the write-behind of lesson pages (README "Production": "lesson page
// progress may be written behind, in batches, at most a second late", and
// lesson pages written behind survive a database outage and a SIGTERM).
const (
	// pageWait is how long the first mark of a batch waits for others: the
	// write itself must still fit in the second.
	pageWait = 500 * time.Millisecond
	// pageBatch is the size at which a batch is written at once.
	pageBatch = 500
	// pageCap bounds the lessons held unwritten. A nurse's marks of one
	// lesson replace each other, so it takes that many nurse-lessons read
	// on this instance during one outage to reach it; past it, a hop writes
	// its own mark.
	pageCap = 200_000
	// saveTimeout bounds one write.
	saveTimeout = 5 * time.Second
	// retryMax is the longest wait between two tries while the database
	// fails.
	retryMax = 5 * time.Second
	// flushTimeout is how long Run keeps trying to write what it holds once
	// it is stopped: within the time an orchestrator gives after SIGTERM.
	flushTimeout = 10 * time.Second
)

// pageKey names the row a mark updates: one per nurse and lesson.
type pageKey struct {
	worker int64
	lesson string
}

// Progress writes the lesson pages nurses reach behind the hops, in batches:
// a hop that only turns a page hands its mark over and does no SQL. Run
// owns the writing; it is a worker of the app, stopped after the HTTP
// server. A mark is held until it is written: through a database outage
// (tried again with backoff) and at shutdown, until flushTimeout, after
// which Run reports how many it could not write. With a real Redis
// (SpillTo), what the database does not take is kept there instead, for any
// instance to write. Without Run (a one-off
// dial, a test of a single hop) Mark writes at once.
//
// Marks of one nurse's lesson replace each other while held, as the row
// they update does, so an outage costs memory per lesson read, not per page.
// A mark wakes Run only when it starts a batch or fills one: waking a
// goroutine for each page would cost more than the page itself.
type Progress struct {
	st    PageSaver
	log   *slog.Logger
	wait  time.Duration
	size  int
	cap   int
	flush time.Duration

	mu      sync.Mutex // running and held: no mark is lost at shutdown
	running bool
	held    map[pageKey]store.PageMark
	full    bool // the cap was reached and not yet left: logged once
	kick    chan struct{}
	sync    chan chan error

	capHits atomic.Int64
	failing bool       // Run's last write failed: the outage is logged once
	spill   *pageSpill // a real Redis that keeps what the database does not take (SpillTo)
}

// NewProgress returns the write-behind of lesson pages into st.
func NewProgress(st PageSaver, log *slog.Logger) *Progress {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Progress{st: st, log: log.With("component", "ussd-progress"), wait: pageWait, size: pageBatch,
		cap: pageCap, flush: flushTimeout, held: map[pageKey]store.PageMark{},
		kick: make(chan struct{}, 1), sync: make(chan chan error)}
}

// Held returns the number of marks waiting to be written (a metric).
func (p *Progress) Held() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.held)
}

// CapReached returns how many marks found the cap reached (a metric).
func (p *Progress) CapReached() int64 { return p.capHits.Load() }

// Mark hands over a page a nurse reached. It writes the mark itself, inside
// the hop, only when Run is not going or holds pageCap lessons already; it
// returns ErrPageNotSaved when that write fails.
func (p *Progress) Mark(ctx context.Context, m store.PageMark) error {
	p.mu.Lock()
	if p.running {
		n, kept := p.hold(m)
		if !kept && !p.full {
			p.full = true
			p.log.Error("lesson pages held reached the cap: hops write their own marks", "lessons", n)
		}
		p.mu.Unlock()
		if kept {
			if n == 1 || n == p.size {
				select {
				case p.kick <- struct{}{}:
				default: // Run is woken already
				}
			}
			return nil
		}
		p.capHits.Add(1)
	} else {
		p.mu.Unlock()
	}
	if err := p.st.SaveLessonPages(ctx, []store.PageMark{m}); err != nil {
		return fmt.Errorf("ussd: %w: %w", ErrPageNotSaved, err)
	}
	return nil
}

// hold merges m into the held marks, as SaveLessonPages would merge them:
// the later page counts, and a lesson once done stays done. It returns the
// number held and false when m found the cap reached. p.mu is held.
func (p *Progress) hold(m store.PageMark) (int, bool) {
	k := pageKey{m.WorkerID, m.Lesson}
	old, ok := p.held[k]
	switch {
	case !ok && len(p.held) >= p.cap:
		return len(p.held), false
	case ok && old.At.After(m.At):
		old.Done = old.Done || m.Done
		m = old
	case ok:
		m.Done = m.Done || old.Done
	}
	p.held[k] = m
	return len(p.held), true
}

// Run writes the marks handed over: a batch at most pageWait after its
// first mark, or as soon as it holds pageBatch marks. A failed write is
// tried again, waiting longer each time up to retryMax. When ctx ends it
// keeps trying to write what it holds for flushTimeout and returns an error
// with the count of marks it could not write.
func (p *Progress) Run(ctx context.Context) error {
	p.mu.Lock()
	p.running = true
	p.mu.Unlock()
	timer := time.NewTimer(p.wait)
	timer.Stop()
	armed, retry := false, p.wait
	var drain <-chan time.Time // marks kept in Redis by any instance
	if p.spill != nil {
		t := time.NewTicker(drainEvery)
		defer t.Stop()
		drain = t.C
	}
	for {
		select {
		case <-drain:
			p.drain()
		case <-p.kick:
			if p.Held() >= p.size && !p.failing {
				p.saveAll(context.Background())
			}
			if !armed {
				timer.Reset(p.wait)
				armed = true
			}
		case <-timer.C:
			armed = false
			if p.saveAll(context.Background()) != nil {
				retry = min(2*retry, retryMax)
				timer.Reset(retry)
				armed = true
			} else {
				retry = p.wait
			}
		case done := <-p.sync:
			done <- p.saveAll(context.Background())
		case <-ctx.Done():
			return p.stop()
		}
	}
}

// stop makes later marks write themselves, then writes what is held,
// trying until flushTimeout.
func (p *Progress) stop() error {
	p.mu.Lock()
	p.running = false
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), p.flush)
	defer cancel()
	for wait := p.wait; ; wait = min(2*wait, retryMax) {
		err := p.saveAll(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
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

// saveAll writes every held mark, pageBatch*20 a write. A batch the
// database does not take goes to Redis (SpillTo), else it is held again and
// saveAll stops, with an error that counts the marks held.
func (p *Progress) saveAll(ctx context.Context) error {
	for {
		batch := p.take(20 * p.size)
		if len(batch) == 0 {
			return nil
		}
		err := p.save(ctx, batch)
		if err != nil && p.spill != nil && p.spill.put(ctx, batch) == nil {
			continue
		}
		if err != nil {
			n := p.putBack(batch)
			return fmt.Errorf("ussd: %d lesson page marks not saved: %w", n, err)
		}
	}
}

// save writes one batch, logging the start and the end of an outage once.
func (p *Progress) save(ctx context.Context, batch []store.PageMark) error {
	ctx, cancel := context.WithTimeout(ctx, saveTimeout)
	defer cancel()
	err := p.st.SaveLessonPages(ctx, batch)
	switch {
	case err != nil && !p.failing:
		p.failing = true
		p.log.Error("save lesson pages: holding them until the database answers", "marks", len(batch), "err", err)
	case err == nil && p.failing:
		p.failing = false
		p.log.Info("saving lesson pages again")
	}
	return err
}

// take removes up to limit held marks and returns them.
func (p *Progress) take(limit int) []store.PageMark {
	p.mu.Lock()
	defer p.mu.Unlock()
	batch := make([]store.PageMark, 0, min(limit, len(p.held)))
	for k, m := range p.held {
		if len(batch) == limit {
			break
		}
		batch = append(batch, m)
		delete(p.held, k)
	}
	if len(p.held) < p.cap {
		p.full = false
	}
	return batch
}

// putBack holds again the marks of a failed write, under any mark of the
// same lesson handed over since, and returns the number held. The cap does
// not apply: these marks were kept already.
func (p *Progress) putBack(batch []store.PageMark) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range batch {
		k := pageKey{m.WorkerID, m.Lesson}
		if newer, ok := p.held[k]; ok {
			newer.Done = newer.Done || m.Done
			m = newer
		}
		p.held[k] = m
	}
	return len(p.held)
}
