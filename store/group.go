package store

import (
	"context"
	"sync"
	"time"
)

// groupCommit joins concurrent writes of one kind in one statement, so that
// the callers arriving while one commit runs share the next: under load each
// waits for about one commit, not a queue of them, and the database commits
// once (one WAL flush on PostgreSQL, one turn of SQLite's write lock) for
// many. Each caller still returns only when its own item is committed. It
// has no goroutine of its own: the first caller to wait writes (leads), then
// hands the lead to the oldest caller still waiting; on PostgreSQL a few
// callers lead at once (parallel).
type groupCommit[T any] struct {
	write func(ctx context.Context, items []T) error
	max   int // items a statement takes at most
	// parallel is how many commits may run at once (0 is one). SQLite
	// takes one writer at a time, so a second commit would only wait for
	// its lock; PostgreSQL commits concurrent transactions with one WAL
	// flush, so a caller arriving while a commit runs need not wait for it
	// before its own starts: the tail is about one commit, not two.
	parallel int

	mu      sync.Mutex
	leaders int // callers handed the lead that have not given it up
	queue   []*grouped[T]
}

// grouped is one caller's item; done receives the outcome of its commit,
// lead the turn to write.
type grouped[T any] struct {
	item    T
	done    chan error
	lead    chan struct{}
	leading bool // handed the lead (under mu)
}

// groupDeadline bounds one commit. The writes use it rather than a caller's
// context, so that a caller that gives up cannot fail the others' commit.
const groupDeadline = 5 * time.Second

// add writes item and returns once it is committed (nil) or not. It waits at
// most about two deadlines: the commit under way and its own.
func (g *groupCommit[T]) add(item T) error {
	q := &grouped[T]{item: item, done: make(chan error, 1), lead: make(chan struct{}, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, q)
	g.handOn()
	g.mu.Unlock()
	for {
		select {
		case err := <-q.done:
			// Another leader may have taken q's item after q was handed
			// the lead (sent before q's item left the queue, so it is
			// here now): the lead is used, so that it is passed on.
			select {
			case <-q.lead:
				g.commit()
			default:
			}
			return err
		case <-q.lead:
			g.commit()
		}
	}
}

// handOn hands the lead to the oldest callers waiting without it, while
// fewer than parallel lead. g.mu is held.
func (g *groupCommit[T]) handOn() {
	for _, q := range g.queue {
		if g.leaders >= max(g.parallel, 1) {
			return
		}
		if !q.leading {
			q.leading = true
			g.leaders++
			q.lead <- struct{}{}
		}
	}
}

// commit writes up to max queued items in one statement and answers each
// caller. When the joined write fails, each item is written alone, so one
// bad item (its attempt erased meanwhile) fails only its own caller. Then
// the lead passes to the oldest caller still waiting without it, or is
// given up. Another leader may have left nothing to write.
func (g *groupCommit[T]) commit() {
	g.mu.Lock()
	batch := g.queue[:min(len(g.queue), g.max)]
	g.queue = g.queue[len(batch):]
	g.mu.Unlock()
	items := make([]T, len(batch))
	for i, q := range batch {
		items[i] = q.item
	}
	var err error
	if len(batch) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), groupDeadline)
		err = g.write(ctx, items)
		cancel()
	}
	for _, q := range batch {
		if err != nil && len(batch) > 1 {
			ctx, cancel := context.WithTimeout(context.Background(), groupDeadline)
			q.done <- g.write(ctx, []T{q.item})
			cancel()
			continue
		}
		q.done <- err
	}
	g.mu.Lock()
	g.leaders--
	g.handOn()
	g.mu.Unlock()
}
